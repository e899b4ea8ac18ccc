import { createHash } from 'node:crypto';
import {
  type Actor,
  type Clock,
  Crm,
  type EventDraft,
  type IdGenerator,
  type Instant,
  isPetError,
  parseInput,
  type Result,
  type UnitOfWork,
  type UnitOfWorkScope,
  type Uuid,
  uuidSchema,
  ValidationError,
} from '@pet-ops/core';
import { z } from 'zod';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore, type SqlEventStore } from '../event-store/event-store.js';
import { prefixSchema } from '../options.js';
import { aggregateOf, type ColumnSpec, type StateTable } from '../state-table.js';
import { systemClock, uuidV7Ids } from '../system.js';
import { CRM_TABLES, companiesTable, companySlotsTable, peopleTable } from '../tables/crm.js';
import { createUnitOfWork, sqlScopeOf } from '../unit-of-work.js';
import { crmRepository } from './crm.js';
import { readCsvRecords, releaseSource } from './csv-records.js';
import { firstRows } from './first-rows.js';

/** Progress of an import, reported after every batch and at the end. */
export interface ImportProgress {
  /** Data rows read so far (the header not counted). */
  readonly rowsRead: number;
  readonly created: number;
  readonly exists: number;
  readonly rejected: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
}

/** What happened to one data row (reported through `onRow`). */
export interface ImportRowOutcome {
  /** The file line the row starts on (the header is line 1). */
  readonly row: number;
  readonly outcome: 'created' | 'exists' | 'rejected';
  /** The company's uid (`created`, `exists`; in a dry run only for `exists`). Companies only. */
  readonly companyUid?: Crm.CompanyUid;
  /** The person's uid (`created`, `exists`; in a dry run only for `exists`). People only. */
  readonly personUid?: Crm.PersonUid;
  /** Why it was rejected (`rejected` only). */
  readonly reason?: Crm.IntakeRejectionCode;
  readonly detail?: string;
}

/** A rejected row in the report. */
export interface ImportRejection {
  readonly row: number;
  readonly reason: Crm.IntakeRejectionCode;
  readonly detail: string;
}

/** Options of {@link importCompaniesCsv}. */
export interface ImportCompaniesOptions {
  /** The database (Kysely over the dialect's driver). */
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  /** Table prefix the schema was migrated with. */
  readonly prefix: string;
  /** The event store of `db` (default: one made here with `createEventStore`). */
  readonly events?: SqlEventStore;
  /**
   * The CSV bytes (UTF-8, header row with `name` and any of `website`, `external_id`, `ein`), read as a
   * stream: e.g. `createReadStream(path)` of `node:fs`. The library itself opens no file, but it closes
   * the source when the import ends, however it ends (a stream is destroyed, its later errors absorbed).
   * Create the stream in the call itself: one that errors before the call (a missing file) has no
   * listener yet, and its error is unhandled.
   */
  readonly source: AsyncIterable<Uint8Array>;
  /** The file's name, stored with the run and its dead letters (at most 255 characters). */
  readonly fileName: string;
  /** The file's size in bytes, for progress (`ImportProgress.totalBytes`); default 0 (unknown). */
  readonly totalBytes?: number;
  /** Report what would happen and write nothing at all. Default false. */
  readonly dryRun?: boolean;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: UUIDv7 from `node:crypto`. */
  readonly ids?: IdGenerator;
  /** Who the events are attributed to. Default `{ type: 'integration', id: 'crm-import' }`. */
  readonly actor?: Actor;
  /** Called after every batch and once at the end. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Called for every data row, in file order (per batch). */
  readonly onRow?: (row: ImportRowOutcome) => void;
  /** Rows per transaction (1 … 5000). Default 500. */
  readonly batchSize?: number;
  /** How many rejections the report lists (0 … 10 000). Default 100; all are dead-lettered anyway. */
  readonly maxReportedRejections?: number;
}

/**
 * Options of {@link importPeopleCsv}: those of {@link importCompaniesCsv}; the CSV's header row has `name`
 * and `email` plus optionally `linkedin_url`.
 */
export type ImportPeopleOptions = ImportCompaniesOptions;

/** What an import did (companies or people). */
export interface CrmImportReport {
  /** The run's id (its `crm_import_runs` row; in a dry run nothing is stored under it). */
  readonly runId: string;
  readonly fileName: string;
  readonly dryRun: boolean;
  /** Data rows read (header not counted). */
  readonly rows: number;
  readonly created: number;
  readonly exists: number;
  readonly rejected: number;
  readonly startedAt: Instant;
  readonly finishedAt: Instant;
  readonly durationMs: number;
  /** SHA-256 of the file's bytes (re-runs of the same file are recognisable). */
  readonly fileSha256: string;
  /** The first `maxReportedRejections` rejected rows. */
  readonly rejections: readonly ImportRejection[];
  /**
   * Dead letters this run stored: a rejected row whose dead letter an earlier run of the same file (same
   * name, row, raw text and reason) already stored is not written again, so a re-run stores 0.
   */
  readonly deadLettersWritten: number;
}

