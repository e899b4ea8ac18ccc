import { createHash } from 'node:crypto';
import {
  type Actor,
  type Clock,
  type EventDraft,
  type IdGenerator,
  type Instant,
  isPetError,
  parseInput,
  Time,
  type UnitOfWork,
  type UnitOfWorkScope,
  ValidationError,
} from '@pet-ops/core';
import { z } from 'zod';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore, type SqlEventStore } from '../event-store/event-store.js';
import { prefixSchema } from '../options.js';
import { systemClock, uuidV7Ids } from '../system.js';
import { timeEntriesTable } from '../tables/time.js';
import { createUnitOfWork, sqlScopeOf } from '../unit-of-work.js';
import { createStates, type Pending } from './crm-import.js';
import { readCsvRecords, releaseSource } from './csv-records.js';

/** Progress of a timesheet import, reported after every batch and at the end. */
export interface TimeImportProgress {
  /** Data rows read so far (the header not counted). */
  readonly rowsRead: number;
  readonly created: number;
  readonly exists: number;
  readonly rejected: number;
  readonly bytesRead: number;
  readonly totalBytes: number;
}

/** A rejected row, typed: the stable reason code, the field it is about (when one), a human detail. */
export interface TimeImportRejection {
  /** The file line the row starts on (the header is line 1). */
  readonly row: number;
  readonly reason: Time.TimesheetIntakeCode;
  /** The column the reason is about (`employeeId`, `start`, `billable`, …), or null. */
  readonly field: string | null;
  readonly detail: string;
}

/** A rejected row with its raw text, as `onRejection` receives it (to keep as a dead letter). */
export interface TimeImportDeadLetter extends TimeImportRejection {
  /** The row's text as it stands in the file. */
  readonly raw: string;
}

/** Options of {@link importTimeCsv}. */
export interface ImportTimeCsvOptions {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  /** Table prefix the schema was migrated with. */
  readonly prefix: string;
  /** The event store of `db` (default: one made here). */
  readonly events?: SqlEventStore;
  /**
   * The CSV bytes (UTF-8) with a header row naming at least `employee_id`, `start` and `end`, and any of
   * `external_id`, `description`, `billable`, `work_type`, `ticket_id`, `task_id`, `bucket_id`; read as
   * a stream (e.g. `createReadStream(path)`). The library opens no file, but it closes the source when
   * the import ends, however it ends (a stream is destroyed, its later errors absorbed). Create the stream
   * in the call itself: one that errors before the call (a missing file) has no listener yet.
   */
  readonly source: AsyncIterable<Uint8Array>;
  /** The file's name, for the report (at most 255 characters). */
  readonly fileName: string;
  /** The file's size in bytes, for progress; default 0 (unknown). */
  readonly totalBytes?: number;
  /** Report what would happen and write nothing. Default false. */
  readonly dryRun?: boolean;
  /** Default: the system clock (the drafts' `created` instant). */
  readonly clock?: Clock;
  /** Event ids. Default: UUIDv7 from `node:crypto`. (Entry ids are derived from the rows: see below.) */
  readonly ids?: IdGenerator;
  /** Who the events are attributed to. Default `{ type: 'integration', id: 'time-import' }`. */
  readonly actor?: Actor;
  /** Rows per transaction (1 … 5000). Default 1000. */
  readonly batchSize?: number;
  /** How many rejections the report lists (0 … 10 000). Default 100; `onRejection` sees all. */
  readonly maxReportedRejections?: number;
  /** Called after every batch and once at the end. */
  readonly onProgress?: (progress: TimeImportProgress) => void;
  /** Called for every rejected row, in file order, with its raw text (the dead-letter sink). */
  readonly onRejection?: (letter: TimeImportDeadLetter) => void;
}

/** What a timesheet import did. */
export interface TimeImportReport {
  readonly fileName: string;
  readonly dryRun: boolean;
  /** Data rows read (header not counted). */
  readonly rows: number;
  /** Drafts created (or, in a dry run, that would be). */
  readonly created: number;
  /** Rows whose entry is already there (an earlier run of the file, or the same employee and interval). */
  readonly exists: number;
  readonly rejected: number;
  readonly startedAt: Instant;
  readonly finishedAt: Instant;
  readonly durationMs: number;
  /** SHA-256 of the file's bytes. */
  readonly fileSha256: string;
  /** The first `maxReportedRejections` rejected rows. */
  readonly rejections: readonly TimeImportRejection[];
}

