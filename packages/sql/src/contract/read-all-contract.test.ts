/**
 * How the generic event store's `readAll` (`createEventStore`) behaves as an iterator, written once and run
 * against every database whose dialect reads it in keyset pages (not a test file itself: each adapter's
 * `*.int.test.ts` calls {@link describeReadAllContract}): options refused when called, stopping mid-page,
 * limits at and around a page's end, calls made before the last one settled, and a page that fails after
 * the first.
 */
import { isPetError, type PetError, type StoredEvent } from '@pet-ops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEventStore } from '../event-store/event-store.js';
import { draft, newId } from './event-store-contract.test.js';

/** One database under test. */
export interface ReadAllTarget {
  /** The generic store on a fresh, migrated database. */
  readonly store: SqlEventStore;
  /** Runs one raw SQL statement on the same database. */
  readonly exec: (statement: string) => Promise<void>;
  /** Statements that rename the events table away (so reads of it fail) and back. */
  readonly hideEvents: string;
  readonly restoreEvents: string;
  readonly close: () => Promise<void>;
}

/** Rows per page of `readAll` where a query is a round trip; synchronous drivers read pages of 100. */
const PAGE = 1000;

async function collect(events: AsyncIterable<StoredEvent>): Promise<bigint[]> {
  const out: bigint[] = [];
  for await (const e of events) out.push(e.position);
  return out;
}

/**
 * Declares the read-all iterator tests for one database.
 *
 * @example
 * ```ts
 * describeReadAllContract('sqlite', async () => ({ store, exec, hideEvents, restoreEvents, close }));
 * ```
 */
export function describeReadAllContract(name: string, open: () => Promise<ReadAllTarget>): void {
  describe(`event store readAll iterator (${name})`, () => {
    let t: ReadAllTarget;
    /** The position before the events appended in `beforeAll`, and theirs. */
    let checkpoint: bigint;
    let positions: readonly bigint[];

    beforeAll(async () => {
      t = await open();
      const appended = await t.store.append(
        newId(),
        'no_stream',
        Array.from({ length: 2 * PAGE + 500 }, (_, i) => draft({ payload: { i } })),
      );
      positions = appended.positions;
      checkpoint = (positions[0] ?? 1n) - 1n;
    });
    afterAll(async () => {
      await t.close();
    });

    it('given bad options, when readAll is called, then it throws VALIDATION_FAILED at once, before anything is read', () => {
      for (const bad of [{ after: -1n }, { limit: 1.5 }, { limit: -1 }]) {
        let thrown: unknown;
        try {
          t.store.readAll(bad);
        } catch (e) {
          thrown = e;
        }
        expect(isPetError(thrown) && thrown.code).toBe('VALIDATION_FAILED');
      }
    });

    it('given limits at and around a page end, when reading, then exactly that many come, in order', async () => {
      for (const limit of [0, 1, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE + 499]) {
        expect(await collect(t.store.readAll({ after: checkpoint, limit }))).toEqual(
          positions.slice(0, limit),
        );
      }
      // Starting inside the appended events: page ends fall elsewhere.
      const from = positions[17] ?? 0n;
      expect(await collect(t.store.readAll({ after: from, limit: 1234 }))).toEqual(
        positions.slice(18, 18 + 1234),
      );
      expect(await collect(t.store.readAll({ after: positions.at(-1) ?? 0n }))).toEqual([]);
    });

    it('given a reader that stops mid-page (break, or return() called), then the read is over and nothing is held: an append and a new read go through', async () => {
      let seen = 0;
      for await (const _ of t.store.readAll({ after: checkpoint })) {
        seen += 1;
        if (seen === 10) break;
      }
      expect(seen).toBe(10);

      const read = t.store.readAll({ after: checkpoint })[Symbol.asyncIterator]();
      const first = await read.next();
      expect(first.done === false && first.value.position).toBe(positions[0]);
      for (let i = 1; i < PAGE + 3; i++) await read.next(); // into the second page
      expect(await read.return?.()).toEqual({ done: true, value: undefined });
      expect(await read.next()).toEqual({ done: true, value: undefined });

      const more = await t.store.append(newId(), 'no_stream', [draft()]);
      const all = await collect(t.store.readAll({ after: checkpoint }));
      expect(all.slice(0, positions.length)).toEqual(positions);
      expect(all).toContain(more.positions[0]);
    });

    it('given next() called again before the last call settled, then the values still come in order, each once, then done', async () => {
      const limit = PAGE + 200;
      const read = t.store.readAll({ after: checkpoint, limit })[Symbol.asyncIterator]();
      const results = await Promise.all(Array.from({ length: limit + 3 }, () => read.next()));
      expect(results.slice(0, limit).map((r) => (r.done === false ? r.value.position : null))).toEqual(
        positions.slice(0, limit),
      );
      expect(results.slice(limit)).toEqual(Array(3).fill({ done: true, value: undefined }));
    });

    it('given a page that fails after the first, when reading, then the events before it come in order and the failure is typed (readAll), and the read is over', async () => {
      const read = t.store.readAll({ after: checkpoint })[Symbol.asyncIterator]();
      const seen: bigint[] = [];
      let failure: unknown;
      try {
        for (;;) {
          const r = await read.next();
          if (r.done === true) break;
          seen.push(r.value.position);
          // A whole number of pages is in hand: every page asked for from now on fails.
          if (seen.length === PAGE) await t.exec(t.hideEvents);
        }
      } catch (e) {
        failure = e;
      } finally {
        await t.exec(t.restoreEvents);
      }
      expect(isPetError(failure)).toBe(true);
      expect((failure as PetError).details).toMatchObject({ operation: 'readAll' });
      // A page read ahead before the rename may still come; the pages after it cannot.
      expect(seen.length).toBeGreaterThanOrEqual(PAGE);
      expect(seen.length).toBeLessThan(positions.length);
      expect(seen).toEqual(positions.slice(0, seen.length));
      expect(await read.next()).toEqual({ done: true, value: undefined });
      expect((await collect(t.store.readAll({ after: checkpoint }))).slice(0, positions.length)).toEqual(
        positions,
      );
    });
  });
}
