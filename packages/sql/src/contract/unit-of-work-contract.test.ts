/**
 * The unit of work's contract, written once and run against every database that serves the generic unit of
 * work (not a test file itself: each adapter's `*.int.test.ts` calls {@link describeUnitOfWorkContract}).
 */
import type { EventDraft, Identity, PetError, UnitOfWork, Uuid } from '@pet-ops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEventStore } from '../event-store/event-store.js';
import { aggregateOf } from '../state-table.js';
import { employeesTable } from '../tables/identity.js';
import { caught, draft, newId } from './event-store-contract.test.js';

/** One database under test, migrated, with two units of work on separate connections. */
export interface UnitOfWorkTarget {
  readonly uow: UnitOfWork;
  readonly secondUow: UnitOfWork;
  readonly events: SqlEventStore;
  /** The employees row of `id` as stored (column → value), or undefined. */
  readonly row: (id: Uuid) => Promise<Record<string, unknown> | undefined>;
  /**
   * True when two write transactions can be open at once (MariaDB, PostgreSQL); false when the database
   * serialises writers (SQLite's `BEGIN IMMEDIATE`), so a test may not hold one unit open waiting for another.
   */
  readonly concurrentWriters: boolean;
  readonly close: () => Promise<void>;
}

const employees = aggregateOf(employeesTable);

type Active = Extract<Identity.EmployeeState, { status: 'active' }>;

function employee(id: Uuid, email: string): Active {
  return {
    status: 'active',
    employeeId: String(id) as Identity.EmployeeId,
    firstName: 'Ada',
    lastName: "O'Neil 🦄",
    email,
    hostUserId: null,
    managerId: null,
    hireDate: '2026-01-05' as Identity.IsoDate,
  };
}

const created = (state: Identity.EmployeeState): EventDraft =>
  draft({ type: 'employee.created', streamType: 'employee', payload: state });

/**
 * Declares the unit of work's contract tests for one database.
 *
 * @example
 * ```ts
 * describeUnitOfWorkContract('sqlite', async (appendEvents) => sqliteUnitOfWorkTarget(appendEvents));
 * ```
 */
export function describeUnitOfWorkContract(
  name: string,
  open: (appendEvents: AppendEvents) => Promise<UnitOfWorkTarget>,
): void {
  for (const mode of ['with-each-save', 'at-commit'] as const) describeFor(name, mode, open);
}

type AppendEvents = 'with-each-save' | 'at-commit';