const fn = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', `must be a function (${what})`).optional();

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
  onProgress: fn<(p: TimeImportProgress) => void>('onProgress'),
  onRejection: fn<(l: TimeImportDeadLetter) => void>('onRejection'),
});

/** Header names (lower-cased, spaces and dashes as `_`) → timesheet field. */
const HEADER_ALIASES: Readonly<Record<string, keyof Time.TimesheetRow>> = {
  external_id: 'externalId',
  externalid: 'externalId',
  id: 'externalId',
  employee_id: 'employeeId',
  employee: 'employeeId',
  employeeid: 'employeeId',
  start: 'start',
  start_time: 'start',
  started_at: 'start',
  end: 'end',
  end_time: 'end',
  ended_at: 'end',
  description: 'description',
  notes: 'description',
  billable: 'billable',
  is_billable: 'billable',
  work_type: 'workType',
  worktype: 'workType',
  ticket_id: 'ticketId',
  task_id: 'taskId',
  bucket_id: 'bucketId',
  operational_bucket_id: 'bucketId',
};
const REQUIRED_COLUMNS: readonly (keyof Time.TimesheetRow)[] = ['employeeId', 'start', 'end'];

/**
 * The columns a timesheet CSV's header may name (the first three are required), for messages and help.
 *
 * @example
 * ```ts
 * console.error(`the first row must name the columns: ${TIME_IMPORT_COLUMNS}`);
 * ```
 */
export const TIME_IMPORT_COLUMNS =
  'employee_id, start, end (required), external_id, description, billable, work_type, ticket_id, task_id, bucket_id';

const DEFAULT_ACTOR: Actor = { type: 'integration', id: 'time-import' };

interface ReadRow {
  readonly row: number;
  readonly raw: string;
  readonly fields: Time.TimesheetRow | null;
  readonly parseError?: string;
}

interface Candidate {
  readonly row: number;
  readonly id: Time.TimeEntryId;
  readonly intake: Time.TimesheetIntake;
}

/** The same employee, start and end: the same entry, whatever the row's key. */
const slotOf = (c: Candidate): string => `${c.intake.employeeId}/${c.intake.start}/${c.intake.end}`;

/** A 30-bit FNV-1a hash of `text` from `basis` (a small integer: a Set of them holds no object per key). */
function hash30(text: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 2;
}

/**
 * Which entries earlier rows of the file named, in memory that stays flat however long the file is:
 * two independent 30-bit hashes of each key instead of the key (≈ 100 bytes a row instead of ≈ 500). A
 * key whose both hashes were seen (or a false positive, about one row in 10⁵ at a million rows) is
 * confirmed exactly: against the keys of the batch being filled or of the one being written, else by
 * reading the entry back, since an earlier batch has written it (or found it stored). A dry run writes
 * nothing, so it keeps the keys themselves.
 */
function seenKeys(dryRun: boolean, stored: (c: Candidate) => Promise<boolean>) {
  const first = new Set<number>();
  const second = new Set<number>();
  const all = dryRun ? new Set<string>() : undefined;
  let filling = new Set<string>();
  let writing = new Set<string>();
  const maybe = (key: string): boolean =>
    first.has(hash30(key, 0x811c9dc5)) && second.has(hash30(key, 0x050c5d1f));
  return {
    async has(c: Candidate): Promise<boolean> {
      const keys = [c.id as string, slotOf(c)];
      if (keys.some((k) => filling.has(k) || writing.has(k) || all?.has(k) === true)) return true;
      if (all !== undefined || !keys.some(maybe)) return false;
      return stored(c);
    },
    add(c: Candidate): void {
      for (const k of [c.id as string, slotOf(c)]) {
        first.add(hash30(k, 0x811c9dc5));
        second.add(hash30(k, 0x050c5d1f));
        filling.add(k);
        all?.add(k);
      }
    },
    /** The batch being filled goes to be written (its keys are not in the database yet). */
    sealBatch(): void {
      writing = filling;
      filling = new Set();
    },
    /** The batch being written was written: its keys are in the database now. */
    batchWritten(): void {
      writing = new Set();
    },
  };
}

/**
 * The entry id of a row: a UUIDv7 derived from its key (`Time.timesheetRowKey`), so a re-run maps each
 * row to the same entry. A row without an external id keeps its start as the id's time (ids sort by
 * start); with one, every bit comes from the key (the same external id is the same entry, whatever its
 * times say now).
 */
