import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  type Actor,
  type Clock,
  Crm,
  type EventDraft,
  type IdGenerator,
  type Instant,
  isPetError,
  PetError,
  parseInput,
  ValidationError,
} from '@pet-ops/core';
import { type CsvError, parse } from 'csv-parse';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { z } from 'zod';
import { isDriverError, mapDriverError } from '../errors.js';
import { encodeDrafts, type SqlValue } from '../event-store/codec.js';
import { statement } from '../event-store/driver.js';
import { createEventLog, DEFAULT_GAP_SAFETY, type EventLog, poolSchema } from '../event-store/event-log.js';
import { planStatements } from '../event-store/statements.js';
import { instantToSql } from '../internal/datetime.js';
import { bytesToUuid, uuidToBytes } from '../internal/uuid-bytes.js';
import { tablePrefixSchema } from '../prefix.js';
import { systemClock, uuidV7Ids } from '../system.js';
import { encodeStateColumns } from '../unit-of-work/state-table.js';
import { companyDefinition, companySlotDefinition } from './definitions.js';

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
  /** The company's uid (`created`, `exists`; in a dry run only for `exists`). */
  readonly companyUid?: Crm.CompanyUid;
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
  /** A mysql2 promise pool made by `connect()`. */
  readonly pool: Pool;
  /** Table prefix of the PET tables. */
  readonly prefix: string;
  /** Path of the CSV file (UTF-8, header row with `name` and any of `website`, `external_id`, `ein`). */
  readonly file: string;
  /** Report what would happen and write nothing at all. Default false. */
  readonly dryRun?: boolean;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: UUIDv7. */
  readonly ids?: IdGenerator;
  /** Who the events are attributed to. Default `{ type: 'integration', id: 'crm-import' }`. */
  readonly actor?: Actor;
  /** Called after every batch and once at the end. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Called for every data row, in file order (per batch). */
  readonly onRow?: (row: ImportRowOutcome) => void;
  /** Rows per transaction (1 … 5000). Default 1000. */
  readonly batchSize?: number;
  /** How many rejections the report lists (0 … 10 000). Default 100; all are dead-lettered anyway. */
  readonly maxReportedRejections?: number;
}

/** What an import did. */
export interface CompanyImportReport {
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
}

const optionsSchema = z.object({
  pool: poolSchema,
  prefix: tablePrefixSchema,
  file: z.string().min(1, 'is required'),
  dryRun: z.boolean().optional(),
  batchSize: z.number().int().min(1).max(5000).optional(),
  maxReportedRejections: z.number().int().min(0).max(10_000).optional(),
  actor: z
    .object({ type: z.enum(['employee', 'system', 'integration']), id: z.string().min(1).max(64).nullable() })
    .optional(),
});

