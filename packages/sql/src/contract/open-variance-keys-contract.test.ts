/**
 * Migration `2026_12_06_1005_key_open_variances` on every engine and database (not a test file itself:
 * each adapter's `open-variance-keys.int.test.ts` calls {@link describeOpenVarianceKeysContract}):
 * variances written before it are keyed by their breach while open — of two open rows recording the same
 * breach only the earlier — so the unique key can be added; it then refuses a second open row of a
 * breach, and the step run again changes nothing.
 */
import { isPetError } from '@pet-ops/core';
import { migrations } from '@pet-ops/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDataStep } from '../data-steps.js';
import type { DataStepTarget } from './data-step-contract.test.js';
import { caught } from './event-store-contract.test.js';

const BEFORE = '2026_12_06_1004_grow_only_histories';
const KEY = '2026_12_06_1005_key_open_variances';
const id = (n: number) => `0190f5c4-0000-7000-8000-0000000000${String(n).padStart(2, '0')}`;
const [P1, P2, M1, C1] = [90, 91, 92, 93].map(id) as [string, string, string, string];

/**
 * Declares the migration's tests for one engine and database (the target's `migrate` runs PET's list).
 *
 * @example `describeOpenVarianceKeysContract('sqlite', async () => seamDataStepTarget(db, dialect, 'ov_', close))`
 */
export function describeOpenVarianceKeysContract(name: string, open: () => Promise<DataStepTarget>): void {
  describe(`migration ${KEY} (${name})`, () => {
    let t: DataStepTarget;
    const c = () => t.dialect.codecs;
    const variance = (
      n: number,
      project: string,
      state: 'open' | 'acknowledged',
      milestone: string | null,
      detectedMinute: number,
    ) => ({
      id: c().encodeId(id(n)),
      version: 1,
      project_id: c().encodeId(project),
      constraint_id: c().encodeId(C1),
      baseline_version: 1,
      variance_type: 'planned_over_sold',
      milestone_id: milestone === null ? null : c().encodeId(milestone),
      unit: 'minutes',
      currency: null,
      sold_value: 2400,
      observed_value: 2700,
      delta: 300,
      detected_at: c().encodeInstant(`2026-03-04T05:${String(detectedMinute).padStart(2, '0')}:00.000000Z`),
      state,
    });

    beforeAll(async () => {
      t = await open();
      await t.migrate(migrations, BEFORE);
      await t.db
        .insertInto(`${t.prefix}project_variances`)
        .values([
          variance(1, P1, 'open', null, 20), // the later of two open rows of one breach
          variance(2, P1, 'open', null, 10), // the earlier: keyed
          variance(3, P1, 'acknowledged', null, 5), // not open: no key
          variance(4, P1, 'open', M1, 30), // another breach of P1 (a milestone's)
          variance(5, P2, 'open', null, 40), // the same breach of another project
        ])
        .execute();
    }, 300_000);
    afterAll(async () => {
      await t?.close();
    });

    const keys = async (): Promise<unknown[]> =>
      (
        await t.db
          .selectFrom(`${t.prefix}project_variances`)
          .select(['id', 'open_breach'])
          .orderBy('id')
          .execute()
      ).map((r) => [t.dialect.codecs.decodeId(r.id), r.open_breach]);

    it('given variances written before it, when migrated, then each open breach is keyed once (the earliest of duplicates) and the key refuses a second open row', async () => {
      const r = await t.migrate(migrations, KEY);
      expect(r.applied).toEqual([KEY]);
      expect(r.dataSteps).toEqual([{ migrationId: KEY, step: 'open_variance_breach_keys', rows: 3 }]);
      expect(await keys()).toEqual([
        [id(1), null],
        [id(2), 'planned_over_sold/project/v1'],
        [id(3), null],
        [id(4), `planned_over_sold/${M1}/v1`],
        [id(5), 'planned_over_sold/project/v1'],
      ]);
      expect(await t.verify(migrations.slice(0, migrations.findIndex((m) => m.id === KEY) + 1))).toEqual([]);
      const second = await caught(
        t.db
          .insertInto(`${t.prefix}project_variances`)
          .values({ ...variance(6, P1, 'open', null, 50), open_breach: 'planned_over_sold/project/v1' })
          .execute()
          .catch((e: unknown) => {
            throw isPetError(e) ? e : t.dialect.classifyError(e, 'insert');
          }),
      );
      expect(second.code).toBe('DUPLICATE_KEY');
    });

    it('given the migrated variances, when the step runs again, then it changes nothing', async () => {
      const before = await keys();
      expect(
        await runDataStep('open_variance_breach_keys', { db: t.db, dialect: t.dialect, prefix: t.prefix }),
      ).toEqual({ rows: 0 });
      expect(await keys()).toEqual(before);
    });
  });
}
