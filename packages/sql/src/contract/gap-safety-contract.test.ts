/**
 * The gap-safety contract of the generic event store (`createEventStore`), written once and run against
 * every database (not a test file itself: each adapter's `*.int.test.ts` calls
 * {@link describeGapSafetyContract}). Writers append inside their own transactions, wait a random while
 * before COMMIT and roll back at random, so positions are burnt and, where the database lets writers run at
 * once, commit out of position order; a checkpointed reader follows all along and must see every committed
 * event exactly once, and none of the rolled-back ones.
 */

import { describe, expect, it } from 'vitest';
import type { GapSafety } from '../dialect.js';
import type { SqlEventStore } from '../event-store/event-store.js';
import { draft, newId } from './event-store-contract.test.js';

/** One database under test: two stores on their own connections to one fresh, migrated database. */
export interface GapSafetyTarget {
  readonly stores: readonly [SqlEventStore, SqlEventStore];
  /** The dialect's declared strategy: under `snapshot` writers never wait for one another. */
  readonly gapSafety: GapSafety;
  readonly close: () => Promise<void>;
}

/** A small deterministic generator (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class Rollback extends Error {}

/**
 * Declares the gap-safety contract tests for one database.
 *
 * @example
 * ```ts
 * describeGapSafetyContract('postgres', async () => ({ stores: [a, b], gapSafety: 'snapshot', close }));
 * ```
 */
export function describeGapSafetyContract(name: string, open: () => Promise<GapSafetyTarget>): void {
  describe(`event store gap safety (${name})`, () => {
    it.each([
      ['appending once', 'once'],
      // The unit of work's paths: after a first write (its state row) the append reads no head and claims
      // no transaction id (`rowWritten`): the first write gave the transaction its id.
      ['appending twice, the second as a unit of work does after its row', 'one'],
      // `appendEvents: 'at-commit'`: every stream of the unit in one `appendManyIn` just before COMMIT.
      ['appending twice, the second for several streams at once as a unit of work saves a batch', 'many'],
      // The unit's queued events at COMMIT: a refusal dooms the unit, so the store takes no savepoint.
      [
        'appending twice, the second for several streams at once as a unit of work does at commit',
        'at-commit',
      ],
    ] as const)(
      'given 8 writers %s that wait before COMMIT and roll back at random, when a checkpointed reader follows, then it sees every committed event exactly once and no rolled-back one (0 skipped, 0 duplicated)',
      async (_how, asUnit) => {
        const t = await open();
        try {
          const seed = Date.now() % 100_000;
          const committed: bigint[] = [];
          /** Event ids of rolled-back appends (SQLite hands their positions out again; others burn them). */
          const rolledBack = new Set<string>();
          /** Commit order: each committed transaction's positions, in the order the commits returned. */
          const commits: (readonly bigint[])[] = [];
          let writing = true;
          // The checkpoint is taken before any writer starts: read beside them, it could take in a fast
          // writer's first commit, which the reader below would then never report (seen at CI, seed 22398).
          let checkpoint = 0n;
          for await (const e of t.stores[0].readAll({})) checkpoint = e.position;
          const writers = Promise.all(
            Array.from({ length: 8 }, async (_, w) => {
              const rnd = random(seed * 31 + w);
              const store = t.stores[w % 2] as SqlEventStore;
              for (let i = 0; i < 12; i++) {
                let positions: readonly bigint[] = [];
                const rollback = rnd() < 0.25;
                const batch = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => draft());
                try {
                  await store.transaction(async (trx) => {
                    if (asUnit !== 'once') {
                      const [first, ...rest] = batch;
                      const a = await store.appendIn(
                        trx,
                        newId(),
                        'no_stream',
                        first === undefined ? [] : [first],
                      );
                      // Positions are held a while before the second append takes more.
                      await sleep(Math.floor(rnd() * 4));
                      const options = {
                        callerSavepoint: true,
                        rowWritten: true,
                        failsTransaction: asUnit === 'at-commit',
                      };
                      const b =
                        rest.length === 0
                          ? []
                          : asUnit === 'one'
                            ? (await store.appendIn(trx, newId(), 0, rest, options)).positions
                            : (
                                await store.appendManyIn(
                                  trx,
                                  rest.map((d) => ({ streamId: newId(), expectedVersion: 0, events: [d] })),
                                  options,
                                )
                              ).flatMap((r) => r.positions);
                      positions = [...a.positions, ...b];
                    } else {
                      const r = await store.appendIn(trx, newId(), 'no_stream', batch);
                      positions = r.positions;
                    }
                    // Positions are taken: hold them uncommitted a while, so later ones can commit first.
                    await sleep(Math.floor(rnd() * 12));
                    if (rollback) throw new Rollback();
                  });
                  committed.push(...positions);
                  commits.push(positions);
                } catch (e) {
                  if (!(e instanceof Rollback)) throw e;
                  for (const d of batch) rolledBack.add(d.eventId);
                }
                await sleep(Math.floor(rnd() * 3));
              }
            }),
          ).finally(() => {
            writing = false;
          });
          const seen: bigint[] = [];
          const seenIds: string[] = [];
          const reader = (async () => {
            while (writing) {
              for await (const e of t.stores[0].readAll({ after: checkpoint })) {
                seen.push(e.position);
                seenIds.push(e.eventId);
                checkpoint = e.position;
              }
              await sleep(2);
            }
            for await (const e of t.stores[0].readAll({ after: checkpoint })) {
              seen.push(e.position);
              seenIds.push(e.eventId);
            }
          })();
          await writers;
          await reader;
          const sorted = [...committed].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect({ seed, seen }).toEqual({ seed, seen: sorted });
          expect(new Set(seen).size).toBe(seen.length);
          expect(rolledBack.size).toBeGreaterThan(0);
          expect(seenIds.filter((id) => rolledBack.has(id))).toEqual([]);
          // A transaction's commit returned after one holding higher positions: the race the reader survives.
          let outOfOrder = 0;
          let highest = -1n;
          for (const c of commits) {
            // A transaction's lowest position (bigints: Math.min would throw).
            let low = c[0] ?? 0n;
            for (const p of c) if (p < low) low = p;
            if (low < highest) outOfOrder += 1;
            for (const p of c) if (p > highest) highest = p;
          }
          if (t.gapSafety === 'snapshot') expect(outOfOrder).toBeGreaterThan(0);
          else expect(outOfOrder).toBeGreaterThanOrEqual(0);
        } finally {
          await t.close();
        }
      },
    );
  });
}