/** Header names (lower-cased, spaces and dashes as `_`) → intake field. */
const HEADER_ALIASES: Readonly<Record<string, keyof Crm.CompanyIntakeRow>> = {
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

/** One data row as read. */
interface ReadRow {
  readonly row: number;
  readonly raw: string;
  /** The row's fields by intake name, or null for an unparseable line. */
  readonly fields: Crm.CompanyIntakeRow | null;
  /** Set for unparseable lines. */
  readonly parseError?: string;
}

/** A row that passed validation and in-file duplicate checks, waiting for its batch. */
interface Candidate {
  readonly row: number;
  readonly intake: Crm.CompanyIntake;
}

interface DeadLetter {
  readonly row: number;
  readonly raw: string;
  readonly reason: Crm.IntakeRejectionCode;
  readonly detail: string;
}

/** A company found by website or external id, with the slot roles it has. */
interface Found {
  readonly companyId: Crm.CompanyId;
  readonly companyUid: Crm.CompanyUid;
  readonly website: string | null;
  readonly externalId: string | null;
}

const MAX_DETAIL = 500;
const DEFAULT_ACTOR: Actor = { type: 'integration', id: 'crm-import' };

/** The file line a record starts on, from the line it ends on and its raw text. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
  let breaks = 0;
  for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) breaks++;
  return endLine - breaks;
}

const cleanRaw = (raw: string): string => raw.replace(/^[\r\n]+/, '').replace(/\r?\n$|\r$/, '');

/**
 * Imports companies from a CSV file: every new company gets a `CO-…` uid and its three slots (CEO, CFO,
 * HR) with their `company.created` / `company_slot.opened` events; a company already known by its
 * normalised website (first) or its external id counts as `exists` (its missing slots are opened).
 *
 * - The file is streamed (csv-parse) with a header row: `name` plus any of `website` (or `domain`,
 *   `url`), `external_id` (or `apollo_company_id`), `ein`. Memory grows only with the keys of the file
 *   (for in-file duplicates), not with its rows.
 * - Bad rows — missing name, malformed website, neither website nor external id, a field too long for
 *   its column, a duplicate of an earlier row of the same file, an unparseable line (wrong field count,
 *   unclosed quote) — go to `<prefix>crm_dead_letters` with file name, row (the file line it starts on),
 *   the raw text and the reason code (`INTAKE_REJECTION_CODES`).
 * - Commit mode writes in batches of `batchSize` rows, one transaction each, with multi-row INSERTs
 *   (companies, slots, events, dead letters); each run is recorded in `<prefix>crm_import_runs` (counts,
 *   timings, file hash; `failed` with the error when it stops). A batch that loses a race to a
 *   concurrent writer of the same company is retried and then finds it. Re-running the same file
 *   creates nothing new.
 * - `dryRun` reads the same way and reports each row as created | exists | rejected, writing nothing.
 *
 * Throws a `ValidationError` for bad options or a file without a `name` column, a `PetError`
 * (`FILE_UNREADABLE`, or a mapped driver error) when the run cannot go on; batches already committed
 * stay (a re-run picks up where it stopped, because their companies then exist).
 *
 * @example
 * ```ts
 * const report = await importCompaniesCsv({
 *   pool, prefix: 'wp_pet_', file: 'companies.csv', dryRun: true,
 *   onProgress: (p) => console.log(`${p.bytesRead}/${p.totalBytes} bytes, ${p.created} new`),
 * });
 * console.log(report.created, report.exists, report.rejected, report.rejections[0]);
 * ```
 */
export async function importCompaniesCsv(options: ImportCompaniesOptions): Promise<CompanyImportReport> {
  const valid = parseInput(optionsSchema, options, 'import options');
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidV7Ids;
  const actor = valid.actor ?? DEFAULT_ACTOR;
  const dryRun = valid.dryRun ?? false;
  const batchSize = valid.batchSize ?? 1000;
  const maxReported = valid.maxReportedRejections ?? 100;
  const prefix = valid.prefix;
  const t = (name: string): string => `\`${prefix}${name}\``;
  const fileName = basename(valid.file).slice(0, 255);

  let totalBytes: number;
  try {
    totalBytes = (await stat(valid.file)).size;
  } catch (e) {
    throw new ValidationError('import options', [
      {
        field: 'file',
        rule: `must be a readable file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      },
    ]);
  }

  const runId = ids.next();
  const startedAt = clock.now();
  const t0 = performance.now();
  const counts = { rowsRead: 0, created: 0, exists: 0, rejected: 0, bytesRead: 0 };
  const rejections: ImportRejection[] = [];
  const hash = createHash('sha256');
  const log = createEventLog(prefix, DEFAULT_GAP_SAFETY);
  const duplicates = Crm.inFileDuplicates();

  const progress = (): void =>
    options.onProgress?.({
      rowsRead: counts.rowsRead,
      created: counts.created,
      exists: counts.exists,
      rejected: counts.rejected,
      bytesRead: counts.bytesRead,
      totalBytes,
    });

  const runKey = uuidToBytes(runId);
  if (!dryRun) {
    await withPool(valid.pool, 'import run', (conn) =>
      statement(
        conn,
        'query',
        `INSERT INTO ${t('crm_import_runs')} (id, version, state, mode, file_name, started_at, created_by_employee_id) VALUES (?, 1, 'running', 'commit', ?, ?, ?)`,
        [runKey, fileName, instantToSql(startedAt), employeeKey(actor)],
      ),
    );
  }

  let batch: Candidate[] = [];
  let letters: DeadLetter[] = [];
  const reject = (r: ReadRow, reason: Crm.IntakeRejectionCode, detail: string): void => {
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
      ? await withPool(valid.pool, 'import dry run', (conn) => classify(conn, rows))
      : await writeBatch(rows, dead);
    for (const o of outcomes) {
      if (o.outcome === 'created') counts.created++;
      else counts.exists++;
      options.onRow?.(o);
    }
    progress();
  };

  /** Looks the batch's keys up: one SELECT for websites and external ids. */
  async function lookUp(conn: PoolConnection, rows: readonly Candidate[]): Promise<Found[]> {
    const websites = rows.flatMap((r) => (r.intake.website === null ? [] : [r.intake.website]));
    const externals = rows.flatMap((r) => (r.intake.externalId === null ? [] : [r.intake.externalId]));
    const where: string[] = [];
    const values: unknown[] = [];
    if (websites.length > 0) {
      where.push('website IN (?)');
      values.push(websites);
    }
    if (externals.length > 0) {
      where.push('external_id IN (?)');
      values.push(externals);
    }
    if (where.length === 0) return [];
    const found = await statement<RowDataPacket[]>(
      conn,
      'query',
      `SELECT id, company_uid, website, external_id FROM ${t('companies')} WHERE ${where.join(' OR ')}`,
      values,
    );
    return found.map((f) => ({
      companyId: bytesToUuid(f['id'] as Buffer) as unknown as Crm.CompanyId,
      companyUid: String(f['company_uid']) as Crm.CompanyUid,
      website: f['website'] === null ? null : String(f['website']),
      externalId: f['external_id'] === null ? null : String(f['external_id']),
    }));
  }

  /** Each row's match by website first, then external id (like `planCompanyIntake`). */
  function match(rows: readonly Candidate[], found: readonly Found[]): (Found | null)[] {
    const byWebsite = new Map(found.filter((f) => f.website !== null).map((f) => [f.website, f]));
    const byExternal = new Map(found.filter((f) => f.externalId !== null).map((f) => [f.externalId, f]));
    return rows.map(
      (r) =>
        (r.intake.website === null ? undefined : byWebsite.get(r.intake.website)) ??
        (r.intake.externalId === null ? undefined : byExternal.get(r.intake.externalId)) ??
        null,
    );
  }

  async function classify(conn: PoolConnection, rows: readonly Candidate[]): Promise<ImportRowOutcome[]> {
    const matched = match(rows, await lookUp(conn, rows));
    return rows.map((r, i) => {
      const m = matched[i];
      return m === null || m === undefined
        ? { row: r.row, outcome: 'created' }
        : { row: r.row, outcome: 'exists', companyUid: m.companyUid };
    });
  }

  async function writeBatch(
    rows: readonly Candidate[],
    dead: readonly DeadLetter[],
  ): Promise<ImportRowOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withPool(valid.pool, 'import batch', (conn) => transaction(conn, rows, dead));
      } catch (e) {
        // A concurrent writer created one of these companies first: the next attempt finds it.
        const key = isPetError(e) && e.code === 'DUPLICATE_KEY' ? String(e.details?.['key']) : '';
        const retryable = isPetError(e) && e.retryable;
        if ((!retryable && key !== 'uq_website' && key !== 'uq_external_id') || attempt >= 5) throw e;
      }
    }
  }

  async function transaction(
    conn: PoolConnection,
    rows: readonly Candidate[],
    dead: readonly DeadLetter[],
  ): Promise<ImportRowOutcome[]> {
    await statement(conn, 'query', 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await statement(conn, 'query', 'START TRANSACTION');
    try {
      const matched = match(rows, await lookUp(conn, rows));
      const now = clock.now();
      const outcomes: ImportRowOutcome[] = [];
      const companyRows: Record<string, unknown>[] = [];
      const slotRows: Record<string, unknown>[] = [];
      const events: { streamId: string; draft: EventDraft }[] = [];
      const fresh = rows.filter((_, i) => matched[i] === null);
      let sequence = 0;
      if (fresh.length > 0) {
        const res = await statement<ResultSetHeader>(
          conn,
          'query',
          `INSERT INTO ${t('uid_sequences')} (kind, day, last_sequence) VALUES ('CO', ?, LAST_INSERT_ID(?)) ON DUPLICATE KEY UPDATE last_sequence = LAST_INSERT_ID(last_sequence + ?)`,
          [Crm.uidDay(now), fresh.length, fresh.length],
        );
        sequence = Number(res.insertId) - fresh.length + 1;
      }
      const draft = (streamType: string, e: { type: string; payload: unknown }): EventDraft =>
        Crm.crmEventRegistry.validateDraft({
          eventId: ids.next(),
          type: e.type,
          schemaVersion: Crm.crmEventRegistry.currentVersion(e.type),
          streamType,
          occurredAt: now,
          actor,
          context: {},
          correlationId: runId,
          causationId: null,
          payload: e.payload,
        });
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
          slotRows.push(rowOf(companySlotDefinition.encode(state), command.slotId));
          for (const e of d.value) events.push({ streamId: command.slotId, draft: draft('company_slot', e) });
        }
      };
      // Existing companies: ensure their three slots.
      const existing = [...new Set(matched.filter((m): m is Found => m !== null).map((m) => m.companyId))];
      if (existing.length > 0) {
        const have = await statement<RowDataPacket[]>(
          conn,
          'query',
          `SELECT company_id, role FROM ${t('company_slots')} WHERE company_id IN (?)`,
          [existing.map((id) => uuidToBytes(id))],
        );
        const roles = new Map<string, Crm.SlotRole[]>();
        for (const h of have) {
          const id = bytesToUuid(h['company_id'] as Buffer);
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
        companyRows.push(rowOf(companyDefinition.encode(state), companyId));
        for (const e of d.value) events.push({ streamId: companyId, draft: draft('company', e) });
        openSlots(companyId, companyUid, Crm.SLOT_ROLES);
        outcomes.push({ row: r.row, outcome: 'created', companyUid });
      }
      await insertRows(conn, t('companies'), companyRows);
      await insertRows(conn, t('company_slots'), slotRows);
      await appendNewStreams(conn, log, events);
      await insertRows(
        conn,
        t('crm_dead_letters'),
        dead.map((l) => ({
          id: uuidToBytes(ids.next()),
          run_id: runKey,
          file_name: fileName,
          source_row: l.row,
          raw_text: l.raw,
          reason: l.reason,
          detail: l.detail,
        })),
      );
      await statement(conn, 'query', 'COMMIT');
      return outcomes;
    } catch (e) {
      await statement(conn, 'query', 'ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  let failure: unknown;
  try {
    for await (const r of readCsv(valid.file, (chunk) => {
      counts.bytesRead += chunk.length;
      hash.update(chunk);
    })) {
      counts.rowsRead++;
      if (r.fields === null) {
        reject(r, 'UNPARSEABLE_LINE', r.parseError ?? 'the CSV parser could not read the line');
      } else {
        const v = Crm.validateCompanyIntakeRow(r.fields);
        if (!v.ok) {
          reject(r, v.error.code, v.error.message);
        } else {
          const earlier = duplicates.check(v.value, r.row);
          if (earlier !== null) reject(r, 'DUPLICATE_IN_FILE', `the same company as row ${earlier}`);
          else batch.push({ row: r.row, intake: v.value });
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
    await withPool(valid.pool, 'import run', (conn) =>
      statement(
        conn,
        'query',
        `UPDATE ${t('crm_import_runs')} SET version = version + 1, state = ?, file_sha256 = ?, rows_total = ?, rows_created = ?, rows_existing = ?, rows_rejected = ?, finished_at = ?, error = ? WHERE id = ?`,
        [
          failure === undefined ? 'completed' : 'failed',
          fileSha256,
          counts.rowsRead,
          counts.created,
          counts.exists,
          counts.rejected,
          instantToSql(finishedAt),
          error,
          runKey,
        ],
      ),
    ).catch((e: unknown) => {
      failure ??= e;
    });
  }
  if (failure !== undefined) throw isPetError(failure) ? failure : mapDriverErrorOr(failure);
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
  };

  /** A row whose fields become `CompanyIntakeRow` through the header. */
  async function* readCsv(path: string, onChunk: (chunk: Buffer) => void): AsyncGenerator<ReadRow> {
    const input = createReadStream(path);
    input.on('data', (chunk) => onChunk(chunk as Buffer));
    const skipped: ReadRow[] = [];
    const parser = input.pipe(
      parse({
        raw: true,
        info: true,
        bom: true,
        relax_quotes: true,
        skip_empty_lines: true,
        record_delimiter: ['\r\n', '\n'],
        skip_records_with_error: true,
        on_skip: (error: CsvError | undefined, raw: string | undefined) => {
          const text = raw ?? '';
          skipped.push({
            row: startLine(Number(error?.['lines'] ?? 0), text),
            raw: cleanRaw(text),
            fields: null,
            parseError: error?.message ?? 'unparseable line',
          });
          return undefined;
        },
      }),
    );
    input.on('error', (e) => parser.destroy(e));
    let header: (keyof Crm.CompanyIntakeRow | null)[] | null = null;
    let headerLine = 0;
    for await (const rec of parser as AsyncIterable<{
      record: string[];
      raw: string;
      info: { lines: number };
    }>) {
      const row = startLine(rec.info.lines, rec.raw);
      // Lines the parser skipped before this record come first, in file order.
      while (skipped.length > 0 && (skipped[0]?.row ?? 0) < row) {
        const s = skipped.shift() as ReadRow;
        if (header !== null) yield { ...s, fields: null };
        else throw headerError(`line ${s.row} cannot be read: ${s.parseError}`);
      }
      if (header === null) {
        header = rec.record.map(
          (h) =>
            HEADER_ALIASES[
              h
                .trim()
                .toLowerCase()
                .replace(/[\s-]+/g, '_')
            ] ?? null,
        );
        headerLine = row;
        if (!header.includes('name')) throw headerError('the header row has no name column');
        continue;
      }
      const fields: { -readonly [K in keyof Crm.CompanyIntakeRow]?: string } = {};
      rec.record.forEach((value, i) => {
        const key = header?.[i];
        if (key !== null && key !== undefined && fields[key] === undefined) fields[key] = value;
      });
      yield { row, raw: cleanRaw(rec.raw), fields };
    }
    for (const s of skipped) {
      if (header === null) throw headerError(`line ${s.row} cannot be read: ${s.parseError}`);
      yield { ...s, fields: null };
    }
    if (header === null) throw headerError(`the file is empty (no header row after line ${headerLine})`);
  }
}

function headerError(rule: string): ValidationError {
  return new ValidationError('import file', [{ field: 'file', rule }]);
}

/** Driver errors (they carry an errno) become `PetError`s; anything else passes through. */
function mapDriverErrorOr(e: unknown, operation = 'import'): unknown {
  return isDriverError(e) ? mapDriverError(e, operation) : e;
}

function employeeKey(actor: Actor): Buffer | null {
  if (actor.type !== 'employee' || actor.id === null) return null;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(actor.id)
    ? uuidToBytes(actor.id)
    : null;
}

/** `encode(state)` → a row with its id (the encoded own `id` is the unit of work's key column). */
function rowOf(encoded: unknown, id: string): Record<string, unknown> {
  const { id: _own, ...rest } = encoded as Record<string, unknown>;
  return { id: uuidToBytes(id), version: 1, ...Object.fromEntries(encodeStateColumns(rest)) };
}

const ROWS_PER_INSERT = 1000;

/** Multi-row INSERTs of rows with the same columns, at most 1000 rows each. */
async function insertRows(
  conn: PoolConnection,
  table: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const list = columns.map((c) => `\`${c}\``).join(', ');
  for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
    const chunk = rows.slice(at, at + ROWS_PER_INSERT);
    const values = chunk.map((r) => columns.map((c) => r[c] ?? null));
    await statement(conn, 'query', `INSERT INTO ${table} (${list}) VALUES ?`, [values]);
  }
}

/**
 * Appends the first event(s) of new streams under the append latch, as the event store does (see
 * GAP-SAFETY.md): take the latch, multi-row INSERT, release it before COMMIT. Every stream is new
 * (fresh ids), so versions start at 1.
 */
async function appendNewStreams(
  conn: PoolConnection,
  log: EventLog,
  events: readonly { streamId: string; draft: EventDraft }[],
): Promise<void> {
  if (events.length === 0) return;
  const encoded = encodeDrafts(events.map((e) => e.draft));
  const keyed = encoded.map((enc, i) => ({ ...enc, stream: events[i]?.streamId ?? '' }));
  const versions = new Map<string, number>();
  const meta = await log.meta(conn);
  const s = log.statements;
  const rows = await statement<RowDataPacket[]>(conn, 'query', 'SELECT GET_LOCK(?, ?) AS latched', [
    meta.latchName,
    log.settings.latchTimeoutSeconds,
  ]);
  const got = rows[0]?.['latched'];
  if (got !== 1 && got !== '1') {
    throw new PetError('LOCK_TIMEOUT', 'import: the append latch was busy; retry', {
      retryable: true,
      details: { operation: 'append latch' },
    });
  }
  try {
    for (const group of planStatements(keyed)) {
      const params: SqlValue[] = [];
      for (const r of group) {
        const version = (versions.get(r.stream) ?? 0) + 1;
        versions.set(r.stream, version);
        params.push(...r.head, uuidToBytes(r.stream), version, ...r.tail);
      }
      await statement<ResultSetHeader>(conn, 'execute', s.insert(group.length), params);
    }
  } finally {
    await statement(conn, 'execute', s.releaseLatch, [meta.latchName]);
  }
}

/** Runs `work` on a pooled connection; driver errors come out mapped (`DUPLICATE_KEY` names its key). */
async function withPool<T>(
  pool: Pool,
  operation: string,
  work: (conn: PoolConnection) => Promise<T>,
): Promise<T> {
  let conn: PoolConnection;
  try {
    conn = await pool.getConnection();
  } catch (e) {
    throw mapDriverError(e, operation);
  }
  try {
    return await work(conn);
  } catch (e) {
    throw isPetError(e) ? e : mapDriverErrorOr(e, operation);
  } finally {
    conn.release();
  }
}
