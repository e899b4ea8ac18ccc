import {
  type AggregateDefinition,
  type AggregateStore,
  type AppendResult,
  type EventDraft,
  isPetError,
  type Loaded,
  PetError,
  parseInput,
  type SaveRequest,
  type UnitOfWork,
  type UnitOfWorkRunOptions,
  type UnitOfWorkScope,
  type Uuid,
  uuidSchema,
  ValidationError,
} from '@pet-ops/core';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AnyTransaction, PetDialect } from './dialect.js';
import type { SqlEventStore } from './event-store/event-store.js';
import { type AppendInput, MAX_STREAM_VERSION, parseAppend } from './event-store/validation.js';
import { unitOfWorkOptionsSchema } from './options.js';
import { type AnyStateTable, aggregateOf, decodeColumn, encodeColumn } from './state-table.js';

/** Options of {@link createUnitOfWork}. */
export interface UnitOfWorkOptions {
  readonly dialect: PetDialect;
  /** Table prefix the schema was migrated with. */
  readonly prefix: string;
  /** The event store of the database: the unit runs in its `transaction` and appends with `appendIn`. */
  readonly events: SqlEventStore;
  /** Every state table the unit may load and save, declared with `defineStateTable`. */
  readonly tables: readonly AnyStateTable[];
  /**
   * When a save's events are written (default `'at-commit'`):
   * - `'with-each-save'`: each save appends its events at once, under the append latch where the dialect
   *   has one; its result carries their positions, a replay of stored events is reported as
   *   `duplicate: true` and leaves the row as it was, and a refused append undoes that save only.
   * - `'at-commit'`: each save writes its row (and child and part rows) and queues its events; the unit
   *   writes every queued event in one append just before COMMIT — one latch and one multi-row INSERT for
   *   the whole unit, as a hand-written transaction would (a quote acceptance with its project's 40 tasks
   *   sends 20 statements instead of 35). A save's `positions` are filled in then (empty until the unit
   *   commits). Row-level refusals (a stale version, a taken key) still fail the save itself; an event
   *   refused at commit (a replay committed meanwhile) fails the whole unit with a retryable
   *   `CONCURRENCY_CONFLICT`, and the command kernel's retry reports the stored events. `scope.append`
   *   and `findByIdempotencyKey` write the queue first, so events keep their order; a raw query in the
   *   unit does not see queued events.
   */
  readonly appendEvents?: 'with-each-save' | 'at-commit';
}

const loadSchema = z.object({ id: uuidSchema });
const saveSchema = z.object({
  id: uuidSchema,
  expectedVersion: z.number().int().min(0).max(MAX_STREAM_VERSION),
});

type Table = AnyStateTable;

/** Events of an `at-commit` save waiting for the unit's end; `positions` is the save's result's array. */
interface QueuedAppend {
  readonly streamId: Uuid;
  readonly expectedVersion: number;
  readonly events: readonly EventDraft[];
  readonly positions: bigint[];
}

/** Ids per statement of a batch load. */
const BATCH_ROWS = 500;
/**
 * Rows per multi-row INSERT of a batch save: as many as keep its parameters under 30,000 (SQLite allows
 * 32,766, MySQL and PostgreSQL 65,535), at most 1,000.
 */
const rowsPerInsert = (columns: number): number => Math.max(1, Math.min(1000, Math.floor(30_000 / columns)));

/**
 * The SQL side of a unit-of-work scope of {@link createUnitOfWork}: queries a workflow needs beyond
 * loading and saving aggregates (lookups by a unique column, sequence counters), run in the unit's
 * transaction.
 */
export interface SqlScope {
  readonly dialect: PetDialect;
  /** Table prefix the schema was migrated with. */
  readonly prefix: string;
  /**
   * Runs `work` on the unit's transaction, queued in call order with the scope's own loads and saves (one
   * connection runs one statement at a time); a driver error comes back classified by the dialect.
   */
  query<T>(operation: string, work: (trx: AnyTransaction) => Promise<T>): Promise<T>;
}

const sqlScopes = new WeakMap<UnitOfWorkScope, SqlScope>();

/**
 * The {@link SqlScope} of a scope that `createUnitOfWork(…).run` handed out (also `workflow.scope` of
 * `runWorkflow`); a `ValidationError` for any other scope.
 *
 * @example
 * ```ts
 * await uow.run(async (scope) => {
 *   const sql = sqlScopeOf(scope);
 *   return sql.query('count', (trx) => trx.selectFrom(`${sql.prefix}companies`).select('id').execute());
 * });
 * ```
 */