/** What a company import did. */
export type CompanyImportReport = CrmImportReport;
/** What a people import did. */
export type PeopleImportReport = CrmImportReport;

const optionsSchema = z.object({
  db: z.custom<AnyDatabase>(
    (v) =>
      typeof v === 'object' && v !== null && typeof (v as { selectFrom?: unknown }).selectFrom === 'function',
    'must be a Kysely instance',
  ),
  dialect: z.custom<PetDialect>(
    (v) => typeof v === 'object' && v !== null && typeof (v as { codecs?: unknown }).codecs === 'object',
    'must be a PET dialect',
  ),
  prefix: prefixSchema,
  source: z.custom<AsyncIterable<Uint8Array>>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function',
    'must be an async iterable of bytes (e.g. createReadStream(path))',
  ),
  fileName: z.string().trim().min(1, 'is required').max(255),
  totalBytes: z.number().int().min(0).optional(),
  dryRun: z.boolean().optional(),
  batchSize: z.number().int().min(1).max(5000).optional(),
  maxReportedRejections: z.number().int().min(0).max(10_000).optional(),
  actor: z
    .object({ type: z.enum(['employee', 'system', 'integration']), id: z.string().min(1).max(64).nullable() })
    .optional(),
  onProgress: z
    .custom<(p: ImportProgress) => void>((v) => typeof v === 'function', 'must be a function')
    .optional(),
  onRow: z
    .custom<(r: ImportRowOutcome) => void>((v) => typeof v === 'function', 'must be a function')
    .optional(),
});

/** Company header names (lower-cased, spaces and dashes as `_`) → intake field. */
const COMPANY_HEADERS: Readonly<Record<string, keyof Crm.CompanyIntakeRow>> = {
  name: 'name',
  company_name: 'name',
  website: 'website',
  domain: 'website',
  url: 'website',
  external_id: 'externalId',
  externalid: 'externalId',
  apollo_company_id: 'externalId',
  ein: 'ein',
  ein_raw: 'ein',
};

/** People header names → intake field. */
const PERSON_HEADERS: Readonly<Record<string, keyof Crm.PersonIntakeRow>> = {
  name: 'name',
  full_name: 'name',
  person_name: 'name',
  email: 'email',
  e_mail: 'email',
  linkedin_url: 'linkedinUrl',
  linkedin: 'linkedinUrl',
};

/** One data row as read. */
interface ReadRow<R> {
  readonly row: number;
  readonly raw: string;
  /** The row's fields by intake name, or null for an unparseable line. */
  readonly fields: R | null;
  readonly parseError?: string;
}

/** A row that passed validation and the in-file duplicate check, waiting for its batch. */
interface Candidate<I> {
  readonly row: number;
  readonly intake: I;
}

interface DeadLetter {
  readonly row: number;
  readonly raw: string;
  readonly reason: Crm.IntakeRejectionCode;
  readonly detail: string;
}

/** A company found by website or external id. */
interface Found {
  readonly companyId: Crm.CompanyId;
  readonly companyUid: Crm.CompanyUid;
  readonly website: string | null;
  readonly externalId: string | null;
}

const MAX_DETAIL = 500;
const ROWS_PER_INSERT = 200;
const DEFAULT_ACTOR: Actor = { type: 'integration', id: 'crm-import' };

/** A new aggregate's state and first events, waiting for the batch's INSERT. */
export interface Pending<S> {
  readonly id: string;
  readonly state: S;
  readonly drafts: readonly EventDraft[];
}

/**
 * Creates new aggregates of one state table with their events in one batch save of the unit of work
 * (`saveMany`: multi-row INSERTs of the rows, one append of every stream's events, their child rows) —
 * a store without it saves them one by one.
 */
export async function createStates<S, C extends Readonly<Record<string, ColumnSpec>>>(
  scope: UnitOfWorkScope,
  table: StateTable<S, C>,
  pending: readonly Pending<S>[],
): Promise<void> {
  if (pending.length === 0) return;
  const store = scope.aggregate(aggregateOf(table));
  const items = pending.map((p) => ({
    id: p.id as string as Uuid,
    expectedVersion: 0,
    state: p.state,
    events: p.drafts,
  }));
  if (store.saveMany !== undefined) await store.saveMany(items);
  else for (const i of items) await store.save(i.id, 0, i.state, i.events);
}

