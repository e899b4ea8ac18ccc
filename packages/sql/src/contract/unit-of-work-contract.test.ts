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
 * describeUnitOfWorkContract('sqlite', async () => sqliteUnitOfWorkTarget());
 * ```
 */
export function describeUnitOfWorkContract(name: string, open: () => Promise<UnitOfWorkTarget>): void {
  describe(`unit of work contract (${name})`, () => {
    let t: UnitOfWorkTarget;
    beforeAll(async () => {
      t = await open();
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

    it('given a save of more events than one INSERT carries whose last one is refused, when the work catches it, then none of its events remain', async () => {
      const [a, b] = [newId(), newId()];
      const sa = employee(a, `${a}@example.com`);
      const sb = employee(b, `${b}@example.com`);
      const taken = created(sa);
      // 600 events: two INSERT chunks; the last reuses an event id of another stream.
      const many = [
        ...Array.from({ length: 599 }, () => ({ ...created(sb), eventId: newId() })),
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
  });
}