export function sqlScopeOf(scope: UnitOfWorkScope): SqlScope {
  const found = typeof scope === 'object' && scope !== null ? sqlScopes.get(scope) : undefined;
  if (found === undefined) {
    throw new ValidationError('unit of work scope', [
      { field: 'scope', rule: 'must be a scope of a unit of work made by createUnitOfWork (@pet-ops/sql)' },
    ]);
  }
  return found;
}

const partKey = (t: Table, id: string): string => `${t.streamType}\u0000${id}`;

/** Whether two logical column values are the same (JSON values compared by their JSON). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  return typeof a === 'object' || typeof b === 'object' ? JSON.stringify(a) === JSON.stringify(b) : false;
}

/**
 * The unit of work written once for every database: state rows and their events in one transaction
 * (a row is always the fold of its stream), optimistic concurrency on the row's `version`, and a save
 * refused on its row undone on its own, so work that catches it can go on. By default a unit writes all
 * its events in one append just before COMMIT (`appendEvents`). Rows are encoded from the declared logical
 * columns by the dialect's codecs.
 *
 * @example
 * ```ts
 * const events = createEventStore({ db, dialect, prefix });
 * const uow = createUnitOfWork({ dialect, prefix, events, tables: [counters] });
 * await uow.run(async (scope) => {
 *   const store = scope.aggregate(aggregateOf(counters));
 *   const { state, version } = await store.load(id);
 *   await store.save(id, version, next(state), [draft]);
 * });
 * ```
 */