/** What one run of an intake shares with its kind's reads and writes. */
interface RunContext {
  readonly t: (name: string) => string;
  readonly codecs: PetDialect['codecs'];
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly actor: Actor;
  readonly runId: Uuid;
  /**
   * The companies whose website key was stored before the host rule (with a path or port), by host: read
   * once per run (one scan), so each batch looks its hosts up by equality (the unique index) and adds
   * these from memory. New keys are always bare hosts, so no legacy key appears during the run.
   */
  readonly legacyWebsiteKeys: (scope: UnitOfWorkScope) => Promise<ReadonlyMap<string, readonly Found[]>>;
}

/** What differs between the company and the people intake; the run itself is {@link runCsvImport}. */
interface IntakeKind<R, I> {
  /** Part of a dead letter's key: the same line of a companies and a people file are different letters. */
  readonly kind: 'companies' | 'people';
  /** Header names → intake fields; the header must name `name`. */
  readonly headers: Readonly<Record<string, keyof R>>;
  readonly validate: (row: R) => Result<I, Crm.IntakeRejection>;
  /** The keys under which two rows of one file are the same record. */
  readonly fileKeys: (intake: I) => readonly string[];
  /** Dry run: each row's outcome, writing nothing. */
  readonly classify: (
    ctx: RunContext,
    scope: UnitOfWorkScope,
    rows: readonly Candidate<I>[],
  ) => Promise<ImportRowOutcome[]>;
  /** Commit: write the batch's new records (rows and events) in the unit's transaction. */
  readonly write: (
    ctx: RunContext,
    scope: UnitOfWorkScope,
    rows: readonly Candidate<I>[],
  ) => Promise<ImportRowOutcome[]>;
  /** Unique keys whose violation means a concurrent writer created one of the batch's records first. */
  readonly racingKeys: ReadonlySet<string>;
}

/** An event draft of a new record, validated against the CRM registry. */
function draftOf(
  ctx: RunContext,
  now: Instant,
  streamType: string,
  e: { type: string; payload: unknown },
): EventDraft {
  return Crm.crmEventRegistry.validateDraft({
    eventId: ctx.ids.next(),
    type: e.type,
    schemaVersion: Crm.crmEventRegistry.currentVersion(e.type),
    streamType,
    occurredAt: now,
    actor: ctx.actor,
    context: {},
    correlationId: ctx.runId,
    causationId: null,
    payload: e.payload,
  });
}

/** Companies: found by website host (legacy keys with a path too) or external id; new ones get three slots. */
const COMPANIES: IntakeKind<Crm.CompanyIntakeRow, Crm.CompanyIntake> = {
  kind: 'companies',
  headers: COMPANY_HEADERS,
  validate: Crm.validateCompanyIntakeRow,
  fileKeys: Crm.intakeKeys,
  racingKeys: new Set(['uq_website', 'uq_external_id']),
  async classify(ctx, scope, rows) {
    const matched = matchCompanies(rows, await lookUpCompanies(ctx, scope, rows));
    return rows.map((r, i) => {
      const m = matched[i];
      return m === null || m === undefined
        ? { row: r.row, outcome: 'created' }
        : { row: r.row, outcome: 'exists', companyUid: m.companyUid };
    });
  },
  async write(ctx, scope, rows) {
    const { codecs, ids, t } = ctx;
    const s = sqlScopeOf(scope);
    const matched = matchCompanies(rows, await lookUpCompanies(ctx, scope, rows));
    const now = ctx.clock.now();
    const fresh = rows.filter((_, i) => matched[i] === null).length;
    let sequence = fresh > 0 ? await crmRepository.allocateSequence(scope, 'CO', now, fresh) : 0;
    // New rows, written with multi-row INSERTs; their events then go through the event store, stream by
    // stream (rows and events in this one transaction, as the unit of work's save keeps them).
    const companyRows: Pending<Crm.CompanyState>[] = [];
    const slotRows: Pending<Crm.CompanySlotState>[] = [];
    const openSlots = (
      companyId: Crm.CompanyId,
      companyUid: Crm.CompanyUid,
      roles: readonly Crm.SlotRole[],
    ) => {
      for (const command of Crm.slotOpenCommands(
        companyId,
        companyUid,
        roles,
        () => ids.next() as unknown as Crm.CompanySlotId,
      )) {
        const d = Crm.decideCompanySlot(command, Crm.initialCompanySlotState(), undefined);
        if (!d.ok) throw new Error(`import: opening a slot was refused: ${d.error.code}`); // a bug: fresh slots always open
        const state = d.value.reduce(Crm.evolveCompanySlot, Crm.initialCompanySlotState());
        slotRows.push({
          id: command.slotId,
          state,
          drafts: d.value.map((e) => draftOf(ctx, now, 'company_slot', e)),
        });
      }
    };
    // Existing companies: ensure their three slots.
    const existing = [...new Set(matched.filter((m): m is Found => m !== null).map((m) => m.companyId))];
    if (existing.length > 0) {
      const have = (await s.query('import slots', (trx) =>
        trx
          .selectFrom(t('company_slots'))
          .select(['company_id', 'role'])
          .where(
            'company_id',
            'in',
            existing.map((id) => codecs.encodeId(id)),
          )
          .execute(),
      )) as Record<string, unknown>[];
      const roles = new Map<string, Crm.SlotRole[]>();
      for (const h of have) {
        const id = codecs.decodeId(h['company_id']);
        roles.set(id, [...(roles.get(id) ?? []), String(h['role']) as Crm.SlotRole]);
      }
      const uidOf = new Map(
        matched.filter((m): m is Found => m !== null).map((m) => [m.companyId, m.companyUid]),
      );
      for (const id of existing) {
        const missing = Crm.missingSlotRoles(roles.get(id) ?? []);
        if (missing.length > 0) openSlots(id, uidOf.get(id) as Crm.CompanyUid, missing);
      }
    }
    const outcomes: ImportRowOutcome[] = [];
    for (const [i, r] of rows.entries()) {
      const m = matched[i];
      if (m !== null && m !== undefined) {
        outcomes.push({ row: r.row, outcome: 'exists', companyUid: m.companyUid });
        continue;
      }
      const companyId = ids.next() as unknown as Crm.CompanyId;
      const companyUid = Crm.formatCompanyUid(now, sequence++);
      const commands = Crm.companyCreationCommands(r.intake, {
        companyId,
        companyUid,
        createdAt: now,
        slotId: () => ids.next() as unknown as Crm.CompanySlotId,
      });
      const d = Crm.decideCompany(commands.company, Crm.initialCompanyState(), undefined);
      if (!d.ok) throw new Error(`import: a validated row was refused: ${d.error.code}`); // a bug: intake validation covers the decider
      const state = d.value.reduce(Crm.evolveCompany, Crm.initialCompanyState());
      companyRows.push({ id: companyId, state, drafts: d.value.map((e) => draftOf(ctx, now, 'company', e)) });
      openSlots(companyId, companyUid, Crm.SLOT_ROLES);
      outcomes.push({ row: r.row, outcome: 'created', companyUid });
    }
    await createStates(scope, companiesTable, companyRows);
    await createStates(scope, companySlotsTable, slotRows);
    return outcomes;
  },
};

