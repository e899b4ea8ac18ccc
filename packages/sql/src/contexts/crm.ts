import {
  type AggregateBinding,
  type CommandMetadata,
  type CommandOutcome,
  type CommandRuntime,
  Crm,
  createCommandHandler,
  err,
  type Instant,
  instantSchema,
  isPetError,
  ok,
  parseInput,
  type Rejection,
  type Result,
  reject,
  runWorkflow,
  type UnitOfWorkScope,
  type Uuid,
  uuidSchema,
} from '@pet-ops/core';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { aggregateOf, type ColumnSpec, decodeColumn, type RowOf, type StateTable } from '../state-table.js';
import { companiesTable, companySlotsTable, peopleTable } from '../tables/crm.js';
import { type SqlScope, sqlScopeOf } from '../unit-of-work.js';

/** The CRM context's aggregates as the command handler drives them, on the seam's state tables. */
export interface CrmBindings {
  /** `company` on `<prefix>companies`. */
  readonly company: AggregateBinding<
    Crm.CompanyState,
    Crm.CompanyCommand,
    Crm.CompanyEvent,
    undefined,
    Crm.CompanyRejection
  >;
  /** `company_slot` on `<prefix>company_slots`; facts: the person's and the company's status. */
  readonly companySlot: AggregateBinding<
    Crm.CompanySlotState,
    Crm.CompanySlotCommand,
    Crm.CompanySlotEvent,
    Crm.CompanySlotFacts | undefined,
    Crm.CompanySlotRejection
  >;
  /** `person` on `<prefix>people`. */
  readonly person: AggregateBinding<
    Crm.PersonState,
    Crm.PersonCommand,
    Crm.PersonEvent,
    Crm.PersonFacts | undefined,
    Crm.PersonRejection
  >;
}

/**
 * The CRM context on the seam: one binding per aggregate for `createCommandHandler` / `runWorkflow` (the
 * core's deciders and command schemas on `companiesTable`, `companySlotsTable`, `peopleTable`).
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, crmBindings.company);
 * await handle({ streamId: companyId, command: { type: 'archive', at }, metadata: { actor } });
 * ```
 */
export const crmBindings: CrmBindings = Object.freeze({
  company: {
    definition: aggregateOf(companiesTable),
    decider: Crm.companyDecider,
    commandSchema: Crm.companyCommandSchema,
  },
  companySlot: {
    definition: aggregateOf(companySlotsTable),
    decider: Crm.companySlotDecider,
    commandSchema: Crm.companySlotCommandSchema,
  },
  person: {
    definition: aggregateOf(peopleTable),
    decider: Crm.personDecider,
    commandSchema: Crm.personCommandSchema,
  },
});

/** The uid kinds with a per-day sequence. */
export type UidKind = 'CO' | 'PE';

/** A state row decoded, with its stream version. */
export type Versioned<S> = S & { readonly version: number };

type Company = Exclude<Crm.CompanyState, { status: 'absent' }>;
type Slot = Exclude<Crm.CompanySlotState, { status: 'absent' }>;
type Person = Exclude<Crm.PersonState, { status: 'absent' }>;

/**
 * Reads and uid allocations of the CRM tables inside a unit of work of `createUnitOfWork` (its
 * transaction): every method takes the `scope` that `run` (or `workflow.scope`) hands out.
 */
