import { fc } from '@fast-check/vitest';
import {
  type EventDraft,
  type EventStore,
  isPetError,
  type PetError,
  type UnitOfWork,
  type Uuid,
  ValidationError,
} from '@pet-ops/core';
import { aggregateOf, defineStateTable } from '@pet-ops/sql';
import type { Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect } from '../connection.js';
import { createMysqlEventStore } from '../event-store/event-store.js';
import {
  caught,
  countRows,
  draft,
  eventually,
  type Fixture,
  gate,
  newId,
  openFixture,
  someoneWaitsForALock,
} from '../event-store/fixtures.test.js';
import { createMysqlUnitOfWork } from './unit-of-work.js';

/** A simple test aggregate: a labelled, tagged counter. */
interface Counter {
  readonly total: number;
  readonly label: string;
  readonly tags: readonly string[];
}
type CounterEvent =
  | { type: 'counter.added'; by: number }
  | { type: 'counter.labelled'; label: string }
  | { type: 'counter.tagged'; tag: string };

// A host's own aggregate: its table declared once (createMysqlUnitOfWork's stateTables).
const countersTable = defineStateTable({
  streamType: 'counter',
  table: 'counters',
  columns: { total: { type: 'int' }, label: { type: 'text' }, tags: { type: 'json' } },
  initialState: (): Counter => ({ total: 0, label: '', tags: [] }),
  toRow: (s) => ({ total: s.total, label: s.label, tags: s.tags }),
  fromRow: (r) => ({ total: r.total, label: r.label, tags: r.tags as string[] }),
});
const counters = aggregateOf(countersTable);

function evolve(s: Counter, e: CounterEvent): Counter {
  switch (e.type) {
    case 'counter.added':
      return { ...s, total: s.total + e.by };
    case 'counter.labelled':
      return { ...s, label: e.label };
    case 'counter.tagged':
      return { ...s, tags: [...s.tags, e.tag] };
  }
}

function toDraft(e: CounterEvent, idempotencyKey?: string): EventDraft {
  const { type, ...payload } = e;
  return draft({
    type,
    streamType: 'counter',
    payload,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  });
}

function fromStored(payload: unknown, type: string): CounterEvent {
  return { type, ...(payload as object) } as CounterEvent;
}

let fx: Fixture;
let uow: UnitOfWork;
let store: EventStore;