/** Looks the batch's keys up: one SELECT for website hosts (and legacy keys of them) and external ids. */
async function lookUpCompanies(
  ctx: RunContext,
  scope: UnitOfWorkScope,
  rows: readonly Candidate<Crm.CompanyIntake>[],
): Promise<Found[]> {
  const websites = [...new Set(rows.flatMap((r) => (r.intake.website === null ? [] : [r.intake.website])))];
  const externals = rows.flatMap((r) => (r.intake.externalId === null ? [] : [r.intake.externalId]));
  if (websites.length === 0 && externals.length === 0) return [];
  const legacy = websites.length > 0 ? await ctx.legacyWebsiteKeys(scope) : new Map<string, Found[]>();
  const found = (await sqlScopeOf(scope).query('import look-up', (trx) =>
    trx
      .selectFrom(ctx.t('companies'))
      .select(['id', 'company_uid', 'website', 'external_id'])
      .where((eb) =>
        eb.or([
          ...(websites.length > 0 ? [eb('website', 'in', websites)] : []),
          ...(externals.length > 0 ? [eb('external_id', 'in', externals)] : []),
        ]),
      )
      .execute(),
  )) as Record<string, unknown>[];
  return [...found.map((f) => foundOf(ctx, f)), ...websites.flatMap((w) => legacy.get(w) ?? [])];
}

/** A `companies` row (id, company_uid, website, external_id) as a {@link Found}. */
function foundOf(ctx: RunContext, f: Record<string, unknown>): Found {
  return {
    companyId: ctx.codecs.decodeId(f['id']) as Crm.CompanyId,
    companyUid: String(f['company_uid']) as Crm.CompanyUid,
    website: f['website'] === null ? null : String(f['website']),
    externalId: f['external_id'] === null ? null : String(f['external_id']),
  };
}

/** Each row's match by website host first, then external id (like `Crm.planCompanyIntake`). */
function matchCompanies(
  rows: readonly Candidate<Crm.CompanyIntake>[],
  found: readonly Found[],
): (Found | null)[] {
  const byExternal = new Map(found.filter((f) => f.externalId !== null).map((f) => [f.externalId, f]));
  return rows.map(
    (r) =>
      (r.intake.website === null ? null : Crm.pickWebsiteMatch(found, r.intake.website)) ??
      (r.intake.externalId === null ? undefined : byExternal.get(r.intake.externalId)) ??
      null,
  );
}

/** A person found by e-mail. */
interface FoundPerson {
  readonly personUid: Crm.PersonUid;
  readonly email: string;
}