function describeFor(
  name: string,
  mode: AppendEvents,
  open: (appendEvents: AppendEvents) => Promise<UnitOfWorkTarget>,
): void {
  describe(`unit of work contract (${name}, events ${mode})`, () => {
    let t: UnitOfWorkTarget;
    beforeAll(async () => {
      t = await open(mode);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('given no row, when loading, then the initial state at version 0; when saving with events, then the row and its events land together and read back', async () => {
      const id = newId();
      const state = employee(id, `${id}@example.com`);
      const loaded = await t.uow.run((s) => s.aggregate(employees).load(id));
      expect(loaded).toEqual({ state: { status: 'absent' }, version: 0 });
      const result = await t.uow.run((s) => s.aggregate(employees).save(id, 0, state, [created(state)]));
      expect(result).toMatchObject({ streamId: id, nextExpectedVersion: 1, duplicate: false });
      expect(await t.uow.run((s) => s.aggregate(employees).load(id))).toEqual({ state, version: 1 });
      expect(await t.row(id)).toMatchObject({ state: 'active', email: `${id}@example.com`, version: 1 });
      expect((await t.events.readStream(id)).map((e) => e.type)).toEqual(['employee.created']);
    });

    it('given a row at version 1, when saving at a stale version, then CONCURRENCY_CONFLICT with the numbers and nothing changes', async () => {
      const id = newId();
      const state = employee(id, `${id}@example.com`);
      await t.uow.run((s) => s.aggregate(employees).save(id, 0, state, [created(state)]));
      const changed = { ...state, firstName: 'Grace' };
      const e = await caught(
        t.uow.run((s) => s.aggregate(employees).save(id, 0, changed, [created(changed)])),
      );
      expect(e).toMatchObject({ code: 'CONCURRENCY_CONFLICT', retryable: true });
      expect(e.details).toMatchObject({ streamId: id, expected: 0, actual: 1 });
      expect(await t.row(id)).toMatchObject({ first_name: 'Ada', version: 1 });
      expect(await t.events.readStream(id)).toHaveLength(1);
    });

    it('given work that catches a failed save and goes on, then that save left nothing and the rest commits', async () => {
      const [a, b] = [newId(), newId()];
      const sa = employee(a, `${a}@example.com`);
      const sb = employee(b, `${a}@example.com`); // same e-mail: a unique key of the table
      const outcome = await t.uow.run(async (s) => {
        await s.aggregate(employees).save(a, 0, sa, [created(sa)]);
        const failed = await caught(s.aggregate(employees).save(b, 0, sb, [created(sb)]));
        return failed.code;
      });
      expect(outcome).toBe('DUPLICATE_KEY');
      expect(await t.row(a)).toMatchObject({ version: 1 });
      expect(await t.row(b)).toBeUndefined();
      expect(await t.events.readStream(b)).toEqual([]);
    });

    if (mode === 'with-each-save')
      it('given a save whose row is written but whose events are refused, when the work catches it, then the row is undone too', async () => {
        const [a, b] = [newId(), newId()];
        const sa = employee(a, `${a}@example.com`);
        const sb = employee(b, `${b}@example.com`);
        const event = created(sa);
        const outcome = await t.uow.run(async (s) => {
          await s.aggregate(employees).save(a, 0, sa, [event]);
          // The same event id in another stream: the row insert succeeds, the append is refused.
          return (await caught(s.aggregate(employees).save(b, 0, sb, [{ ...event, payload: sb }]))).code;
        });
        expect(outcome).toBe('IDEMPOTENCY_MISMATCH');
        expect(await t.row(a)).toMatchObject({ version: 1 });
        expect(await t.row(b)).toBeUndefined();
      });

    if (mode === 'with-each-save')
      it('given a save of more events than one INSERT carries whose last one is refused, when the work catches it, then none of its events remain', async () => {
        const [a, b] = [newId(), newId()];
        const sa = employee(a, `${a}@example.com`);
        const sb = employee(b, `${b}@example.com`);
        const taken = created(sa);
        // 1100 events: two INSERT chunks (1000 rows each); the last reuses an event id of another stream.
        const many = [
          ...Array.from({ length: 1099 }, () => ({ ...created(sb), eventId: newId() })),
          { ...taken, payload: sb },
        ];
        const outcome = await t.uow.run(async (s) => {
          await s.aggregate(employees).save(a, 0, sa, [taken]);
          return (await caught(s.aggregate(employees).save(b, 0, sb, many))).code;
        });
        expect(outcome).toBe('IDEMPOTENCY_MISMATCH');
        expect(await t.row(b)).toBeUndefined();
        expect(await t.events.readStream(b)).toEqual([]);
        expect(await t.events.readStream(a)).toHaveLength(1);
      });

    if (mode === 'at-commit') {
      it('given saves whose events collide when the unit commits (an event id reused by another stream of the unit, in the second INSERT chunk), then the unit fails with a retryable CONCURRENCY_CONFLICT and nothing of it is written', async () => {
        const [a, b] = [newId(), newId()];
        const sa = employee(a, `${a}@example.com`);
        const sb = employee(b, `${b}@example.com`);
        const taken = created(sa);
        const many = [
          ...Array.from({ length: 1099 }, () => ({ ...created(sb), eventId: newId() })),
          { ...taken, payload: sb },
        ];
        const e = await caught(
          t.uow.run(async (s) => {
            await s.aggregate(employees).save(a, 0, sa, [taken]);
            const saved = await s.aggregate(employees).save(b, 0, sb, many);
            // The rows are written; the events wait for the commit, and so do their positions.
            expect(saved).toMatchObject({ nextExpectedVersion: 1100, positions: [], duplicate: false });
            return saved;
          }),
        );
        expect(e).toMatchObject({ code: 'CONCURRENCY_CONFLICT', retryable: true });
        for (const id of [a, b]) {
          expect(await t.row(id)).toBeUndefined();
          expect(await t.events.readStream(id)).toEqual([]);
        }
      });

      it('given a saved aggregate, when the same events are saved again, then the unit fails at commit with a retryable CONCURRENCY_CONFLICT and the row is unchanged', async () => {
        const id = newId();
        const state = employee(id, `${id}@example.com`);
        const event = created(state);
        await t.uow.run((s) => s.aggregate(employees).save(id, 0, state, [event]));
        const e = await caught(
          t.uow.run((s) => s.aggregate(employees).save(id, 1, { ...state, firstName: 'Changed' }, [event])),
        );
        expect(e).toMatchObject({ code: 'CONCURRENCY_CONFLICT', retryable: true });
        expect(await t.row(id)).toMatchObject({ first_name: 'Ada', version: 1 });
        expect(await t.events.readStream(id)).toHaveLength(1);
      });

      it('given a batch refused on its rows (a stale version, a unique key taken), when the work catches it, then that item is named at once and nothing of the batch is written; a batch whose events collide fails the unit at commit', async () => {
        const [taken] = batch(1) as [ReturnType<typeof batch>[number]];
        await t.uow.run((s) => s.aggregate(employees).save(taken.id, 0, taken.state, taken.events));
        const { stale, sameEmail } = refusedOnRows(taken);
        const other = batch(1)[0] as ReturnType<typeof batch>[number];
        const codes = await t.uow.run(async (s) => {
          const out: [string, unknown][] = [];
          for (const items of [stale, sameEmail]) {
            const e = await caught(Promise.resolve(s.aggregate(employees).saveMany?.(items)));
            out.push([e.code, e.details?.['streamId']]);
          }
          await s.aggregate(employees).save(other.id, 0, other.state, other.events);
          return out;
        });
        expect(codes).toEqual([
          ['CONCURRENCY_CONFLICT', taken.id],
          ['DUPLICATE_KEY', undefined],
        ]);
        const reused = reusingEventOf(taken);
        const e = await caught(t.uow.run(async (s) => s.aggregate(employees).saveMany?.(reused)));
        expect(e).toMatchObject({ code: 'CONCURRENCY_CONFLICT', retryable: true });
        for (const items of [stale, sameEmail, reused])
          for (const i of items) {
            if (i.id === taken.id) continue;
            expect(await t.row(i.id)).toBeUndefined();
            expect(await t.events.readStream(i.id)).toEqual([]);
          }
        expect(await t.row(taken.id)).toMatchObject({ first_name: 'Ada', version: 1 });
        expect(await t.row(other.id)).toMatchObject({ version: 1 });
        expect(await t.events.readStream(other.id)).toHaveLength(1);
      });

      it('given a unit saving a, then b, then a again, and appending to a stream without a row, then every event is written at commit in call order and each save reports its positions afterwards', async () => {
        const [a, b, c] = [newId(), newId(), newId()];
        const sa = employee(a, `${a}@example.com`);
        const sb = employee(b, `${b}@example.com`);
        const renamed = { ...sa, firstName: 'Grace' };
        const update = draft({
          type: 'employee.updated',
          streamType: 'employee',
          payload: { changes: { firstName: 'Grace' } },
        });
        const results = await t.uow.run(async (s) => {
          const store = s.aggregate(employees);
          const first = await store.save(a, 0, sa, [created(sa)]);
          const second = await store.save(b, 0, sb, [created(sb)]);
          const third = await store.save(a, 1, renamed, [update]);
          const appended = await s.append(c, 0, [draft()]);
          return [first, second, third, appended];
        });
        const positions = results.map((r) => r.positions);
        for (const p of positions) expect(p).toHaveLength(1);
        const flat = positions.map((p) => p[0] as bigint);
        expect([...flat].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))).toEqual(flat);
        expect(results.map((r) => r.nextExpectedVersion)).toEqual([1, 1, 2, 1]);
        expect((await t.events.readStream(a)).map((e) => [e.streamVersion, e.position])).toEqual([
          [1, flat[0]],
          [2, flat[2]],
        ]);
        expect(await t.row(a)).toMatchObject({ first_name: 'Grace', version: 2 });
      });
    }

    it('given work that throws after saving, then every row and event of the unit is rolled back', async () => {
      const id = newId();
      const state = employee(id, `${id}@example.com`);
      await expect(
        t.uow.run(async (s) => {
          await s.aggregate(employees).save(id, 0, state, [created(state)]);
          throw new Error('the host changed its mind');
        }),
      ).rejects.toThrow('the host changed its mind');
      expect(await t.row(id)).toBeUndefined();
      expect(await t.events.readStream(id)).toEqual([]);
    });

    if (mode === 'with-each-save')
      it('given a saved aggregate, when the same events are saved again, then it is a duplicate and the row is unchanged', async () => {
        const id = newId();
        const state = employee(id, `${id}@example.com`);
        const event = created(state);
        const first = await t.uow.run((s) => s.aggregate(employees).save(id, 0, state, [event]));
        const again = await t.uow.run((s) =>
          s.aggregate(employees).save(id, 1, { ...state, firstName: 'Changed' }, [event]),
        );
        expect(again).toEqual({ ...first, duplicate: true });
        expect(await t.row(id)).toMatchObject({ first_name: 'Ada', version: 1 });
        // Run so that a refusal ends the unit (no savepoint to undo the row alone): the unit fails, retryable
        // (the command handler's retry then finds the stored events), and the row is unchanged.
        const ended = await caught(
          t.uow.run((s) => s.aggregate(employees).save(id, 1, { ...state, firstName: 'Changed' }, [event]), {
            refusalEndsUnit: true,
          }),
        );
        expect(ended).toMatchObject({ code: 'CONCURRENCY_CONFLICT', retryable: true });
        expect(await t.row(id)).toMatchObject({ first_name: 'Ada', version: 1 });
        expect(await t.events.readStream(id)).toHaveLength(1);
      });

    it('given a stream type with no declared table, or a bad id, then VALIDATION_FAILED names the field', async () => {
      const unknown = { ...employees, streamType: 'ghost' };
      expect((await caught(t.uow.run(async (s) => s.aggregate(unknown).load(newId())))).code).toBe(
        'VALIDATION_FAILED',
      );
      const bad = await caught(t.uow.run((s) => s.aggregate(employees).load('nope' as Uuid)));
      expect(bad.code).toBe('VALIDATION_FAILED');
      expect(bad.message).toContain('id');
    });

    it('given a unit run with refusalEndsUnit (the command handler), when its save is refused (a stale version, a unique key taken), then the unit fails typed and nothing of it is written', async () => {
      const [a, b, c] = [newId(), newId(), newId()];
      const sa = employee(a, `${a}@example.com`);
      await t.uow.run((s) => s.aggregate(employees).save(a, 0, sa, [created(sa)]));
      const stale = await caught(
        t.uow.run((s) => s.aggregate(employees).save(a, 0, { ...sa, firstName: 'Grace' }, [created(sa)]), {
          refusalEndsUnit: true,
        }),
      );
      expect(stale).toMatchObject({ code: 'CONCURRENCY_CONFLICT', retryable: true });
      const sb = employee(b, `${a}@example.com`); // the e-mail a holds: a unique key of the table
      const taken = await caught(
        t.uow.run(
          async (s) => {
            await s.append(c, 'no_stream', [{ ...created(sb), eventId: newId() }]);
            return s.aggregate(employees).save(b, 0, sb, [created(sb)]);
          },
          { refusalEndsUnit: true },
        ),
      );
      expect(taken.code).toBe('DUPLICATE_KEY');
      expect(await t.row(a)).toMatchObject({ first_name: 'Ada', version: 1 });
      expect(await t.row(b)).toBeUndefined();
      expect(await t.events.readStream(a)).toHaveLength(1);
      expect(await t.events.readStream(b)).toEqual([]);
      expect(await t.events.readStream(c)).toEqual([]);
    });

    it('given two clients saving the same aggregate at once, then exactly one wins and the other gets CONCURRENCY_CONFLICT', async () => {
      const id = newId();
      const state = employee(id, `${id}@example.com`);
      await t.uow.run((s) => s.aggregate(employees).save(id, 0, state, [created(state)]));
      const edit = (uow: UnitOfWork, name: string) =>
        uow.run(async (s) => {
          const { state: current, version } = await s.aggregate(employees).load(id);
          const next: Identity.EmployeeState = {
            ...(current as Extract<Identity.EmployeeState, { status: 'active' }>),
            firstName: name,
          };
          return s.aggregate(employees).save(id, version, next, [
            draft({
              type: 'employee.updated',
              streamType: 'employee',
              payload: { changes: { firstName: name } },
            }),
          ]);
        });
      const outcomes = await Promise.allSettled([edit(t.uow, 'One'), edit(t.secondUow, 'Two')]);
      const codes = outcomes
        .map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as PetError).code))
        .sort();
      // A single-writer database serialises the two units, so the second may also see the first's commit.
      expect(codes.filter((c) => c === 'ok').length).toBeGreaterThanOrEqual(1);
      expect(codes.every((c) => c === 'ok' || c === 'CONCURRENCY_CONFLICT')).toBe(true);
      const events = await t.events.readStream(id);
      expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
      expect(await t.row(id)).toMatchObject({ version: events.length });
    });

    it('given two clients each creating a new aggregate, when both have loaded before either saves, then both commit on their first attempt (a load of an absent row locks no gap the other must insert into)', async () => {
      // UUIDv7 ids fall in the last gap of the index: under MySQL's REPEATABLE READ both loads would hold it
      // and both inserts wait for each other (a deadlock, one unit retried); the dialect's READ COMMITTED
      // sessions take no gap lock. A single-writer database cannot hold both units open: they run in turn.
      const ids = [newId(), newId()] as const;
      let arrived = 0;
      let open!: () => void;
      const barrier = new Promise<void>((r) => {
        open = r;
      });
      const create = (uow: UnitOfWork, id: Uuid) =>
        uow.run(async (s) => {
          const loaded = await s.aggregate(employees).load(id);
          expect(loaded.version).toBe(0);
          if (t.concurrentWriters) {
            arrived += 1;
            if (arrived === 2) open();
            await barrier;
          }
          const state = employee(id, `${id}@example.com`);
          return s.aggregate(employees).save(id, 0, state, [created(state)]);
        });
      const outcomes = await Promise.allSettled([create(t.uow, ids[0]), create(t.secondUow, ids[1])]);
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as PetError).code))).toEqual([
        'ok',
        'ok',
      ]);
      expect(arrived).toBe(t.concurrentWriters ? 2 : 0);
      for (const id of ids) expect(await t.row(id)).toMatchObject({ version: 1 });
    });

    type BatchItem = ReturnType<typeof batch>[number];

    /** Two batches of 3 refused on their rows by `taken`: one names it at a stale version, one takes its email. */
    function refusedOnRows(taken: BatchItem): { stale: BatchItem[]; sameEmail: BatchItem[] } {
      const stale = batch(3);
      stale[1] = { ...taken, state: { ...taken.state, firstName: 'Stale' }, events: [created(taken.state)] };
      const sameEmail = batch(3);
      const twin = sameEmail[2] as BatchItem;
      sameEmail[2] = { ...twin, state: { ...twin.state, email: `${taken.id}@example.com` } };
      return { stale, sameEmail };
    }

    /** A batch of 3 whose last item reuses the event id of `taken`'s creation (refused on its events). */
    function reusingEventOf(taken: BatchItem): BatchItem[] {
      const reused = batch(3);
      const last = reused[2] as BatchItem;
      reused[2] = { ...last, events: [{ ...(taken.events[0] as EventDraft), payload: last.state }] };
      return reused;
    }

    /** A batch of `n` new employees: ids, states and each one's creation event. */
    function batch(n: number) {
      return Array.from({ length: n }, () => {
        const id = newId();
        const state = employee(id, `${id}@example.com`);
        return { id, expectedVersion: 0, state, events: [created(state)] };
      });
    }

    it('given several aggregates, when loaded together, then each comes back in the order asked (an absent one at version 0); repeated ids are VALIDATION_FAILED', async () => {
      const [a, b] = batch(2) as [ReturnType<typeof batch>[number], ReturnType<typeof batch>[number]];
      await t.uow.run((s) => s.aggregate(employees).save(a.id, 0, a.state, a.events));
      await t.uow.run((s) => s.aggregate(employees).save(b.id, 0, b.state, b.events));
      const absent = newId();
      const loaded = await t.uow.run(async (s) => s.aggregate(employees).loadMany?.([b.id, absent, a.id]));
      expect(loaded).toEqual([
        { state: b.state, version: 1 },
        { state: { status: 'absent' }, version: 0 },
        { state: a.state, version: 1 },
      ]);
      const repeated = await caught(t.uow.run(async (s) => s.aggregate(employees).loadMany?.([a.id, a.id])));
      expect(repeated).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(repeated.message).toContain('ids.1');
    });

    it('given 1100 new aggregates (more than one INSERT carries), when saved together, then every row and every event lands, each stream at version 1, positions in batch order', async () => {
      const items = batch(1100);
      const results = await t.uow.run(async (s) => s.aggregate(employees).saveMany?.(items));
      expect(results?.map((r) => [r.streamId, r.nextExpectedVersion, r.duplicate])).toEqual(
        items.map((i) => [i.id, 1, false]),
      );
      const positions = (results ?? []).flatMap((r) => r.positions);
      expect(positions).toEqual([...positions].sort((x, y) => (x < y ? -1 : 1)));
      expect(new Set(positions).size).toBe(1100);
      for (const i of [items[0], items[499], items[500], items[999], items[1000], items[1099]]) {
        expect(await t.row(i?.id as Uuid)).toMatchObject({ email: `${i?.id}@example.com`, version: 1 });
        expect((await t.events.readStream(i?.id as Uuid)).map((e) => e.streamVersion)).toEqual([1]);
      }
    });

    if (mode === 'with-each-save')
      it('given a batch with one item refused (a stale version, a unique key taken, an event id of another stream), when the work catches it, then that item is named and nothing of the batch is written; the rest of the unit commits', async () => {
        const [taken] = batch(1) as [ReturnType<typeof batch>[number]];
        await t.uow.run((s) => s.aggregate(employees).save(taken.id, 0, taken.state, taken.events));
        const { stale, sameEmail } = refusedOnRows(taken);
        const reused = reusingEventOf(taken);
        const other = batch(1)[0] as ReturnType<typeof batch>[number];
        const codes = await t.uow.run(async (s) => {
          const out: [string, unknown][] = [];
          for (const items of [stale, sameEmail, reused]) {
            const e = await caught(Promise.resolve(s.aggregate(employees).saveMany?.(items)));
            out.push([e.code, e.details?.['streamId']]);
          }
          await s.aggregate(employees).save(other.id, 0, other.state, other.events);
          return out;
        });
        expect(codes).toEqual([
          ['CONCURRENCY_CONFLICT', taken.id],
          ['DUPLICATE_KEY', undefined],
          ['IDEMPOTENCY_MISMATCH', expect.anything()],
        ]);
        for (const items of [stale, sameEmail, reused])
          for (const i of items) {
            if (i.id === taken.id) continue;
            expect(await t.row(i.id)).toBeUndefined();
            expect(await t.events.readStream(i.id)).toEqual([]);
          }
        expect(await t.row(taken.id)).toMatchObject({ first_name: 'Ada', version: 1 });
        expect(await t.row(other.id)).toMatchObject({ version: 1 });
      });

    if (mode === 'with-each-save')
      it('given a batch already saved, when the same events are saved together again, then each is reported a duplicate and the rows are unchanged', async () => {
        const items = batch(3);
        const first = await t.uow.run(async (s) => s.aggregate(employees).saveMany?.(items));
        const again = await t.uow.run(async (s) =>
          s
            .aggregate(employees)
            .saveMany?.(
              items.map((i) => ({ ...i, expectedVersion: 1, state: { ...i.state, firstName: 'Changed' } })),
            ),
        );
        expect(again).toEqual(first?.map((r) => ({ ...r, duplicate: true })));
        for (const i of items) expect(await t.row(i.id)).toMatchObject({ first_name: 'Ada', version: 1 });
      });

    it('given streams appended to together, when one expected version is stale, then CONCURRENCY_CONFLICT names it and none of them is written', async () => {
      const [a, b] = [newId(), newId()];
      await t.events.append(a, 0, [created(employee(a, 'a@example.com'))]);
      const e = await caught(
        t.events.transaction((trx) =>
          t.events.appendManyIn(trx, [
            { streamId: b, expectedVersion: 0, events: [created(employee(b, 'b@example.com'))] },
            { streamId: a, expectedVersion: 0, events: [created(employee(a, 'a@example.com'))] },
          ]),
        ),
      );
      expect(e).toMatchObject({
        code: 'CONCURRENCY_CONFLICT',
        details: { streamId: a, expected: 0, actual: 1 },
      });
      expect(await t.events.readStream(b)).toEqual([]);
      expect(await t.events.readStream(a)).toHaveLength(1);
    });
  });
}