export function createUnitOfWork(options: UnitOfWorkOptions): UnitOfWork {
  parseInput(unitOfWorkOptionsSchema, options, 'unit of work options');
  const { dialect, prefix, events } = options;
  const tables = new Map<string, Table>();
  for (const t of options.tables) tables.set(t.streamType, t);
  const codecs = dialect.codecs;
  const atCommit = options.appendEvents !== 'with-each-save';

  function createScope(
    trx: AnyTransaction,
    refusalEndsUnit: boolean,
  ): {
    api: UnitOfWorkScope;
    finish: () => Promise<void>;
    close: () => Promise<void>;
  } {
    let closed = false;
    let doomed: PetError | undefined;
    let chain: Promise<unknown> = Promise.resolve();
    // States of aggregates with part tables as this unit loaded or last saved them.
    const loadedStates = new Map<string, unknown>();
    // `at-commit`: the events of saves not yet written, in save order (one entry per stream).
    const queue: QueuedAppend[] = [];
    const queuedStreams = new Set<string>();
    // One connection runs one statement at a time: the scope's operations queue up in call order.
    const serial = <T>(operation: string, op: () => Promise<T>): Promise<T> => {
      if (closed) {
        return Promise.reject(
          new PetError('DATABASE_ERROR', `unit of work: ${operation} called after run() finished`, {
            details: { operation },
          }),
        );
      }
      const next = chain.then(op, op).catch((e: unknown) => {
        const typed = isPetError(e) ? e : dialect.classifyError(e, `unit of work ${operation}`);
        // A deadlock victim's whole transaction is gone (InnoDB): work that catches it must not commit.
        if (typed.code === 'DEADLOCK') doomed ??= typed;
        throw typed;
      });
      chain = next.catch(() => undefined);
      return next;
    };

    function store<S>(definition: AggregateDefinition<S>, t: Table): AggregateStore<S> {
      const name = `${prefix}${t.table}`;
      const specs = Object.entries(t.columns);
      return {
        streamType: definition.streamType,
        load(id) {
          return serial('load', async (): Promise<Loaded<S>> => {
            const v = parseInput(loadSchema, { id }, 'load');
            const query = trx.selectFrom(name).selectAll().where('id', '=', codecs.encodeId(v.id));
            // A loaded row stays as read until the unit ends: facts read from other aggregates (the article a
            // comment goes on) cannot change under the decision. SQLite's single writer already ensures it.
            const row = (await (dialect.lockRowsOnLoad ? query.forUpdate() : query).executeTakeFirst()) as
              | Record<string, unknown>
              | undefined;
            if (row === undefined) return { state: aggregateOf(t).initialState() as S, version: 0 };
            const logical: Record<string, unknown> = {};
            for (const [column, spec] of specs) logical[column] = decodeColumn(codecs, spec, row[column]);
            const state = aggregateOf(t).decode({ id: v.id, row: logical }) as S;
            // The part rows of the state as loaded: a save writes only what differs from them.
            if (t.parts !== undefined) loadedStates.set(partKey(t, v.id), state);
            return { state, version: Number(row['version']) };
          });
        },
        save(id, expectedVersion, state, drafts) {
          return serial('save', () =>
            atCommit
              ? saveQueued(definition, t, name, id, expectedVersion, state, drafts)
              : save(definition, t, name, id, expectedVersion, state, drafts),
          );
        },
        loadMany(ids) {
          return serial('loadMany', async (): Promise<Loaded<S>[]> => {
            const keys = parseIds(ids, 'loadMany');
            const found = new Map<string, Record<string, unknown>>();
            for (let at = 0; at < keys.length; at += BATCH_ROWS) {
              const chunk = keys.slice(at, at + BATCH_ROWS).map((id) => codecs.encodeId(id));
              const query = trx.selectFrom(name).selectAll().where('id', 'in', chunk);
              const rows = (await (dialect.lockRowsOnLoad ? query.forUpdate() : query).execute()) as Record<
                string,
                unknown
              >[];
              for (const row of rows) found.set(codecs.decodeId(row['id']), row);
            }
            return keys.map((id) => {
              const row = found.get(id);
              if (row === undefined) return { state: aggregateOf(t).initialState() as S, version: 0 };
              const logical: Record<string, unknown> = {};
              for (const [column, spec] of specs) logical[column] = decodeColumn(codecs, spec, row[column]);
              const state = aggregateOf(t).decode({ id, row: logical }) as S;
              if (t.parts !== undefined) loadedStates.set(partKey(t, id), state);
              return { state, version: Number(row['version']) };
            });
          });
        },
        saveMany(items) {
          return serial('saveMany', () => saveMany(definition, t, name, items));
        },
      };
    }

    /** Checks a batch's ids: uuids, distinct. */
    function parseIds(ids: readonly Uuid[], operation: string): Uuid[] {
      if (!Array.isArray(ids))
        throw new ValidationError(operation, [{ field: 'ids', rule: 'must be an array of ids' }]);
      const out = ids.map((id) => parseInput(loadSchema, { id }, operation).id as Uuid);
      const repeated = out.findIndex((id, i) => out.indexOf(id) !== i);
      if (repeated >= 0)
        throw new ValidationError(operation, [{ field: `ids.${repeated}`, rule: 'must be distinct' }]);
      return out;
    }

    /** What `save` checks of one aggregate's save, and the row it writes. */
    function prepare<S>(
      definition: AggregateDefinition<S>,
      t: Table,
      item: SaveRequest<S>,
      operation: string,
    ): { v: { id: Uuid; expectedVersion: number }; input: AppendInput; values: Record<string, unknown> } {
      const v = parseInput(
        saveSchema,
        { id: item?.id, expectedVersion: item?.expectedVersion },
        operation,
      ) as {
        id: Uuid;
        expectedVersion: number;
      };
      const input = parseAppend(v.id, v.expectedVersion, item.events);
      const wrongType = input.events.findIndex((e) => e.streamType !== definition.streamType);
      if (wrongType >= 0) {
        throw new ValidationError(operation, [
          {
            field: `events.${wrongType}.streamType`,
            rule: `must be ${definition.streamType}, the aggregate's stream type`,
          },
        ]);
      }
      // The declared table maps state and row; the definition only names the stream type.
      const logical = aggregateOf(t).encode(item.state) as Record<string, unknown>;
      const values: Record<string, unknown> = {};
      for (const [column, spec] of Object.entries(t.columns)) {
        values[column] = encodeColumn(codecs, spec, logical[column]);
      }
      return { v, input, values };
    }

    /**
     * Saves a batch in a savepoint: new rows in multi-row INSERTs, existing ones by versioned UPDATE, all
     * events in one `appendManyIn`, children in one INSERT per table. A refusal (a row or stream that moved
     * on, a duplicate key, a replay) rolls the batch back and saves the items one by one, which gives
     * each its exact outcome — still all or none.
     */
    async function saveMany<S>(
      definition: AggregateDefinition<S>,
      t: Table,
      name: string,
      items: readonly SaveRequest<S>[],
    ): Promise<AppendResult[]> {
      if (!Array.isArray(items))
        throw new ValidationError('saveMany', [{ field: 'items', rule: 'must be an array' }]);
      parseIds(
        items.map((i) => i?.id),
        'saveMany',
      );
      const prepared = items.map((item) => prepare(definition, t, item, 'saveMany'));
      if (prepared.length === 0) return [];
      // A stream saved twice in one unit: its first events are written first, so the order holds.
      if (prepared.some((p) => queuedStreams.has(p.v.id))) await flushQueue();
      const release = async (): Promise<void> => {
        if (dialect.replacesSavepointNames !== true)
          await sql`RELEASE SAVEPOINT pet_ops_save_many`.execute(trx);
      };
      const undo = async (): Promise<void> => {
        await sql`ROLLBACK TO SAVEPOINT pet_ops_save_many`.execute(trx);
        await sql`RELEASE SAVEPOINT pet_ops_save_many`.execute(trx);
      };
      const perInsert = rowsPerInsert(Object.keys(t.columns).length + 2);
      // New rows in one INSERT and nothing else before COMMIT: where a failed statement undoes only itself,
      // the batch needs no savepoint until a refusal sends it one by one.
      const lone =
        atCommit &&
        dialect.statementFailureKeepsTransaction === true &&
        t.parts === undefined &&
        prepared.length <= perInsert &&
        prepared.every((p) => p.v.expectedVersion === 0) &&
        !(t.children ?? []).some((c) =>
          prepared.some((p) => p.input.events.some((e) => c.rowsOf(e, p.v.id).length > 0)),
        );
      if (!lone) await sql`SAVEPOINT pet_ops_save_many`.execute(trx);
      try {
        const created = prepared.filter((p) => p.v.expectedVersion === 0);
        for (let at = 0; at < created.length; at += perInsert) {
          const rows = created.slice(at, at + perInsert).map((p) => ({
            ...p.values,
            id: codecs.encodeId(p.v.id),
            version: p.input.events.length,
          }));
          await trx.insertInto(name).values(rows).execute();
        }
        for (const p of prepared) {
          if (p.v.expectedVersion === 0) continue;
          const key = codecs.encodeId(p.v.id);
          const res = await trx
            .updateTable(name)
            .set({ ...p.values, version: p.v.expectedVersion + p.input.events.length })
            .where('id', '=', key)
            .where('version', '=', p.v.expectedVersion)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) === 0)
            throw conflict(p.v.id, p.v.expectedVersion, await rowVersion(name, key));
        }
        const appends = prepared.map((p) => ({
          streamId: p.v.id,
          expectedVersion: p.v.expectedVersion,
          events: p.input.events,
        }));
        const results: readonly AppendResult[] = atCommit
          ? appends.map((a) => ({
              streamId: a.streamId,
              nextExpectedVersion: a.expectedVersion + a.events.length,
              positions: [],
              duplicate: false,
            }))
          : await events.appendManyIn(trx, appends, { callerSavepoint: true, rowWritten: true });
        for (const child of t.children ?? []) {
          const specs = Object.entries(child.columns);
          const rows = prepared.flatMap((p) =>
            p.input.events
              .flatMap((e) => child.rowsOf(e, p.v.id))
              .map((r) => {
                const out: Record<string, unknown> = {};
                for (const [column, spec] of specs)
                  out[column] = encodeColumn(codecs, spec, (r as Record<string, unknown>)[column]);
                return out;
              }),
          );
          const perChild = rowsPerInsert(specs.length);
          for (let at = 0; at < rows.length; at += perChild)
            await trx
              .insertInto(`${prefix}${child.table}`)
              .values(rows.slice(at, at + perChild))
              .execute();
        }
        if (t.parts !== undefined)
          for (const [i, p] of prepared.entries())
            await syncParts(
              definition,
              t,
              p.v.id,
              p.v.expectedVersion,
              (items[i] as SaveRequest<S>).state,
              p.input.events,
            );
        if (!lone) await release();
        if (atCommit)
          for (const [i, a] of appends.entries())
            enqueue({ ...a, positions: (results[i] as AppendResult).positions as bigint[] });
        return [...results];
      } catch (e) {
        const typed = isPetError(e) ? e : dialect.classifyError(e, 'saveMany');
        // A deadlock victim's whole transaction is gone (InnoDB): nothing to roll back to.
        if (typed.code === 'DEADLOCK') throw typed;
        if (typed.code !== 'DUPLICATE_KEY' && typed.code !== 'CONCURRENCY_CONFLICT') {
          if (!lone) await undo();
          throw typed;
        }
        await (lone
          ? sql`SAVEPOINT pet_ops_save_many`
          : sql`ROLLBACK TO SAVEPOINT pet_ops_save_many`
        ).execute(trx);
      }
      // One by one, inside the same savepoint: the first refusal undoes the items saved before it (and
      // drops the events they queued).
      const mark = queue.length;
      try {
        const out: AppendResult[] = [];
        for (const [i, p] of prepared.entries()) {
          const item = items[i] as SaveRequest<S>;
          out.push(
            await (atCommit ? saveQueued : save)(
              definition,
              t,
              name,
              p.v.id,
              p.v.expectedVersion,
              item.state,
              item.events,
            ),
          );
        }
        await release();
        return out;
      } catch (e) {
        for (const dropped of queue.splice(mark)) queuedStreams.delete(dropped.streamId);
        if (isPetError(e) && e.code === 'DEADLOCK') throw e;
        await undo();
        throw e;
      }
    }

    /**
     * A refused append after its row was written, where no savepoint can undo the row alone: the unit
     * fails (and cannot commit), retryable — the command handler's retry then answers a replay.
     */
    function endUnit(id: Uuid, typed: PetError): PetError {
      const refused = new PetError(
        'CONCURRENCY_CONFLICT',
        `unit of work: the events of ${id} collide with stored ones (a replay or another writer committed first): run the unit again (${typed.message})`,
        { retryable: true, cause: typed, details: { ...typed.details } },
      );
      doomed ??= refused;
      return refused;
    }

    async function save<S>(
      definition: AggregateDefinition<S>,
      t: Table,
      name: string,
      id: Uuid,
      expectedVersion: number,
      state: S,
      drafts: readonly EventDraft[],
    ): Promise<AppendResult> {
      const { v, input, values } = prepare(
        definition,
        t,
        { id, expectedVersion, state, events: drafts },
        'save',
      );
      const key = codecs.encodeId(v.id);
      const version = v.expectedVersion + input.events.length;
      // The row and its events move together, also when the caller catches a failed save and goes on —
      // unless a refusal ends the unit anyway (`refusalEndsUnit`): then no savepoint is needed.
      const kept = !refusalEndsUnit;
      if (kept) await sql`SAVEPOINT pet_ops_save`.execute(trx);
      try {
        await writeRow(name, key, v, values, version, kept);
        let result: AppendResult;
        try {
          // The row just written at the expected version vouches for the stream's head and the transaction's
          // id: the store reads and claims nothing more, and leaves a refusal to this savepoint.
          result = await events.appendIn(trx, v.id, v.expectedVersion, input.events, {
            callerSavepoint: true,
            rowWritten: true,
          });
        } catch (e) {
          const typed = isPetError(e) ? e : dialect.classifyError(e, 'save');
          if (typed.code !== 'DUPLICATE_KEY' && typed.code !== 'CONCURRENCY_CONFLICT') throw typed;
          if (!kept) throw endUnit(v.id, typed);
          // The refused INSERT may have spoilt the transaction (PostgreSQL): back to the savepoint, then ask
          // whether it was a replay of events stored before (else the typed refusal is thrown).
          await sql`ROLLBACK TO SAVEPOINT pet_ops_save`.execute(trx);
          result = await events.refusalOf(trx, v.id, v.expectedVersion, input.events, typed);
        }
        // A replayed append leaves the row (and its children) as they were; with no savepoint to go back to
        // (PostgreSQL's store answers a replay itself), the unit ends.
        if (result.duplicate && !kept)
          throw endUnit(v.id, new PetError('DUPLICATE_KEY', 'the same events are stored already'));
        if (result.duplicate) await sql`ROLLBACK TO SAVEPOINT pet_ops_save`.execute(trx);
        else {
          await insertChildren(t, v.id, input.events);
          if (t.parts !== undefined)
            await syncParts(definition, t, v.id, v.expectedVersion, state, input.events);
        }
        if (kept && dialect.replacesSavepointNames !== true)
          await sql`RELEASE SAVEPOINT pet_ops_save`.execute(trx);
        return result;
      } catch (e) {
        if (!kept || (isPetError(e) && e.code === 'DEADLOCK')) throw e;
        await sql`ROLLBACK TO SAVEPOINT pet_ops_save`.execute(trx);
        await sql`RELEASE SAVEPOINT pet_ops_save`.execute(trx);
        throw e;
      }
    }

    /**
     * `at-commit`'s save: the row (and its child and part rows) now, its events queued for the unit's
     * end. A save that is one statement needs no savepoint where a failed statement undoes only itself.
     */
    async function saveQueued<S>(
      definition: AggregateDefinition<S>,
      t: Table,
      name: string,
      id: Uuid,
      expectedVersion: number,
      state: S,
      drafts: readonly EventDraft[],
    ): Promise<AppendResult> {
      const { v, input, values } = prepare(
        definition,
        t,
        { id, expectedVersion, state, events: drafts },
        'save',
      );
      if (queuedStreams.has(v.id)) await flushQueue();
      const key = codecs.encodeId(v.id);
      const version = v.expectedVersion + input.events.length;
      // One statement: the row alone, where no child or part row goes with it.
      const oneStatement =
        t.parts === undefined &&
        !(t.children ?? []).some((c) => input.events.some((e) => c.rowsOf(e, v.id).length > 0));
      // No savepoint where a refusal ends the unit anyway (the command handler's save), or where the save is
      // one statement and a failed statement undoes only itself.
      const kept = !refusalEndsUnit && !(oneStatement && dialect.statementFailureKeepsTransaction === true);
      if (kept) await sql`SAVEPOINT pet_ops_save`.execute(trx);
      try {
        await writeRow(name, key, v, values, version, kept);
        if (!oneStatement) {
          await insertChildren(t, v.id, input.events);
          if (t.parts !== undefined)
            await syncParts(definition, t, v.id, v.expectedVersion, state, input.events);
        }
        if (kept && dialect.replacesSavepointNames !== true)
          await sql`RELEASE SAVEPOINT pet_ops_save`.execute(trx);
      } catch (e) {
        if (isPetError(e) && e.code === 'DEADLOCK') throw e;
        if (kept) {
          await sql`ROLLBACK TO SAVEPOINT pet_ops_save`.execute(trx);
          await sql`RELEASE SAVEPOINT pet_ops_save`.execute(trx);
        }
        throw e;
      }
      const positions: bigint[] = [];
      enqueue({ streamId: v.id, expectedVersion: v.expectedVersion, events: input.events, positions });
      return { streamId: v.id, nextExpectedVersion: version, positions, duplicate: false };
    }

    function enqueue(append: QueuedAppend): void {
      queue.push(append);
      queuedStreams.add(append.streamId);
    }

    /**
     * Writes the queued events in one append (one latch, multi-row INSERTs) and fills in each save's
     * positions. Every row it covers is written at its expected version under its lock, so the store reads
     * no head. A refusal dooms the unit: rows written for those events must not commit without them.
     */
    async function flushQueue(): Promise<void> {
      if (queue.length === 0) return;
      const batch = queue.splice(0);
      queuedStreams.clear();
      let results: readonly AppendResult[];
      try {
        results = await events.appendManyIn(trx, batch, {
          callerSavepoint: true,
          rowWritten: true,
          failsTransaction: true,
        });
      } catch (e) {
        const typed = isPetError(e) ? e : dialect.classifyError(e, 'unit of work');
        const refused =
          typed.code === 'DUPLICATE_KEY' || typed.code === 'CONCURRENCY_CONFLICT'
            ? new PetError(
                'CONCURRENCY_CONFLICT',
                `unit of work: its events collide with stored ones (a replay or another writer committed first): run the unit again (${typed.message})`,
                { retryable: true, cause: typed, details: { ...typed.details } },
              )
            : typed;
        doomed ??= refused;
        throw refused;
      }
      for (const [i, b] of batch.entries()) b.positions.push(...(results[i] as AppendResult).positions);
    }

    /**
     * A save's row: inserted at version 0, else updated at the expected version. A row that exists already
     * or moved on is `CONCURRENCY_CONFLICT` with its numbers; with `savepoint`, the failed statement's
     * savepoint is rolled back first (some databases refuse everything after an error until then).
     */
    async function writeRow(
      name: string,
      key: unknown,
      v: { readonly id: Uuid; readonly expectedVersion: number },
      values: Record<string, unknown>,
      version: number,
      savepoint: boolean,
    ): Promise<void> {
      if (v.expectedVersion === 0) {
        if (dialect.statementFailureKeepsTransaction !== true) {
          // Where a failed statement spoils the transaction (PostgreSQL), an id already taken is not provoked
          // as an error: nothing could be read after it without a savepoint, and the unit may have none
          // (`refusalEndsUnit`). Any other unique key taken still fails the statement, typed below.
          let inserted = 0;
          try {
            const res = await trx
              .insertInto(name)
              .values({ ...values, id: key, version })
              .onConflict((oc) => oc.column('id').doNothing())
              .executeTakeFirst();
            inserted = Number(res.numInsertedOrUpdatedRows ?? 0n);
          } catch (e) {
            // The caller goes back to its savepoint, if it took one.
            throw dialect.classifyError(e, 'save');
          }
          if (inserted === 0) throw conflict(v.id, 0, await rowVersion(name, key));
          return;
        }
        try {
          await trx
            .insertInto(name)
            .values({ ...values, id: key, version })
            .execute();
        } catch (e) {
          const typed = dialect.classifyError(e, 'save');
          // A deadlock victim's whole transaction is rolled back (InnoDB): no savepoint is left to undo,
          // and the retryable DEADLOCK must reach the retry policy unmasked.
          if (typed.code === 'DEADLOCK') throw typed;
          if (savepoint) await sql`ROLLBACK TO SAVEPOINT pet_ops_save`.execute(trx);
          // Only the row's own id means "created by someone else first"; other unique keys are the caller's.
          const existing = typed.code === 'DUPLICATE_KEY' ? await rowVersion(name, key) : undefined;
          if (existing === undefined || existing === 0) throw typed;
          throw conflict(v.id, 0, existing);
        }
        return;
      }
      const res = await trx
        .updateTable(name)
        .set({ ...values, version })
        .where('id', '=', key)
        .where('version', '=', v.expectedVersion)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0)
        throw conflict(v.id, v.expectedVersion, await rowVersion(name, key));
    }

    async function insertChildren(t: Table, id: Uuid, saved: readonly EventDraft[]): Promise<void> {
      for (const child of t.children ?? []) {
        const specs = Object.entries(child.columns);
        const rows = saved.flatMap((e) => child.rowsOf(e, id));
        if (rows.length === 0) continue;
        const encoded = rows.map((r) => {
          const out: Record<string, unknown> = {};
          for (const [column, spec] of specs)
            out[column] = encodeColumn(codecs, spec, (r as Record<string, unknown>)[column]);
          return out;
        });
        await trx.insertInto(`${prefix}${child.table}`).values(encoded).execute();
      }
    }

    /** The state the part rows now hold: as loaded in this unit, else read (a save without a load). */
    async function storedState(t: Table, id: Uuid): Promise<unknown> {
      const known = loadedStates.get(partKey(t, id));
      if (known !== undefined) return known;
      const row = (await trx
        .selectFrom(`${prefix}${t.table}`)
        .selectAll()
        .where('id', '=', codecs.encodeId(id))
        .executeTakeFirst()) as Record<string, unknown> | undefined;
      if (row === undefined) return undefined;
      const logical: Record<string, unknown> = {};
      for (const [column, spec] of Object.entries(t.columns))
        logical[column] = decodeColumn(codecs, spec, row[column]);
      return aggregateOf(t).decode({ id, row: logical });
    }

    /**
     * Writes the difference between the part rows of the stored state and those of the saved one:
     * new rows inserted, changed columns updated, dropped rows retired.
     */
    async function syncParts<S>(
      definition: AggregateDefinition<S>,
      t: Table,
      id: Uuid,
      expectedVersion: number,
      state: S,
      saved: readonly EventDraft[],
    ): Promise<void> {
      const before = expectedVersion === 0 ? undefined : await storedState(t, id);
      for (const part of t.parts ?? []) {
        const name = `${prefix}${part.table}`;
        const specs = Object.entries(part.columns);
        const encode = (r: Readonly<Record<string, unknown>>): Record<string, unknown> => {
          const out: Record<string, unknown> = {};
          for (const [column, spec] of specs) out[column] = encodeColumn(codecs, spec, r[column]);
          return out;
        };
        const old = new Map<string, Readonly<Record<string, unknown>>>();
        if (before !== undefined) for (const r of part.rowsOf(before, id)) old.set(String(r['id']), r);
        const added: Record<string, unknown>[] = [];
        for (const r of part.rowsOf(state, id)) {
          const rowId = String(r['id']);
          const was = old.get(rowId);
          old.delete(rowId);
          if (was === undefined) {
            added.push(encode(r));
            continue;
          }
          const changed: Record<string, unknown> = {};
          let any = false;
          for (const [column, spec] of specs) {
            if (column === 'id' || sameValue(was[column], r[column])) continue;
            changed[column] = encodeColumn(codecs, spec, r[column]);
            any = true;
          }
          if (any)
            await trx.updateTable(name).set(changed).where('id', '=', codecs.encodeId(rowId)).execute();
        }
        if (added.length > 0) await trx.insertInto(name).values(added).execute();
        if (old.size === 0) continue;
        const retired = part.retiredColumn;
        if (retired === undefined) {
          throw new PetError(
            'DATABASE_ERROR',
            `unit of work: ${part.table} rows may not disappear from a ${definition.streamType} state`,
            { details: { table: part.table, rows: [...old.keys()] } },
          );
        }
        const at = encodeColumn(codecs, { type: 'instant' }, saved[0]?.occurredAt);
        await trx
          .updateTable(name)
          .set({ [retired]: at })
          .where(
            'id',
            'in',
            [...old.keys()].map((k) => codecs.encodeId(k)),
          )
          .execute();
      }
      loadedStates.set(partKey(t, id), state);
    }

    async function rowVersion(name: string, key: unknown): Promise<number> {
      const row = (await trx.selectFrom(name).select('version').where('id', '=', key).executeTakeFirst()) as
        | { version: unknown }
        | undefined;
      return Number(row?.version ?? 0);
    }

    const api: UnitOfWorkScope = {
      aggregate<S>(definition: AggregateDefinition<S>): AggregateStore<S> {
        const t = tables.get(definition.streamType);
        if (t === undefined) {
          throw new ValidationError('aggregate definition', [
            {
              field: 'streamType',
              rule: `no state table is declared for ${JSON.stringify(definition.streamType)}`,
            },
          ]);
        }
        return store(definition, t);
      },
      append(streamId, expectedVersion, drafts) {
        return serial('append', async () => {
          await flushQueue();
          return events.appendIn(trx, streamId, expectedVersion, drafts);
        });
      },
      findByIdempotencyKey(key) {
        return serial('findByIdempotencyKey', async () => {
          await flushQueue();
          return events.findByIdempotencyKey(key, trx);
        });
      },
    };
    sqlScopes.set(api, {
      dialect,
      prefix,
      query: (operation, work) => serial(operation, () => work(trx)),
    });
    return {
      api,
      finish: () => serial('commit', flushQueue),
      async close() {
        closed = true;
        await chain;
        // Retryable: the retry policy runs the whole unit again.
        if (doomed !== undefined) throw doomed;
      },
    };
  }

  return {
    async run<T>(
      work: (scope: UnitOfWorkScope) => Promise<T>,
      runOptions?: UnitOfWorkRunOptions,
    ): Promise<T> {
      if (typeof work !== 'function') {
        throw new ValidationError('unit of work', [{ field: 'work', rule: 'must be a function' }]);
      }
      try {
        // The event store's transaction: it releases the append latch after COMMIT where the dialect has one.
        return await events.transaction(async (trx) => {
          const scope = createScope(trx, runOptions?.refusalEndsUnit === true);
          try {
            const value = await work(scope.api);
            await scope.finish();
            return value;
          } finally {
            await scope.close();
          }
        });
      } catch (e) {
        throw isPetError(e) || !looksLikeDriverError(e) ? e : dialect.classifyError(e, 'unit of work');
      }
    },
  };
}

function conflict(streamId: Uuid, expected: number, actual: number): PetError {
  return new PetError(
    'CONCURRENCY_CONFLICT',
    `stream ${streamId}: expected version ${expected}, but it is at ${actual}`,
    {
      retryable: true,
      details: { streamId, expected, actual },
    },
  );
}

/** Errors of the work itself pass through unchanged; only the database's are classified. */
function looksLikeDriverError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const d = e as { errno?: unknown; errcode?: unknown; sqlState?: unknown; code?: unknown };
  return (
    typeof d.errno === 'number' ||
    typeof d.errcode === 'number' ||
    typeof d.sqlState === 'string' ||
    (typeof d.code === 'string' && /^(ERR_SQLITE|ER_|[0-9A-Z]{5}$)/.test(d.code))
  );
}