async function lookUpPeople(
  ctx: RunContext,
  scope: UnitOfWorkScope,
  rows: readonly Candidate<Crm.PersonIntake>[],
): Promise<Map<string, FoundPerson>> {
  const emails = rows.map((r) => r.intake.email as string);
  if (emails.length === 0) return new Map();
  const found = (await sqlScopeOf(scope).query('import look-up', (trx) =>
    trx.selectFrom(ctx.t('people')).select(['person_uid', 'email']).where('email', 'in', emails).execute(),
  )) as Record<string, unknown>[];
  return new Map(
    found.map((f) => [
      String(f['email']),
      { personUid: String(f['person_uid']) as Crm.PersonUid, email: String(f['email']) },
    ]),
  );
}

/** People: found by normalised e-mail; new ones get a `PE-…` uid. */
const PEOPLE: IntakeKind<Crm.PersonIntakeRow, Crm.PersonIntake> = {
  kind: 'people',
  headers: PERSON_HEADERS,
  validate: Crm.validatePersonIntakeRow,
  fileKeys: (intake) => [`email:${intake.email}`],
  racingKeys: new Set(['uq_email']),
  async classify(ctx, scope, rows) {
    const found = await lookUpPeople(ctx, scope, rows);
    return rows.map((r) => {
      const m = found.get(r.intake.email);
      return m === undefined
        ? { row: r.row, outcome: 'created' }
        : { row: r.row, outcome: 'exists', personUid: m.personUid };
    });
  },
  async write(ctx, scope, rows) {
    const found = await lookUpPeople(ctx, scope, rows);
    const now = ctx.clock.now();
    const fresh = rows.filter((r) => !found.has(r.intake.email)).length;
    let sequence = fresh > 0 ? await crmRepository.allocateSequence(scope, 'PE', now, fresh) : 0;
    const personRows: Pending<Crm.PersonState>[] = [];
    const outcomes: ImportRowOutcome[] = [];
    for (const r of rows) {
      const m = found.get(r.intake.email);
      if (m !== undefined) {
        outcomes.push({ row: r.row, outcome: 'exists', personUid: m.personUid });
        continue;
      }
      const personId = ctx.ids.next() as unknown as Crm.PersonId;
      const personUid = Crm.formatPersonUid(now, sequence++);
      const command = Crm.personCreationCommand(r.intake, { personId, personUid, createdAt: now });
      const d = Crm.decidePerson(command, Crm.initialPersonState(), undefined);
      if (!d.ok) throw new Error(`import: a validated row was refused: ${d.error.code}`); // a bug: intake validation covers the decider
      const state = d.value.reduce(Crm.evolvePerson, Crm.initialPersonState());
      personRows.push({ id: personId, state, drafts: d.value.map((e) => draftOf(ctx, now, 'person', e)) });
      outcomes.push({ row: r.row, outcome: 'created', personUid });
    }
    await createStates(scope, peopleTable, personRows);
    return outcomes;
  },
};

/**
 * A dead letter's key: the SHA-256 of the import kind, file name, row, reason and raw text. A re-run of
 * the same file finds its letters under the same keys and writes none again.
 */
function letterKey(kind: string, fileName: string, l: DeadLetter): string {
  return createHash('sha256')
    .update(JSON.stringify([kind, fileName, l.row, l.reason, l.raw]))
    .digest('hex');
}

/**
 * Stores the dead letters whose key is not stored yet (one look-up per chunk, then a multi-row INSERT) and
 * returns how many it stored. A concurrent run of the same file that stores one first makes the INSERT
 * fail on `uq_letter_key`: the batch is retried and then skips it.
 */
async function writeDeadLetters(
  ctx: RunContext,
  scope: UnitOfWorkScope,
  kind: string,
  fileName: string,
  dead: readonly DeadLetter[],
): Promise<number> {
  const s = sqlScopeOf(scope);
  let written = 0;
  for (let at = 0; at < dead.length; at += ROWS_PER_INSERT) {
    const keyed = dead.slice(at, at + ROWS_PER_INSERT).map((l) => ({ l, key: letterKey(kind, fileName, l) }));
    const stored = (await s.query('import dead letters', (trx) =>
      trx
        .selectFrom(ctx.t('crm_dead_letters'))
        .select('letter_key')
        .where(
          'letter_key',
          'in',
          keyed.map((k) => k.key),
        )
        .execute(),
    )) as Record<string, unknown>[];
    const known = new Set(stored.map((r) => String(r['letter_key'])));
    const chunk = keyed
      .filter((k) => !known.has(k.key))
      .map(({ l, key }) => ({
        id: ctx.codecs.encodeId(ctx.ids.next()),
        run_id: ctx.codecs.encodeId(ctx.runId),
        file_name: fileName,
        source_row: l.row,
        raw_text: l.raw,
        reason: l.reason,
        detail: l.detail,
        letter_key: key,
      }));
    if (chunk.length === 0) continue;
    await s.query('import dead letters', (trx) =>
      trx.insertInto(ctx.t('crm_dead_letters')).values(chunk).execute(),
    );
    written += chunk.length;
  }
  return written;
}