function entryIdOf(intake: Time.TimesheetIntake): Time.TimeEntryId {
  const b = createHash('sha256')
    .update(`pet-time-import\0${Time.timesheetRowKey(intake)}`)
    .digest();
  if (intake.externalId === null) {
    const ms = Date.parse(intake.start);
    for (let i = 0; i < 6; i++) b[i] = Math.floor(ms / 2 ** (8 * (5 - i))) % 256;
  }
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` as Time.TimeEntryId;
}

/**
 * Imports timesheets from a CSV file as **draft** time entries on any database of the seam (imported
 * time is never submitted for anyone: each owner attests their own entries). Each row is validated with
 * `Time.validateTimesheetRow` (times with their offset, stored in UTC; duration ⌈(end − start) / 60 s⌉);
 * a bad row is rejected with a typed reason (`Time.TimesheetIntakeCode`: `MISSING_FIELD`,
 * `MALFORMED_FIELD`, `INVALID_INTERVAL`, `FIELD_TOO_LONG`, `DUPLICATE_IN_FILE`, `UNPARSEABLE_LINE`) and
 * the field it is about, listed in the report and handed with its raw text to `onRejection` (the
 * dead-letter sink: a file, a table, a queue — the host decides); the other rows are imported.
 *
 * - **Idempotent.** An entry's id is derived from the row's key (its external id, else employee + start
 *   + end), so re-running a file creates nothing new: each row already there counts as `exists` (so
 *   does a row whose employee, start and end match an entry logged by hand).
 * - **Bounded memory.** The source is streamed (`readCsvRecords`) and written in batches of `batchSize`
 *   rows, one transaction each: the new rows with multi-row INSERTs, their `time_entry.created` events
 *   through the event store, together; the next batch is read and validated while one is written.
 *   Memory holds two batches, the first `maxReportedRejections`
 *   rejections and, per row of the file, its id and its employee + start + end (for in-file duplicates:
 *   the same key or the same employee, start and end as an earlier row is `DUPLICATE_IN_FILE`).
 * - A batch that loses a race to a concurrent import of the same rows is retried and then finds them.
 * - `dryRun` reads and classifies the same way and writes nothing.
 *
 * Throws a `ValidationError` for bad options or a header without `employee_id`, `start` and `end`
 * (nothing written), or a typed `PetError` when the run cannot go on (batches already committed stay;
 * a re-run picks up where it stopped).
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * const report = await importTimeCsv({
 *   db, dialect, prefix: 'pet_', source: createReadStream('timesheets.csv'), fileName: 'timesheets.csv',
 *   onRejection: (l) => deadLetters.write(`${l.row},${l.reason},${JSON.stringify(l.raw)}\n`),
 * });
 * console.log(report.created, report.exists, report.rejected, report.rejections[0]?.reason);
 * ```
 */
export async function importTimeCsv(options: ImportTimeCsvOptions): Promise<TimeImportReport> {
  // However the run ends, the source is let go: a file stream left open, or erroring after the answer
  // with no listener, would otherwise crash the host with an unhandled 'error' event.
  const reading: { records?: AsyncGenerator<unknown> } = {};
  try {
    return await runTimeImport(options, reading);
  } finally {
    await releaseSource(options?.source, reading.records);
  }
}

/** The run itself; `reading.records` is the reader it starts over the source. */
async function runTimeImport(
  options: ImportTimeCsvOptions,
  reading: { records?: AsyncGenerator<unknown> },
): Promise<TimeImportReport> {
  const valid = parseInput(optionsSchema, options, 'time import options');
  const { db, dialect, prefix } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? uuidV7Ids;
  const actor = valid.actor ?? DEFAULT_ACTOR;
  const dryRun = valid.dryRun ?? false;
  const batchSize = valid.batchSize ?? 1000;
  const maxReported = valid.maxReportedRejections ?? 100;
  const totalBytes = valid.totalBytes ?? 0;
  const events = options.events ?? createEventStore({ db, dialect, prefix });
  const uow: UnitOfWork = createUnitOfWork({ dialect, prefix, events, tables: [timeEntriesTable] });
  const codecs = dialect.codecs;
  const table = `${prefix}time_entries`;

  const startedAt = clock.now();
  const t0 = performance.now();
  const counts = { rowsRead: 0, created: 0, exists: 0, rejected: 0, bytesRead: 0 };
  const rejections: TimeImportRejection[] = [];
  const hash = createHash('sha256');
  const records = readRows(options.source, (chunk) => {
    counts.bytesRead += chunk.byteLength;
    hash.update(chunk);
  });
  reading.records = records;
  const head = await records.next().catch((e: unknown) => {
    throw isPetError(e) || e instanceof ValidationError
      ? e
      : new ValidationError('time import source', [
          { field: 'source', rule: `could not be read (${codeOf(e)})` },
        ]);
  });
  const progress = (): void => options.onProgress?.({ ...counts, totalBytes });

  const reject = (r: ReadRow, reason: Time.TimesheetIntakeCode, detail: string, field: string | null) => {
    counts.rejected++;
    if (rejections.length < maxReported) rejections.push({ row: r.row, reason, field, detail });
    options.onRejection?.({ row: r.row, reason, field, detail, raw: r.raw });
  };

  /** The rows already stored among `rows`: by id, or by the same employee, start and end. */
  const lookUp = (q: AnyDatabase, rows: readonly Candidate[]) =>
    q
      .selectFrom(table)
      .select(['id', 'employee_id', 'start_time', 'end_time'])
      .where((eb) =>
        eb.or([
          eb(
            'id',
            'in',
            rows.map((r) => codecs.encodeId(r.id)),
          ),
          eb.and([
            eb(
              'employee_id',
              'in',
              [...new Set(rows.map((r) => r.intake.employeeId))].map((id) => codecs.encodeId(id)),
            ),
            eb(
              'start_time',
              'in',
              [...new Set(rows.map((r) => r.intake.start))].map((at) => codecs.encodeInstant(at)),
            ),
          ]),
        ]),
      )
      .execute() as Promise<Record<string, unknown>[]>;
  const keysOf = (found: readonly Record<string, unknown>[]): Set<string> => {
    const out = new Set<string>();
    for (const f of found) {
      out.add(codecs.decodeId(f['id']));
      out.add(
        `${codecs.decodeId(f['employee_id'])}/${codecs.decodeInstant(f['start_time'])}/${codecs.decodeInstant(f['end_time'])}`,
      );
    }
    return out;
  };
  /** The batch's rows already stored, read in the batch's transaction. */
  const existing = async (scope: UnitOfWorkScope, rows: readonly Candidate[]): Promise<Set<string>> =>
    keysOf(await sqlScopeOf(scope).query('time import look-up', (trx) => lookUp(trx as AnyDatabase, rows)));
  const isThere = (have: Set<string>, c: Candidate): boolean => have.has(c.id) || have.has(slotOf(c));
  // A row that may repeat an earlier batch's is read back with one statement, outside any transaction:
  // it only reads what committed batches wrote.
  const seen = seenKeys(dryRun, async (c) => {
    try {
      return isThere(keysOf(await lookUp(db, [c])), c);
    } catch (e) {
      throw isPetError(e) ? e : dialect.classifyError(e, 'time import look-up');
    }
  });

  async function write(scope: UnitOfWorkScope, rows: readonly Candidate[]): Promise<number> {
    const have = await existing(scope, rows);
    const fresh = rows.filter((r) => !isThere(have, r));
    if (dryRun || fresh.length === 0) return fresh.length;
    const now = clock.now();
    const pending: Pending<Time.TimeEntryState>[] = fresh.map((r) => {
      const command = Time.timesheetCreateCommand(r.intake, r.id, now);
      const d = Time.timeEntryDecider.decide(command, Time.timeEntryDecider.initialState(), undefined);
      // A bug if it happens: the intake's validation covers what `create` checks.
      if (!d.ok) throw new Error(`time import: a validated row was refused: ${d.error.code}`);
      const state = d.value.reduce(Time.timeEntryDecider.evolve, Time.timeEntryDecider.initialState());
      const drafts: EventDraft[] = d.value.map((e) =>
        Time.timeEventRegistry.validateDraft({
          eventId: ids.next(),
          type: e.type,
          schemaVersion: Time.timeEventRegistry.currentVersion(e.type),
          streamType: timeEntriesTable.streamType,
          occurredAt: now,
          actor,
          context: {},
          correlationId: null,
          causationId: null,
          payload: e.payload,
        }),
      );
      return { id: r.id, state, drafts };
    });
    await createStates(scope, timeEntriesTable, pending);
    return fresh.length;
  }

  async function writeBatch(rows: readonly Candidate[]): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await uow.run((scope) => write(scope, rows));
      } catch (e) {
        // A concurrent import wrote some of these entries first: the next attempt finds them.
        const lostRace = isPetError(e) && (e.code === 'DUPLICATE_KEY' || e.code === 'CONCURRENCY_CONFLICT');
        if (!(lostRace || (isPetError(e) && e.retryable)) || attempt >= 5) throw e;
      }
    }
  }

  // One batch is written while the next is read and validated: the rows' parsing overlaps the
  // database's work instead of waiting for it. Batches are still written one at a time, in file order.
  let batch: Candidate[] = [];
  let inFlight: Promise<void> | undefined;
  let writeFailure: { readonly error: unknown } | undefined;
  const settle = async (): Promise<void> => {
    const writing = inFlight;
    inFlight = undefined;
    await writing;
    if (writeFailure !== undefined) throw writeFailure.error;
  };
  const flush = async (): Promise<void> => {
    await settle();
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    seen.sealBatch();
    inFlight = writeBatch(rows).then(
      (created) => {
        seen.batchWritten();
        counts.created += created;
        counts.exists += rows.length - created;
        progress();
      },
      (error: unknown) => {
        writeFailure = { error };
      },
    );
  };

  let failure: unknown;
  try {
    for (let next = head; next.done !== true; next = await records.next()) {
      // A batch that failed stops the run: the rows after it are neither classified nor reported.
      if (writeFailure !== undefined) break;
      const r = next.value;
      counts.rowsRead++;
      if (r.fields === null) {
        reject(r, 'UNPARSEABLE_LINE', r.parseError ?? 'the CSV reader could not read the line', null);
      } else {
        const v = Time.validateTimesheetRow(r.fields);
        if (!v.ok) {
          const field = v.error.details?.['field'];
          reject(r, v.error.code, v.error.message, typeof field === 'string' ? field : null);
        } else {
          // The same key, or the same employee, start and end as an earlier row, is the same entry.
          const candidate: Candidate = { row: r.row, id: entryIdOf(v.value), intake: v.value };
          if (await seen.has(candidate)) {
            reject(r, 'DUPLICATE_IN_FILE', 'an earlier row of the file is the same entry', null);
          } else {
            seen.add(candidate);
            batch.push(candidate);
          }
        }
      }
      if (batch.length >= batchSize) await flush();
      else if (counts.rowsRead % batchSize === 0) progress();
    }
    await flush();
    await settle();
  } catch (e) {
    failure = e;
  }
  // A run that stopped early still lets the batch in flight finish before answering (it never rejects).
  await inFlight;
  if (failure !== undefined)
    throw isPetError(failure) || failure instanceof ValidationError
      ? failure
      : dialect.classifyError(failure, 'time import');
  progress();
  return {
    fileName: valid.fileName,
    dryRun,
    rows: counts.rowsRead,
    created: counts.created,
    exists: counts.exists,
    rejected: counts.rejected,
    startedAt,
    finishedAt: clock.now(),
    durationMs: Math.round(performance.now() - t0),
    fileSha256: hash.digest('hex'),
    rejections,
  };
}