export interface CrmRepository {
  /**
   * Allocates `count` consecutive sequence numbers of `kind` for the UTC day of `at` and returns the
   * first: one upsert of the (kind, day) counter row in the unit's transaction, so concurrent
   * allocators serialise on that row until their transactions end (row lock on MySQL/MariaDB, the single
   * writer on SQLite); no number is handed out twice, and a rolled-back unit gives its numbers back.
   */
  allocateSequence(scope: UnitOfWorkScope, kind: UidKind, at: Instant, count?: number): Promise<number>;
  /** The next company uid for the day of `at` (see {@link CrmRepository.allocateSequence}). */
  allocateCompanyUid(scope: UnitOfWorkScope, at: Instant): Promise<Crm.CompanyUid>;
  /** The next person uid for the day of `at`. */
  allocatePersonUid(scope: UnitOfWorkScope, at: Instant): Promise<Crm.PersonUid>;
  /** The company with this id (with its row version), or null. */
  companyById(scope: UnitOfWorkScope, id: Crm.CompanyId): Promise<Versioned<Company> | null>;
  /** The company with this `CO-YYYYMMDD-######` reference, or null. */
  companyByUid(scope: UnitOfWorkScope, uid: string): Promise<Versioned<Company> | null>;
  /**
   * By website: the argument is normalised to its host first (`https://www.Acme.com/x` finds `acme.com`).
   * A company whose key was stored before the host rule, with a port or path (`acme.com/x`), is found by
   * its host too; the stored value is never rewritten. When several match (legacy keys of one host), the
   * exact host key wins, then the lowest company uid (the oldest).
   */
  companyByWebsite(scope: UnitOfWorkScope, website: string): Promise<Versioned<Company> | null>;
  /** The company with this external id (trimmed, then compared byte for byte), or null. */
  companyByExternalId(scope: UnitOfWorkScope, externalId: string): Promise<Versioned<Company> | null>;
  /** The person with this id, or null. */
  personById(scope: UnitOfWorkScope, id: Crm.PersonId): Promise<Versioned<Person> | null>;
  /** The person with this `PE-YYYYMMDD-######` reference, or null. */
  personByUid(scope: UnitOfWorkScope, uid: string): Promise<Versioned<Person> | null>;
  /** By e-mail; the argument is normalised first. */
  personByEmail(scope: UnitOfWorkScope, email: string): Promise<Versioned<Person> | null>;
  /** The company slot with this id, or null. */
  slotById(scope: UnitOfWorkScope, id: Crm.CompanySlotId): Promise<Versioned<Slot> | null>;
  /** The company slot with this `SL-<company uid>-<ROLE>` reference, or null. */
  slotByUid(scope: UnitOfWorkScope, uid: string): Promise<Versioned<Slot> | null>;
  /** A company's slots in role order (CEO, CFO, HR). */
  slotsOfCompany(scope: UnitOfWorkScope, companyId: Crm.CompanyId): Promise<Versioned<Slot>[]>;
  /** The slots a person fills or is proposed for, by slot uid. */
  slotsOfPerson(scope: UnitOfWorkScope, personId: Crm.PersonId): Promise<Versioned<Slot>[]>;
}

type Row = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: conditions on tables whose names are dynamic (as AnyDatabase).
type AnyExpressionBuilder = ExpressionBuilder<any, any>;
type Columns = Readonly<Record<string, ColumnSpec>>;

/** Rows of a declared state table, read in the unit's transaction and decoded through its declaration. */
async function selectRows<S, C extends Columns>(
  s: SqlScope,
  table: StateTable<S, C>,
  where: readonly (readonly [column: string, value: unknown])[],
  extra?: (eb: AnyExpressionBuilder) => Expression<SqlBool>,
): Promise<Versioned<Exclude<S, { status: 'absent' }>>[]> {
  const codecs = s.dialect.codecs;
  const rows = await s.query(`read ${table.table}`, async (trx) => {
    let q = trx.selectFrom(`${s.prefix}${table.table}`).selectAll();
    for (const [column, value] of where) {
      const spec: ColumnSpec = column === 'id' ? { type: 'id' } : (table.columns[column] as ColumnSpec);
      q = q.where(column, '=', spec.type === 'id' ? codecs.encodeId(String(value)) : value);
    }
    if (extra !== undefined) q = q.where(extra);
    return (await q.execute()) as Row[];
  });
  return rows.map((r) => {
    const logical: Row = {};
    for (const [column, spec] of Object.entries(table.columns))
      logical[column] = decodeColumn(codecs, spec, r[column]);
    const state = table.fromRow(logical as RowOf<C>, codecs.decodeId(r['id']));
    return { ...state, version: Number(r['version']) } as Versioned<Exclude<S, { status: 'absent' }>>;
  });
}