/**
 * Imports companies from a CSV file on any database of the seam: every new company gets a `CO-…` uid and
 * its three slots (CEO, CFO, HR), each saved through the unit of work with its `company.created` /
 * `company_slot.opened` event (rows and events together, events only through the event store); a company
 * already known by its website host (first) or its external id counts as `exists` (its missing slots are
 * opened). A company stored before the host rule with a path or port in its key (`gamma.com/x`) is found
 * by its host.
 *
 * - The source is streamed (`readCsvRecords`) with a header row: `name` plus any of `website` (or `domain`,
 *   `url`), `external_id` (or `apollo_company_id`), `ein`. Memory is bounded: one batch of rows at a time,
 *   plus the keys of the file (for in-file duplicates), at most `maxReportedRejections` rejections and the
 *   companies whose website key was stored before the host rule (read once per run).
 * - Bad rows — missing name, malformed website, neither website nor external id, a field too long for its
 *   column, a duplicate of an earlier row of the same file, an unparseable line — go to
 *   `<prefix>crm_dead_letters` with file name, row (the file line it starts on), the raw text and the
 *   reason code (`Crm.INTAKE_REJECTION_CODES`), keyed so that a re-run of the same file stores none again.
 * - Commit mode writes in batches of `batchSize` rows, one unit of work each (uids allocated in it); each
 *   run is recorded in `<prefix>crm_import_runs` (counts, timings, file hash; `failed` with the error
 *   when it stops). A batch that loses a race to a concurrent writer of the same company is retried and
 *   then finds it. Re-running the same file creates nothing new.
 * - `dryRun` reads the same way and reports each row as created | exists | rejected, writing nothing.
 *
 * Throws a `ValidationError` for bad options or a file without a `name` column, or a typed `PetError`
 * when the run cannot go on; batches already committed stay (a re-run picks up where it stopped).
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { stat } from 'node:fs/promises';
 * const { db, dialect } = openSqlite({ path: 'pet.db' });
 * const report = await importCompaniesCsv({
 *   db, dialect, prefix: 'pet_',
 *   source: createReadStream('companies.csv'), fileName: 'companies.csv', totalBytes: (await stat('companies.csv')).size,
 * });
 * console.log(report.created, report.exists, report.rejected, report.rejections[0]);
 * ```
 */
export function importCompaniesCsv(options: ImportCompaniesOptions): Promise<CompanyImportReport> {
  return runCsvImport(options, COMPANIES);
}

/**
 * Imports people from a CSV file, the way {@link importCompaniesCsv} imports companies (the same options,
 * streaming, batches, run record, dry run, progress and keyed dead letters): the header row has `name` and
 * `email`, optionally `linkedin_url`. A person already known by the normalised e-mail counts as `exists`
 * (unchanged); a new one gets a `PE-…` uid and its `person.created` event. The e-mail is required (the key
 * a re-run finds the person by): a row without one is dead-lettered `MISSING_KEY`; a malformed e-mail
 * `MALFORMED_EMAIL`, a LinkedIn URL off `linkedin.com` `MALFORMED_LINKEDIN_URL`, a second row with the same
 * e-mail `DUPLICATE_IN_FILE`. Linking people to slots is a separate step (`linkPersonToSlotByUid`).
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * const { db, dialect } = openSqlite({ path: 'pet.db' });
 * const report = await importPeopleCsv({ db, dialect, prefix: 'pet_', source: createReadStream('people.csv'), fileName: 'people.csv' });
 * console.log(report.created, report.exists, report.rejected);
 * ```
 */
export function importPeopleCsv(options: ImportPeopleOptions): Promise<PeopleImportReport> {
  return runCsvImport(options, PEOPLE);
}

/**
 * One CSV intake run of `kind`. However it ends — report, refused options or header, failed batch — the
 * source is let go ({@link releaseSource}): a file stream left open, or erroring after the answer with no
 * listener, would otherwise crash the host with an unhandled `'error'` event.
 */
async function runCsvImport<R, I>(
  options: ImportCompaniesOptions,
  kind: IntakeKind<R, I>,
): Promise<CrmImportReport> {
  const reading: Reading = {};
  try {
    return await runCsvImportOn(options, kind, reading);
  } finally {
    await releaseSource(options?.source, reading.records);
  }
}

/** The reader a run started over its source, for {@link releaseSource} once the run ends. */
interface Reading {
  records?: AsyncGenerator<unknown>;
}