/** The data rows of a timesheet CSV, fields named through the header row. */
async function* readRows(
  source: AsyncIterable<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
): AsyncGenerator<ReadRow> {
  let header: (keyof Time.TimesheetRow | null)[] | null = null;
  for await (const rec of readCsvRecords(source, onChunk)) {
    if (header === null) {
      if (rec.fields === null)
        throw headerError(`line ${rec.line} cannot be read: ${rec.error ?? 'unreadable'}`);
      header = rec.fields.map(
        (h) =>
          HEADER_ALIASES[
            h
              .trim()
              .toLowerCase()
              .replace(/[\s-]+/g, '_')
          ] ?? null,
      );
      const missing = REQUIRED_COLUMNS.filter((c) => !header?.includes(c));
      if (missing.length > 0)
        throw headerError(
          `the header row has no ${missing.map((m) => m.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)).join(', ')} column`,
        );
      continue;
    }
    if (rec.fields === null) {
      yield { row: rec.line, raw: rec.raw, fields: null, parseError: rec.error ?? 'unreadable line' };
      continue;
    }
    const fields: { -readonly [K in keyof Time.TimesheetRow]?: string } = {};
    rec.fields.forEach((value, i) => {
      const key = header?.[i];
      if (key !== null && key !== undefined && fields[key] === undefined) fields[key] = value;
    });
    yield { row: rec.line, raw: rec.raw, fields };
  }
  if (header === null) throw headerError('the file is empty (no header row)');
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}

function headerError(rule: string): ValidationError {
  return new ValidationError('time import file', [{ field: 'source', rule }]);
}