/**
 * The conditions under which a stored `website` belongs to one of `hosts`: the host key itself, or a key
 * stored before the host rule with a port or path (`host:…`, `host/…`; a range scan of `uq_website`).
 * Hosts hold only `[a-z0-9.-]`, so they need no LIKE escaping. Internal (the repository, the import).
 *
 * @example
 * ```ts
 * q.where((eb) => eb.or(websiteHostMatch(eb, ['gamma.com'])));
 * ```
 */
export function websiteHostMatch(eb: AnyExpressionBuilder, hosts: readonly string[]): Expression<SqlBool>[] {
  if (hosts.length === 0) return [];
  return [
    eb('website', 'in', [...hosts]),
    ...hosts.flatMap((h) => [eb('website', 'like', `${h}/%`), eb('website', 'like', `${h}:%`)]),
  ];
}

const allocationSchema = z.object({
  kind: z.enum(['CO', 'PE']),
  at: instantSchema,
  count: z.number().int().min(1).max(Crm.MAX_DAILY_SEQUENCE),
});

/**
 * Adds `count` to a counter row (created at `count` when missing) in the unit's transaction and returns
 * the first number of the block. MySQL/MariaDB: `INSERT … ON DUPLICATE KEY UPDATE` (the row stays
 * X-locked until the unit ends); SQLite (and PostgreSQL): `INSERT … ON CONFLICT DO UPDATE` under the
 * single writer (or the row lock). The value is then read back in the same transaction. Internal to the
 * package (uids, quote numbers).
 *
 * @example
 * ```ts
 * const first = await allocateFromCounter(scope, 'uid_sequences', { kind: 'CO', day: '20261122' }, 1);
 * ```
 */
export async function allocateFromCounter(
  scope: UnitOfWorkScope,
  table: string,
  key: Readonly<Record<string, string>>,
  count: number,
): Promise<number> {
  const s = sqlScopeOf(scope);
  const name = `${s.prefix}${table}`;
  return s.query(`allocate from ${table}`, async (trx) => {
    const insert = trx.insertInto(name).values({ ...key, last_sequence: count });
    // Qualified: PostgreSQL's ON CONFLICT DO UPDATE finds `last_sequence` ambiguous (the row or EXCLUDED).
    const bump = sql`${sql.ref(`${name}.last_sequence`)} + ${count}`;
    await (s.dialect.name === 'mysql'
      ? insert.onDuplicateKeyUpdate({ last_sequence: bump })
      : insert.onConflict((oc) => oc.columns(Object.keys(key)).doUpdateSet({ last_sequence: bump }))
    ).execute();
    let q = trx.selectFrom(name).select('last_sequence');
    for (const [column, value] of Object.entries(key)) q = q.where(column, '=', value);
    const row = (await (s.dialect.lockRowsOnLoad ? q.forUpdate() : q).executeTakeFirstOrThrow()) as {
      last_sequence: unknown;
    };
    return Number(row.last_sequence) - count + 1;
  });
}

const ROLE_ORDER: readonly Crm.SlotRole[] = ['CEO', 'CFO', 'HR'];

/**
 * The CRM repository of the seam. Table names and codecs come from the unit of work the scope belongs
 * to, so one repository serves every database and prefix.
 *
 * @example
 * ```ts
 * const company = await uow.run((scope) => crmRepository.companyByWebsite(scope, 'https://www.acme.com/'));
 * ```
 */