/** The run itself: options, header, batches, dead letters, run record, report. */
async function runCsvImportOn<R, I>(
  options: ImportCompaniesOptions,
  kind: IntakeKind<R, I>,
  reading: Reading,
): Promise<CrmImportReport> {
  const valid = parseInput(optionsSchema, options, 'import options');
  const { db, dialect, prefix } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidV7Ids;
  const actor = valid.actor ?? DEFAULT_ACTOR;
  const dryRun = valid.dryRun ?? false;
  const batchSize = valid.batchSize ?? 500;
  const maxReported = valid.maxReportedRejections ?? 100;
  const fileName = valid.fileName;
  const totalBytes = valid.totalBytes ?? 0;
  const events = options.events ?? createEventStore({ db, dialect, prefix });
  const uow: UnitOfWork = createUnitOfWork({ dialect, prefix, events, tables: CRM_TABLES });
  const codecs = dialect.codecs;
  const t = (name: string): string => `${prefix}${name}`;

  const runId = ids.next();
  let legacyKeys: Promise<ReadonlyMap<string, readonly Found[]>> | undefined;
  // Read in the first batch's transaction (on SQLite the database's one connection is that unit's).
  const legacyWebsiteKeys = (scope: UnitOfWorkScope): Promise<ReadonlyMap<string, readonly Found[]>> => {
    legacyKeys ??= sqlScopeOf(scope)
      .query('import legacy website keys', (trx) =>
        trx
          .selectFrom(t('companies'))
          .select(['id', 'company_uid', 'website', 'external_id'])
          .where((eb) => eb.or([eb('website', 'like', '%/%'), eb('website', 'like', '%:%')]))
          .execute(),
      )
      .then(
        (rows) => {
          const byHost = new Map<string, Found[]>();
          for (const r of rows as Record<string, unknown>[]) {
            const f = foundOf(ctx, r);
            const host = f.website === null ? null : Crm.websiteHostOf(f.website);
            if (host !== null) byHost.set(host, [...(byHost.get(host) ?? []), f]);
          }
          return byHost;
        },
        (e: unknown) => {
          legacyKeys = undefined; // a failed unit is retried: read again then
          throw e;
        },
      );
    return legacyKeys;
  };
  const ctx: RunContext = { t, codecs, ids, clock, actor, runId, legacyWebsiteKeys };
  const startedAt = clock.now();
  const t0 = performance.now();
  const counts = { rowsRead: 0, created: 0, exists: 0, rejected: 0, bytesRead: 0 };
  let deadLettersWritten = 0;
  const rejections: ImportRejection[] = [];
  const hash = createHash('sha256');
  // The first row naming each key (website, external id, e-mail), for DUPLICATE_IN_FILE: flat memory.
  const firstRowOf = firstRows();
  // The header is read before the run is recorded: an unreadable source or a file without a header with
  // a `name` column is refused with nothing written.
  const records = readRows(options.source, kind.headers, (chunk) => {
    counts.bytesRead += chunk.byteLength;
    hash.update(chunk);
  });
  reading.records = records;
  const head = await records.next().catch((e: unknown) => {
    throw isPetError(e)
      ? e
      : new ValidationError('import source', [{ field: 'source', rule: `could not be read (${codeOf(e)})` }]);
  });
  const progress = (): void => options.onProgress?.({ ...counts, totalBytes });

  if (!dryRun) {
    await uow.run((scope) =>
      sqlScopeOf(scope).query('import run', (trx) =>
        trx
          .insertInto(t('crm_import_runs'))
          .values({
            id: codecs.encodeId(runId),
            version: 1,
            state: 'running',
            mode: 'commit',
            file_name: fileName,
            started_at: codecs.encodeInstant(startedAt),
            created_by_employee_id: employeeKey(actor),
          })
          .execute(),
      ),
    );
  }

  let batch: Candidate<I>[] = [];
  let letters: DeadLetter[] = [];
  const reject = (r: ReadRow<R>, reason: Crm.IntakeRejectionCode, detail: string): void => {
    counts.rejected++;
    if (rejections.length < maxReported) rejections.push({ row: r.row, reason, detail });
    letters.push({ row: r.row, raw: r.raw, reason, detail: detail.slice(0, MAX_DETAIL) });
    options.onRow?.({ row: r.row, outcome: 'rejected', reason, detail });
  };

  const flush = async (): Promise<void> => {
    if (batch.length === 0 && letters.length === 0) return;
    const rows = batch;
    const dead = letters;
    batch = [];
    letters = [];
    const outcomes = dryRun
      ? await uow.run((scope) => kind.classify(ctx, scope, rows))
      : await writeBatch(rows, dead);
    for (const o of outcomes) {
      if (o.outcome === 'created') counts.created++;
      else counts.exists++;
      options.onRow?.(o);
    }
    progress();
  };

  async function writeBatch(
    rows: readonly Candidate<I>[],
    dead: readonly DeadLetter[],
  ): Promise<ImportRowOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const done = await uow.run(async (scope) => ({
          outcomes: await kind.write(ctx, scope, rows),
          letters: await writeDeadLetters(ctx, scope, kind.kind, fileName, dead),
        }));
        deadLettersWritten += done.letters;
        return done.outcomes;
      } catch (e) {
        // A concurrent writer created one of these records (or dead letters) first: the next attempt finds it.
        const key = isPetError(e) && e.code === 'DUPLICATE_KEY' ? e.details?.['key'] : '';
        const lostRace =
          isPetError(e) &&
          e.code === 'DUPLICATE_KEY' &&
          (key === undefined || key === 'uq_letter_key' || kind.racingKeys.has(String(key)));
        if (!(lostRace || (isPetError(e) && e.retryable)) || attempt >= 5) throw e;
      }
    }
  }

  let failure: unknown;
  try {
    for (let next = head; next.done !== true; next = await records.next()) {
      const r = next.value;
      counts.rowsRead++;
      if (r.fields === null) {
        reject(r, 'UNPARSEABLE_LINE', r.parseError ?? 'the CSV parser could not read the line');
      } else {
        const v = kind.validate(r.fields);
        if (!v.ok) {
          reject(r, v.error.code, v.error.message);
        } else {
          const keys = kind.fileKeys(v.value);
          const earlier = keys.map((k) => firstRowOf.firstRow(k)).find((n) => n !== undefined);
          if (earlier !== undefined) {
            reject(
              r,
              'DUPLICATE_IN_FILE',
              `the same ${kind.kind === 'people' ? 'person' : 'company'} as row ${earlier}`,
            );
          } else {
            for (const k of keys) firstRowOf.remember(k, r.row);
            batch.push({ row: r.row, intake: v.value });
          }
        }
      }
      if (batch.length >= batchSize || letters.length >= batchSize) await flush();
    }
    await flush();
  } catch (e) {
    failure = e;
  }

  const finishedAt = clock.now();
  const fileSha256 = hash.digest('hex');
  if (!dryRun) {
    const error =
      failure === undefined ? null : String((failure as Error).message ?? failure).slice(0, 10_000);
    await uow
      .run((scope) =>
        sqlScopeOf(scope).query('import run', (trx) =>
          trx
            .updateTable(t('crm_import_runs'))
            .set({
              version: 2,
              state: failure === undefined ? 'completed' : 'failed',
              file_sha256: fileSha256,
              rows_total: counts.rowsRead,
              rows_created: counts.created,
              rows_existing: counts.exists,
              rows_rejected: counts.rejected,
              finished_at: codecs.encodeInstant(finishedAt),
              error,
            })
            .where('id', '=', codecs.encodeId(runId))
            .execute(),
        ),
      )
      .catch((e: unknown) => {
        failure ??= e;
      });
  }
  if (failure !== undefined)
    throw isPetError(failure) || failure instanceof ValidationError
      ? failure
      : dialect.classifyError(failure, 'import');
  progress();
  return {
    runId,
    fileName,
    dryRun,
    rows: counts.rowsRead,
    created: counts.created,
    exists: counts.exists,
    rejected: counts.rejected,
    startedAt,
    finishedAt,
    durationMs: Math.round(performance.now() - t0),
    fileSha256,
    rejections,
    deadLettersWritten,
  };

  function employeeKey(a: Actor): unknown {
    if (a.type !== 'employee' || a.id === null) return null;
    return uuidSchema.safeParse(a.id).success ? codecs.encodeId(a.id) : null;
  }
}