beforeAll(async () => {
  fx = await openFixture(inject('mysqlUrl'), 'wp_');
  await fx.pool.query(`CREATE TABLE wp_counters (
    id BINARY(16) NOT NULL PRIMARY KEY,
    version INT UNSIGNED NOT NULL,
    total BIGINT NOT NULL,
    label VARCHAR(100) NOT NULL,
    tags JSON NOT NULL
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  uow = createMysqlUnitOfWork({ pool: fx.pool, prefix: 'wp_', stateTables: [countersTable] });
  store = createMysqlEventStore({ pool: fx.pool, prefix: 'wp_' });
});
afterAll(async () => {
  await fx?.close();
});

/** One command: load, evolve, save — the application layer's shape. */
function apply(id: Uuid, events: readonly CounterEvent[], after?: () => Promise<void>): Promise<number> {
  return uow.run(async (scope) => {
    const agg = scope.aggregate(counters);
    const { state, version } = await agg.load(id);
    await after?.();
    const next = events.reduce(evolve, state);
    const result = await agg.save(
      id,
      version,
      next,
      events.map((e) => toDraft(e)),
    );
    return result.nextExpectedVersion;
  });
}

async function loadOutside(id: Uuid): Promise<{ state: Counter; version: number }> {
  return uow.run((scope) => scope.aggregate(counters).load(id));
}

describe('load and save', () => {
  it('given no row, when loading, then the initial state at version 0; saving creates row and events together', async () => {
    const id = newId();
    expect(await loadOutside(id)).toEqual({ state: counters.initialState(), version: 0 });
    expect(
      await apply(id, [
        { type: 'counter.added', by: 2 },
        { type: 'counter.labelled', label: "it's 🧮" },
      ]),
    ).toBe(2);
    expect(await loadOutside(id)).toEqual({ state: { total: 2, label: "it's 🧮", tags: [] }, version: 2 });
    expect(await apply(id, [{ type: 'counter.tagged', tag: 'x' }])).toBe(3);
    const stream = await store.readStream(id);
    expect(stream.map((e) => [e.streamVersion, e.type])).toEqual([
      [1, 'counter.added'],
      [2, 'counter.labelled'],
      [3, 'counter.tagged'],
    ]);
  });

  it('given a row at version 1, when saving with another expected version, then CONCURRENCY_CONFLICT and nothing changes', async () => {
    const id = newId();
    await apply(id, [{ type: 'counter.added', by: 1 }]);
    for (const expected of [0, 2]) {
      const e = await caught(
        uow.run((scope) =>
          scope
            .aggregate(counters)
            .save(id, expected, { total: 9, label: '', tags: [] }, [
              toDraft({ type: 'counter.added', by: 8 }),
            ]),
        ),
      );
      expect(e).toMatchObject({
        code: 'CONCURRENCY_CONFLICT',
        retryable: true,
        details: { streamId: id, expected, actual: 1 },
      });
    }
    expect(await loadOutside(id)).toEqual({ state: { total: 1, label: '', tags: [] }, version: 1 });
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('given a save whose events are already stored, then the first result comes back and the row stays', async () => {
    const id = newId();
    const event = toDraft({ type: 'counter.added', by: 5 });
    await uow.run((scope) =>
      scope.aggregate(counters).save(id, 0, { total: 5, label: '', tags: [] }, [event]),
    );
    const again = await uow.run((scope) =>
      scope.aggregate(counters).save(id, 1, { total: 10, label: '', tags: [] }, [event]),
    );
    expect(again).toMatchObject({ duplicate: true, nextExpectedVersion: 1 });
    expect(await loadOutside(id)).toEqual({ state: { total: 5, label: '', tags: [] }, version: 1 });
  });

  it('given a loaded row and a caught failed save, when the run commits, then the row is as loaded', async () => {
    const id = newId();
    await apply(id, [
      { type: 'counter.added', by: 1 },
      { type: 'counter.tagged', tag: 'a' },
    ]);
    const taken = toDraft({ type: 'counter.added', by: 1 });
    await store.append(newId(), 0, [{ ...taken, streamType: 'counter' }]);
    await uow.run(async (scope) => {
      const agg = scope.aggregate(counters);
      const { version } = await agg.load(id);
      const e = await caught(agg.save(id, version, { total: 99, label: 'x', tags: [] }, [taken]));
      expect(e.code).toBe('IDEMPOTENCY_MISMATCH');
      // The scope goes on normally: a later save in the same run starts from the restored row.
      await agg.save(id, version, { total: 3, label: '', tags: ['a'] }, [
        toDraft({ type: 'counter.added', by: 2 }),
      ]);
    });
    expect(await loadOutside(id)).toEqual({ state: { total: 3, label: '', tags: ['a'] }, version: 3 });
  });

  it('given a save without a load in the scope, when its append fails, then the savepoint puts the row back', async () => {
    const id = newId();
    await apply(id, [{ type: 'counter.added', by: 1 }]);
    const taken = toDraft({ type: 'counter.added', by: 1 });
    await store.append(newId(), 0, [{ ...taken, streamType: 'counter' }]);
    await uow.run(async (scope) => {
      const e = await caught(
        scope.aggregate(counters).save(id, 1, { total: 50, label: 'y', tags: [] }, [taken]),
      );
      expect(e.code).toBe('IDEMPOTENCY_MISMATCH');
    });
    expect(await loadOutside(id)).toEqual({ state: { total: 1, label: '', tags: [] }, version: 1 });
  });

  it('given a caught failed save, when the run goes on and commits, then the row did not move without its events', async () => {
    const id = newId();
    const taken = toDraft({ type: 'counter.added', by: 1 });
    await store.append(newId(), 0, [{ ...taken, streamType: 'counter' }]);
    await uow.run(async (scope) => {
      const e = await caught(
        scope.aggregate(counters).save(id, 0, { total: 1, label: '', tags: [] }, [taken]),
      );
      expect(e.code).toBe('IDEMPOTENCY_MISMATCH');
    });
    expect(await loadOutside(id)).toEqual({ state: counters.initialState(), version: 0 });
  });
});

describe('transactions', () => {
  it('given work that throws after saving and appending, then nothing of it remains (no row, no event)', async () => {
    const id = newId();
    const other = newId();
    const rows = await countRows(fx.pool, 'wp_counters');
    const events = await countRows(fx.pool, 'wp_domain_events');
    const boom = new Error('work failed');
    await expect(
      uow.run(async (scope) => {
        await scope
          .aggregate(counters)
          .save(id, 0, { total: 1, label: '', tags: [] }, [toDraft({ type: 'counter.added', by: 1 })]);
        await scope.append(other, 'no_stream', [draft()]);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await countRows(fx.pool, 'wp_counters')).toBe(rows);
    expect(await countRows(fx.pool, 'wp_domain_events')).toBe(events);
  });

  it('given two runs on one aggregate, when the second loads while the first holds it, then they serialise and both succeed', async () => {
    const id = newId();
    await apply(id, [{ type: 'counter.added', by: 1 }]);
    const [loaded, hold] = [gate(), gate()];
    const first = apply(id, [{ type: 'counter.added', by: 10 }], async () => {
      loaded.open();
      await hold.wait;
    });
    await loaded.wait;
    const second = apply(id, [{ type: 'counter.added', by: 100 }]);
    await eventually(() => someoneWaitsForALock(fx.pool), 'second run waits for the row lock');
    hold.open();
    expect(await first).toBe(2);
    expect(await second).toBe(3);
    expect((await loadOutside(id)).state.total).toBe(111);
  });

  it('given two runs each creating a new aggregate, when both load before either saves, then both commit (READ COMMITTED: no gap locks)', async () => {
    const [x, y] = [newId(), newId()];
    const bothLoaded = gate();
    let loaded = 0;
    const create = (id: Uuid) =>
      uow.run(async (scope) => {
        const agg = scope.aggregate(counters);
        const { state, version } = await agg.load(id);
        loaded += 1;
        if (loaded === 2) bothLoaded.open();
        await bothLoaded.wait;
        const added: CounterEvent = { type: 'counter.added', by: 1 };
        await agg.save(id, version, evolve(state, added), [toDraft(added)]);
        return id;
      });
    const outcomes = await Promise.allSettled([create(x), create(y)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
  });

  it('given two runs creating the same aggregate, then one wins and the other gets a retryable conflict', async () => {
    const id = newId();
    const [saved, hold] = [gate(), gate()];
    const first = uow.run(async (scope) => {
      const r = await scope
        .aggregate(counters)
        .save(id, 0, { total: 1, label: '', tags: [] }, [toDraft({ type: 'counter.added', by: 1 })]);
      saved.open();
      await hold.wait;
      return r;
    });
    await saved.wait;
    const second = caught(
      uow.run((scope) =>
        scope
          .aggregate(counters)
          .save(id, 0, { total: 2, label: '', tags: [] }, [toDraft({ type: 'counter.added', by: 2 })]),
      ),
    );
    await eventually(() => someoneWaitsForALock(fx.pool), 'second creator waits');
    hold.open();
    expect((await first).nextExpectedVersion).toBe(1);
    expect(await second).toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      retryable: true,
      details: { actual: 1 },
    });
  });

  it('given two runs locking two aggregates in opposite order, then one fails with a retryable DEADLOCK', async () => {
    const [x, y] = [newId(), newId()];
    await apply(x, [{ type: 'counter.added', by: 1 }]);
    await apply(y, [{ type: 'counter.added', by: 1 }]);
    const bothHoldOne = gate();
    let holding = 0;
    const run = (a: Uuid, b: Uuid) =>
      uow.run(async (scope) => {
        const agg = scope.aggregate(counters);
        await agg.load(a);
        holding += 1;
        if (holding === 2) bothHoldOne.open();
        await bothHoldOne.wait;
        // The loser catches its deadlock and carries on: the run must still roll back and say so.
        await agg.load(b).catch(() => undefined);
        return 'done';
      });
    const outcomes = await Promise.allSettled([run(x, y), run(y, x)]);
    const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as PetError] : []));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'DEADLOCK', retryable: true });
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });

  it('given two runs whose saves deadlock (an UPDATE, its savepoint gone with the rollback), when the loser catches it, then its run still fails with a retryable DEADLOCK', async () => {
    const [x, y] = [newId(), newId()];
    await apply(x, [{ type: 'counter.added', by: 1 }]);
    await apply(y, [{ type: 'counter.added', by: 1 }]);
    const bothHoldOne = gate();
    let holding = 0;
    const added: CounterEvent = { type: 'counter.added', by: 1 };
    const run = (mine: Uuid, theirs: Uuid) =>
      uow.run(async (scope) => {
        const agg = scope.aggregate(counters);
        await agg.load(mine);
        holding += 1;
        if (holding === 2) bothHoldOne.open();
        await bothHoldOne.wait;
        const state = { total: 2, label: '', tags: [] };
        await agg.save(theirs, 1, state, [toDraft(added)]).catch(() => undefined);
        return 'done';
      });
    const outcomes = await Promise.allSettled([run(x, y), run(y, x)]);
    const errors = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as PetError] : []));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'DEADLOCK', retryable: true });
  });

  it('given a row locked longer than the lock wait timeout, then LOCK_TIMEOUT (retryable)', async () => {
    const impatient: Pool = await connect({ url: fx.db.url, connectionLimit: 2 });
    try {
      // Every connection of this pool gives up on a row lock after 1 s.
      impatient.on('connection', (c) => {
        (c as unknown as { query(sql: string): void }).query('SET SESSION innodb_lock_wait_timeout = 1');
      });
      const existing = await impatient.getConnection();
      await existing.query('SET SESSION innodb_lock_wait_timeout = 1');
      existing.release();
      const slowUow = createMysqlUnitOfWork({ pool: impatient, prefix: 'wp_', stateTables: [countersTable] });
      const id = newId();
      await apply(id, [{ type: 'counter.added', by: 1 }]);
      const [loaded, hold] = [gate(), gate()];
      const holder = apply(id, [{ type: 'counter.added', by: 1 }], async () => {
        loaded.open();
        await hold.wait;
      });
      await loaded.wait;
      const e = await caught(slowUow.run((scope) => scope.aggregate(counters).load(id)));
      hold.open();
      await holder;
      expect(e).toMatchObject({ code: 'LOCK_TIMEOUT', retryable: true });
    } finally {
      await impatient.end();
    }
  });

  it('given a state table constraint, when a save breaks it, then DUPLICATE_KEY or CONSTRAINT_VIOLATION, nothing written', async () => {
    await fx.pool.query(`CREATE TABLE wp_named (
      id BINARY(16) NOT NULL PRIMARY KEY,
      version INT UNSIGNED NOT NULL,
      name VARCHAR(10) NOT NULL,
      UNIQUE KEY uq_name (name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    const namedTable = defineStateTable({
      streamType: 'named',
      table: 'named',
      columns: { name: { type: 'text' } },
      initialState: (): { name: string } => ({ name: '' }),
      toRow: (s) => ({ name: s.name }),
      fromRow: (r) => ({ name: r.name }),
    });
    const named = aggregateOf(namedTable);
    const namedUow = createMysqlUnitOfWork({ pool: fx.pool, prefix: 'wp_', stateTables: [namedTable] });
    const create = (id: Uuid, name: string) =>
      namedUow.run((scope) =>
        scope.aggregate(named).save(id, 0, { name }, [draft({ type: 'named.created', streamType: 'named' })]),
      );
    await create(newId(), 'taken');
    const [dup, long] = [newId(), newId()];
    expect(await caught(create(dup, 'taken'))).toMatchObject({
      code: 'DUPLICATE_KEY',
      details: { key: 'uq_name' },
    });
    expect((await caught(create(long, 'far too long for ten'))).code).toBe('CONSTRAINT_VIOLATION');
    expect(await store.readStream(dup)).toEqual([]);
    expect(await store.readStream(long)).toEqual([]);
  });

  it('given a missing state table, then DATABASE_ERROR; errors of the work itself pass through untouched', async () => {
    const broken = createMysqlUnitOfWork({
      pool: fx.pool,
      prefix: 'wp_',
      stateTables: [{ ...countersTable, table: 'missing' }],
    });
    const e = await caught(broken.run((scope) => scope.aggregate(counters).load(newId())));
    expect(e.code).toBe('DATABASE_ERROR');
    expect(e.message).not.toMatch(/\n\s+at /);
    const mine = new TypeError('my bug');
    await expect(uow.run(async () => Promise.reject(mine))).rejects.toBe(mine);
  });
});

describe('scope', () => {
  it('finds appends by idempotency key (exact or key#…), in position order, including its own', async () => {
    const key = `cmd-${newId()}`;
    await store.append(newId(), 0, [draft({ idempotencyKey: key })]);
    await store.append(newId(), 0, [
      draft({ idempotencyKey: `${key}0` }),
      draft({ idempotencyKey: `${key}_%` }),
    ]);
    const found = await uow.run(async (scope) => {
      await scope.append(newId(), 0, [draft({ idempotencyKey: `${key}#2` })]);
      return scope.findByIdempotencyKey(key);
    });
    expect(found.map((e) => e.idempotencyKey)).toEqual([key, `${key}#2`]);
    expect(found[0]!.position < found[1]!.position).toBe(true);
  });

  it('refuses use after the run, an unconfigured aggregate kind and events of another stream type', async () => {
    let kept: Parameters<Parameters<UnitOfWork['run']>[0]>[0] | undefined;
    await uow.run(async (scope) => {
      kept = scope;
    });
    expect((await caught(kept!.findByIdempotencyKey('k'))).code).toBe('DATABASE_ERROR');
    await uow.run(async (scope) => {
      expect(() => scope.aggregate({ ...counters, streamType: 'ghost' })).toThrow(ValidationError);
      const e = await caught(
        scope.aggregate(counters).save(newId(), 0, counters.initialState(), [draft({ streamType: 'other' })]),
      );
      expect((e as ValidationError).issues[0]?.field).toBe('events.0.streamType');
    });
  });

  it('given an invalid prefix or table name, when creating the unit of work, then a ValidationError names it', () => {
    const fields = (options: Parameters<typeof createMysqlUnitOfWork>[0]) => {
      try {
        createMysqlUnitOfWork(options);
      } catch (e) {
        return (e as ValidationError).issues.map((i) => i.field);
      }
      return [];
    };
    expect(fields({ pool: fx.pool, prefix: 'wp-', tables: {} })).toEqual(['prefix']);
    expect(fields({ pool: fx.pool, prefix: 'wp_', tables: { counter: 'bad name' } })).toEqual([
      'tables.counter',
    ]);
    // The deprecated tables map is checked against the declared tables.
    expect(fields({ pool: fx.pool, prefix: 'wp_', tables: { counter: 'counters' } })).toEqual([
      'tables.counter',
    ]);
    expect(fields({ pool: fx.pool, prefix: 'wp_', tables: { quote: 'my_quotes' } })).toEqual([
      'tables.quote',
    ]);
    expect(
      fields({ pool: fx.pool, prefix: 'wp_', tables: { quote: 'quotes', employee: 'employees' } }),
    ).toEqual([]);
    expect(
      fields({ pool: fx.pool, prefix: 'wp_', tables: { counter: 'counters' }, stateTables: [countersTable] }),
    ).toEqual([]);
  });
});

describe('pool', () => {
  it('given a pool of one connection, when a fresh unit of work loads, saves and appends, then it commits (a unit holds one connection)', async () => {
    const single = await connect({ url: fx.db.url, connectionLimit: 1 });
    try {
      const one = createMysqlUnitOfWork({ pool: single, prefix: 'wp_', stateTables: [countersTable] });
      const [id, other] = [newId(), newId()];
      const work = one.run(async (scope) => {
        const agg = scope.aggregate(counters);
        const { state, version } = await agg.load(id);
        const added: CounterEvent = { type: 'counter.added', by: 2 };
        await agg.save(id, version, evolve(state, added), [toDraft(added)]);
        await scope.append(other, 'no_stream', [draft()]);
        return 'committed';
      });
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise((resolve) => {
        timer = setTimeout(() => resolve('hung: the unit waited for a second connection'), 15_000);
      });
      expect(await Promise.race([work, hung])).toBe('committed');
      clearTimeout(timer);
      expect((await store.readStream(id)).map((e) => e.streamVersion)).toEqual([1]);
      expect(await store.readStream(other)).toHaveLength(1);
      expect((await loadOutside(id)).state.total).toBe(2);
    } finally {
      await single.end();
    }
  });
});

describe('state rows are the fold of their streams', () => {
  const command = fc.record({
    target: fc.integer({ min: 0, max: 2 }),
    events: fc.array(
      fc.oneof(
        fc.record({ type: fc.constant('counter.added' as const), by: fc.integer({ min: 1, max: 1000 }) }),
        fc.record({ type: fc.constant('counter.labelled' as const), label: fc.string({ maxLength: 20 }) }),
        fc.record({ type: fc.constant('counter.tagged' as const), tag: fc.string({ maxLength: 8 }) }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fails: fc.boolean(),
    concurrent: fc.boolean(),
  });

  it('holds for random command sequences, with failing runs and concurrent runs retried on conflicts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        const ids = [newId(), newId(), newId()];
        const runOne = async (c: (typeof commands)[number]): Promise<void> => {
          const id = ids[c.target]!;
          for (let attempt = 0; attempt < 20; attempt++) {
            try {
              await apply(id, c.events, async () => {
                if (c.fails) throw new Error('rejected by the test');
              });
              return;
            } catch (e) {
              if (isPetError(e) && e.retryable) continue;
              if ((e as Error).message === 'rejected by the test') return;
              throw e;
            }
          }
          throw new Error('too many conflicts');
        };
        for (let i = 0; i < commands.length; i++) {
          const c = commands[i]!;
          const next = commands[i + 1];
          if (c.concurrent && next !== undefined) {
            await Promise.all([runOne(c), runOne(next)]);
            i += 1;
          } else {
            await runOne(c);
          }
        }
        for (const id of ids) {
          const row = await loadOutside(id);
          const stream = await store.readStream(id);
          const folded = stream
            .map((e) => fromStored(e.payload, e.type))
            .reduce(evolve, counters.initialState());
          expect(row).toEqual({ state: folded, version: stream.length });
        }
      }),
      { numRuns: 12 },
    );
  });
});