export const crmRepository: CrmRepository = Object.freeze({
  async allocateSequence(scope: UnitOfWorkScope, kind: UidKind, at: Instant, count = 1): Promise<number> {
    const v = parseInput(allocationSchema, { kind, at, count }, 'uid allocation');
    return allocateFromCounter(scope, 'uid_sequences', { kind: v.kind, day: Crm.uidDay(v.at) }, v.count);
  },
  async allocateCompanyUid(scope: UnitOfWorkScope, at: Instant): Promise<Crm.CompanyUid> {
    return Crm.formatCompanyUid(at, await crmRepository.allocateSequence(scope, 'CO', at));
  },
  async allocatePersonUid(scope: UnitOfWorkScope, at: Instant): Promise<Crm.PersonUid> {
    return Crm.formatPersonUid(at, await crmRepository.allocateSequence(scope, 'PE', at));
  },
  companyById: (scope: UnitOfWorkScope, id: Crm.CompanyId) => one(scope, companiesTable, 'id', id),
  companyByUid: (scope: UnitOfWorkScope, uid: string) => one(scope, companiesTable, 'company_uid', uid),
  async companyByWebsite(scope: UnitOfWorkScope, website: string) {
    if (typeof website !== 'string') return null;
    const normalised = Crm.normalizeWebsite(website);
    if (!normalised.ok) return null;
    const found = await selectRows(sqlScopeOf(scope), companiesTable, [], (eb) =>
      eb.or(websiteHostMatch(eb, [normalised.value])),
    );
    return Crm.pickWebsiteMatch(found, normalised.value);
  },
  companyByExternalId: (scope: UnitOfWorkScope, externalId: string) =>
    one(scope, companiesTable, 'external_id', externalId.trim()),
  personById: (scope: UnitOfWorkScope, id: Crm.PersonId) => one(scope, peopleTable, 'id', id),
  personByUid: (scope: UnitOfWorkScope, uid: string) => one(scope, peopleTable, 'person_uid', uid),
  async personByEmail(scope: UnitOfWorkScope, email: string) {
    const normalised = Crm.normalizeEmail(email);
    return normalised.ok ? one(scope, peopleTable, 'email', normalised.value) : null;
  },
  slotById: (scope: UnitOfWorkScope, id: Crm.CompanySlotId) => one(scope, companySlotsTable, 'id', id),
  slotByUid: (scope: UnitOfWorkScope, uid: string) => one(scope, companySlotsTable, 'slot_uid', uid),
  async slotsOfCompany(scope: UnitOfWorkScope, companyId: Crm.CompanyId) {
    parseInput(z.object({ companyId: uuidSchema }), { companyId }, 'slots of company');
    const rows = await selectRows(sqlScopeOf(scope), companySlotsTable, [['company_id', companyId]]);
    return rows.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  },
  async slotsOfPerson(scope: UnitOfWorkScope, personId: Crm.PersonId) {
    parseInput(z.object({ personId: uuidSchema }), { personId }, 'slots of person');
    const rows = await selectRows(sqlScopeOf(scope), companySlotsTable, [['person_id', personId]]);
    return rows
      .filter((r) => r.status === 'pending' || r.status === 'filled')
      .sort((a, b) => (a.slotUid < b.slotUid ? -1 : a.slotUid > b.slotUid ? 1 : 0));
  },
});

async function one<S, C extends Columns>(
  scope: UnitOfWorkScope,
  table: StateTable<S, C>,
  column: string,
  value: string,
): Promise<Versioned<Exclude<S, { status: 'absent' }>> | null> {
  const s = sqlScopeOf(scope);
  if (typeof value !== 'string' || (column === 'id' && !uuidSchema.safeParse(value).success)) return null;
  return (await selectRows(s, table, [[column, value]]))[0] ?? null;
}

/** The fields of a company to insert (raw; the website is normalised). */
export interface CompanyInput {
  readonly name: string;
  readonly website?: string | null;
  readonly externalId?: string | null;
  readonly ein?: string | null;
}

/** What {@link CrmCommands.insertCompanyWithSlots} did. */
export interface InsertCompanyResult {
  /** `created`: a new company and its three slots; `exists`: found by website, then external id. */
  readonly result: 'created' | 'exists';
  readonly companyId: Crm.CompanyId;
  readonly companyUid: Crm.CompanyUid;
  /** How an existing company was found. */
  readonly matchedBy: 'website' | 'externalId' | null;
  /** The slots opened by this call (all three on `created`; the missing ones on `exists`). */
  readonly openedSlotRoles: readonly Crm.SlotRole[];
}