/**
 * The data rows of a CSV source, their fields named through the header row (the header must have a
 * `name` column; an unreadable header refuses the file).
 */
async function* readRows<R>(
  source: AsyncIterable<Uint8Array>,
  headers: Readonly<Record<string, keyof R>>,
  onChunk: (chunk: Uint8Array) => void,
): AsyncGenerator<ReadRow<R>> {
  let header: (keyof R | null)[] | null = null;
  for await (const rec of readCsvRecords(source, onChunk)) {
    if (header === null) {
      if (rec.fields === null)
        throw headerError(`line ${rec.line} cannot be read: ${rec.error ?? 'unreadable'}`);
      header = rec.fields.map(
        (h) =>
          headers[
            h
              .trim()
              .toLowerCase()
              .replace(/[\s-]+/g, '_')
          ] ?? null,
      );
      if (!header.includes('name' as keyof R)) throw headerError('the header row has no name column');
      continue;
    }
    if (rec.fields === null) {
      yield { row: rec.line, raw: rec.raw, fields: null, parseError: rec.error ?? 'unreadable line' };
      continue;
    }
    const fields: Partial<Record<keyof R, string>> = {};
    rec.fields.forEach((value, i) => {
      const key = header?.[i];
      if (key !== null && key !== undefined && fields[key] === undefined) fields[key] = value;
    });
    yield { row: rec.line, raw: rec.raw, fields: fields as R };
  }
  if (header === null) throw headerError('the file is empty (no header row)');
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}

function headerError(rule: string): ValidationError {
  return new ValidationError('import file', [{ field: 'source', rule }]);
}