/** Any rejection of an insert: a bad row, or the company/slot deciders' own. */
export type InsertCompanyRejection = Crm.IntakeRejection | Crm.CompanyRejection | Crm.CompanySlotRejection;

/** The fields of a person to create (raw; the e-mail is normalised). */
export interface PersonInput {
  readonly name: string;
  readonly email?: string | null;
  readonly linkedinUrl?: string | null;
}

/** What {@link CrmCommands.insertPerson} did. */
export interface InsertPersonResult {
  /** `created`: a new person; `exists`: a person with the same normalised e-mail (unchanged). */
  readonly result: 'created' | 'exists';
  readonly personId: Crm.PersonId;
  readonly personUid: Crm.PersonUid;
}

/**
 * Why a uid-addressed slot command was refused: the slot decider's codes, plus
 * - `PERSON_UID_UNKNOWN` — no person has this `PE-…` uid;
 * - `SLOT_UID_UNKNOWN` — no slot has this `SL-…` uid.
 */
export type SlotByUidRejectionCode = Crm.CompanySlotRejectionCode | 'PERSON_UID_UNKNOWN' | 'SLOT_UID_UNKNOWN';

/** A refused uid-addressed slot command. */
export type SlotByUidRejection = Rejection<SlotByUidRejectionCode>;

/**
 * Every code of {@link SlotByUidRejection}.
 *
 * @example
 * ```ts
 * const known = (SLOT_BY_UID_REJECTION_CODES as readonly string[]).includes('SLOT_UID_UNKNOWN'); // true
 * ```
 */
export const SLOT_BY_UID_REJECTION_CODES: readonly SlotByUidRejectionCode[] = Object.freeze([
  ...Crm.COMPANY_SLOT_REJECTION_CODES,
  'PERSON_UID_UNKNOWN',
  'SLOT_UID_UNKNOWN',
]);

/** The CRM operations of the seam (every database). */
export interface CrmCommands {
  /**
   * Idempotent: a company found by normalised website, then by external id, is returned (`exists`) with
   * its three slots ensured; otherwise the company (with a fresh `CO-…` uid) and its three slots are
   * created in one transaction (`created`). Concurrent inserts of the same company converge on one.
   */
  insertCompanyWithSlots(
    input: CompanyInput,
    metadata: CommandMetadata,
  ): Promise<Result<InsertCompanyResult, InsertCompanyRejection>>;
  /** Creates a person with a fresh `PE-…` uid (uid and person in one transaction). */
  createPerson(
    personId: Crm.PersonId,
    input: PersonInput,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Crm.PersonState>, Crm.PersonRejection>>;
  /** Links a person to a slot (open | pending → filled; a filled slot must be vacated first). */
  linkPersonToSlot(
    slotId: Crm.CompanySlotId,
    personId: Crm.PersonId,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Crm.CompanySlotState>, Crm.CompanySlotRejection>>;
  /** Proposes a candidate for an open slot (open → pending). */
  proposePersonForSlot(
    slotId: Crm.CompanySlotId,
    personId: Crm.PersonId,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Crm.CompanySlotState>, Crm.CompanySlotRejection>>;
  /** Empties a slot (pending | filled → open). */
  vacateSlot(
    slotId: Crm.CompanySlotId,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Crm.CompanySlotState>, Crm.CompanySlotRejection>>;
  /**
   * Idempotent person intake: a person found by normalised e-mail is returned (`exists`, unchanged);
   * otherwise a person with a fresh id and `PE-…` uid is created (`created`). Without an e-mail there is
   * no key to find the person again, so every call creates one.
   */
  insertPerson(
    input: PersonInput,
    metadata: CommandMetadata,
  ): Promise<Result<InsertPersonResult, Crm.PersonRejection>>;
  /**
   * The seed's `link_person_to_slot(person_uid, slot_uid)`: links the person with this `PE-…` uid to the
   * slot with this `SL-…` uid (open | pending → filled). Linking the person a slot already holds changes
   * nothing. A malformed uid is a `ValidationError`; an unknown one is `PERSON_UID_UNKNOWN` /
   * `SLOT_UID_UNKNOWN`; a slot held by someone else is `SLOT_ALREADY_FILLED` (vacate it first); an archived
   * person or company is `SLOT_PERSON_NOT_ACTIVE` / `SLOT_COMPANY_NOT_ACTIVE`.
   */
  linkPersonToSlotByUid(
    personUid: string,
    slotUid: string,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Crm.CompanySlotState>, SlotByUidRejection>>;
  /** Empties the slot with this `SL-…` uid (pending | filled → open): `SLOT_UID_UNKNOWN`, `SLOT_ALREADY_OPEN`. */
  vacateSlotByUid(
    slotUid: string,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<Crm.CompanySlotState>, SlotByUidRejection>>;
  /** The repository the commands use (queries inside a unit of work). */
  readonly repository: CrmRepository;
}

const companyInputSchema = z.object({
  name: z.string(),
  website: z.string().nullish(),
  externalId: z.string().nullish(),
  ein: z.string().nullish(),
});
const personInputSchema = z.object({
  name: z.string(),
  email: z.string().nullish(),
  linkedinUrl: z.string().nullish(),
});
const runtimeSchema = z.object({
  runtime: z.custom<CommandRuntime>(
    (v) =>
      typeof v === 'object' && v !== null && typeof (v as { unitOfWork?: unknown }).unitOfWork === 'object',
    'must be a command runtime (unitOfWork, registry, clock, ids)',
  ),
});

const stream = (id: string): Uuid => id as Uuid;

/** Uids as the seed's `link_person_to_slot` takes them (the form is checked; existence is a rejection). */
const uidPairSchema = z.object({ personUid: Crm.personUidSchema, slotUid: Crm.slotUidSchema });

/** Unique keys whose violation means "a concurrent insert of the same company won": retry and find it. */
const CONVERGING_KEYS = new Set(['uq_website', 'uq_external_id', 'uq_company_role', 'uq_slot_uid']);
const MAX_CONVERGE_ATTEMPTS = 4;

function converges(e: unknown): boolean {
  if (!isPetError(e) || e.code !== 'DUPLICATE_KEY') return false;
  const key = e.details?.['key'];
  // SQLite names the columns, not the key; its single writer makes the race impossible anyway.
  return typeof key !== 'string' || CONVERGING_KEYS.has(key);
}

/**
 * The facts of a slot command, read in its transaction: the person's and the company's status. An absent
 * person or company gives no facts, which the decider refuses (`SLOT_FACTS_MISSING`).
 */
async function slotFacts(
  scope: UnitOfWorkScope,
  personId: Crm.PersonId,
  slot: Crm.CompanySlotState,
): Promise<Crm.CompanySlotFacts | undefined> {
  if (slot.status === 'absent') return undefined;
  const person = (await scope.aggregate(crmBindings.person.definition).load(stream(personId))).state;
  const company = (await scope.aggregate(crmBindings.company.definition).load(stream(slot.companyId))).state;
  if (person.status === 'absent' || company.status === 'absent') return undefined;
  return {
    person: { personId, status: person.status },
    company: { companyId: slot.companyId, status: company.status },
  };
}

/**
 * The CRM operations for a host, on any database: `runtime.unitOfWork` must be made by
 * `createUnitOfWork` with the CRM tables (`CRM_TABLES` or `STATE_TABLES`) and its registry must hold
 * `Crm.crmEventDefinitions`. Uids are allocated in the transaction that uses them.
 *
 * @example
 * ```ts
 * const unitOfWork = createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
 * const crm = createCrmCommands({ runtime: { unitOfWork, registry, clock, ids } });
 * const r = await crm.insertCompanyWithSlots({ name: 'Acme', website: 'acme.com' }, { actor });
 * if (r.ok) console.log(r.value.result, r.value.companyUid);
 * ```
 */
export function createCrmCommands(options: { readonly runtime: CommandRuntime }): CrmCommands {
  parseInput(runtimeSchema, options, 'crm options');
  const { runtime } = options;
  const repository = crmRepository;
  const slots = createCommandHandler(runtime, crmBindings.companySlot);

  async function insertOnce(
    input: CompanyInput,
    metadata: CommandMetadata,
  ): Promise<Result<InsertCompanyResult, InsertCompanyRejection>> {
    const valid = Crm.validateCompanyIntakeRow({
      name: input.name,
      website: input.website ?? undefined,
      externalId: input.externalId ?? undefined,
      ein: input.ein ?? undefined,
    });
    if (!valid.ok) return valid;
    const intake = valid.value;
    const r = await runWorkflow<InsertCompanyResult, InsertCompanyRejection>(runtime, metadata, async (w) => {
      const existing = async (found: { companyId: Crm.CompanyId; companyUid: Crm.CompanyUid } | null) =>
        found === null
          ? null
          : {
              companyId: found.companyId,
              companyUid: found.companyUid,
              slotRoles: (await repository.slotsOfCompany(w.scope, found.companyId)).map((s) => s.role),
            };
      const byWebsite =
        intake.website === null
          ? null
          : await existing(await repository.companyByWebsite(w.scope, intake.website));
      const byExternalId =
        intake.externalId === null || byWebsite !== null
          ? null
          : await existing(await repository.companyByExternalId(w.scope, intake.externalId));
      const plan = Crm.planCompanyIntake(intake, { byWebsite, byExternalId });
      const slotId = () => runtime.ids.next() as unknown as Crm.CompanySlotId;
      if (plan.kind === 'exists') {
        for (const command of Crm.slotOpenCommands(
          plan.companyId,
          plan.companyUid,
          plan.missingSlotRoles,
          slotId,
        )) {
          const opened = await w.execute(crmBindings.companySlot, {
            streamId: stream(command.slotId),
            command,
          });
          if (!opened.ok) return opened;
        }
        return ok({
          result: 'exists',
          companyId: plan.companyId,
          companyUid: plan.companyUid,
          matchedBy: plan.matchedBy,
          openedSlotRoles: plan.missingSlotRoles,
        });
      }
      const createdAt = runtime.clock.now();
      const companyId = runtime.ids.next() as unknown as Crm.CompanyId;
      const companyUid = await repository.allocateCompanyUid(w.scope, createdAt);
      const commands = Crm.companyCreationCommands(intake, { companyId, companyUid, createdAt, slotId });
      const created = await w.execute(crmBindings.company, {
        streamId: stream(companyId),
        command: commands.company,
      });
      if (!created.ok) return created;
      for (const command of commands.slots) {
        const opened = await w.execute(crmBindings.companySlot, {
          streamId: stream(command.slotId),
          command,
        });
        if (!opened.ok) return opened;
      }
      return ok({
        result: 'created',
        companyId,
        companyUid,
        matchedBy: null,
        openedSlotRoles: commands.slots.map((s) => s.role),
      });
    });
    if (!r.ok) return r;
    if (r.value.duplicate) {
      // A resent idempotency key: the first run committed, so the company is found now.
      const { idempotencyKey: _resent, ...fresh } = metadata;
      return insertOnce(input, fresh);
    }
    return ok(r.value.value);
  }

  const commands: CrmCommands = {
    repository,
    async insertCompanyWithSlots(input, metadata) {
      parseInput(companyInputSchema, input, 'company input');
      for (let attempt = 1; ; attempt++) {
        try {
          return await insertOnce(input, metadata);
        } catch (e) {
          if (!converges(e) || attempt >= MAX_CONVERGE_ATTEMPTS) throw e;
        }
      }
    },
    async createPerson(personId, input, metadata) {
      parseInput(z.object({ personId: uuidSchema }), { personId }, 'create person');
      parseInput(personInputSchema, input, 'person input');
      const createdAt = runtime.clock.now();
      const r = await runWorkflow(runtime, metadata, async (w) => {
        const personUid = await repository.allocatePersonUid(w.scope, createdAt);
        return w.execute(crmBindings.person, {
          streamId: stream(personId),
          command: {
            type: 'create',
            personId,
            personUid,
            createdAt,
            name: input.name,
            email: input.email ?? null,
            linkedinUrl: input.linkedinUrl ?? null,
          },
        });
      });
      if (!r.ok) return r;
      if (!r.value.duplicate) return ok(r.value.value);
      const current = await runtime.unitOfWork.run((scope) =>
        scope.aggregate(crmBindings.person.definition).load(stream(personId)),
      );
      return ok({
        events: r.value.events,
        positions: r.value.events.map((e) => e.position),
        state: current.state,
        version: current.version,
        duplicate: true,
      });
    },
    linkPersonToSlot: (slotId, personId, metadata) =>
      slots({
        streamId: stream(slotId),
        command: { type: 'link', personId },
        loadFacts: (scope, loaded) => slotFacts(scope, personId, loaded.state),
        metadata,
      }),
    proposePersonForSlot: (slotId, personId, metadata) =>
      slots({
        streamId: stream(slotId),
        command: { type: 'propose', personId },
        loadFacts: (scope, loaded) => slotFacts(scope, personId, loaded.state),
        metadata,
      }),
    vacateSlot: (slotId, metadata) =>
      slots({ streamId: stream(slotId), command: { type: 'vacate' }, metadata }),
    async insertPerson(input, metadata) {
      parseInput(personInputSchema, input, 'person input');
      const email = input.email?.trim() ? input.email : null;
      if (email !== null) {
        const found = await runtime.unitOfWork.run((scope) => repository.personByEmail(scope, email));
        if (found !== null)
          return ok({ result: 'exists', personId: found.personId, personUid: found.personUid });
      }
      const personId = runtime.ids.next() as unknown as Crm.PersonId;
      let created: Awaited<ReturnType<CrmCommands['createPerson']>>;
      try {
        created = await commands.createPerson(personId, input, metadata);
      } catch (e) {
        // A concurrent intake of the same e-mail won: report its person.
        if (email === null || !isPetError(e, 'DUPLICATE_KEY')) throw e;
        const found = await runtime.unitOfWork.run((scope) => repository.personByEmail(scope, email));
        if (found === null) throw e;
        return ok({ result: 'exists', personId: found.personId, personUid: found.personUid });
      }
      if (!created.ok) return created;
      const state = created.value.state;
      if (state.status === 'absent') throw new Error('insertPerson: the created person did not load'); // a bug
      return ok({ result: 'created', personId: state.personId, personUid: state.personUid });
    },
    async linkPersonToSlotByUid(personUid, slotUid, metadata) {
      parseInput(uidPairSchema, { personUid, slotUid }, 'link by uid');
      const ids = await runtime.unitOfWork.run(async (scope) => ({
        person: await repository.personByUid(scope, personUid),
        slot: await repository.slotByUid(scope, slotUid),
      }));
      if (ids.person === null)
        return err(reject('PERSON_UID_UNKNOWN', 'no person has this uid', { personUid }));
      if (ids.slot === null) return err(reject('SLOT_UID_UNKNOWN', 'no slot has this uid', { slotUid }));
      return commands.linkPersonToSlot(ids.slot.slotId, ids.person.personId, metadata);
    },
    async vacateSlotByUid(slotUid, metadata) {
      parseInput(uidPairSchema.pick({ slotUid: true }), { slotUid }, 'vacate by uid');
      const slot = await runtime.unitOfWork.run((scope) => repository.slotByUid(scope, slotUid));
      if (slot === null) return err(reject('SLOT_UID_UNKNOWN', 'no slot has this uid', { slotUid }));
      return commands.vacateSlot(slot.slotId, metadata);
    },
  };
  return commands;
}
