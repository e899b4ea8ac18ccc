/**
 * Migration `2026_12_06_1001_widen_lead_state` on every engine and database (not a test file itself: each
 * adapter's `lead-converted-state.int.test.ts` calls {@link describeLeadConvertedStateContract}): leads
 * written before it (a converted lead as `qualified` with `converted_at`) are migrated; the converted one
 * becomes `converted`, the others keep their state, versions stay, and the step run again changes nothing.
 */
import { migrations } from '@pet-ops/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDataStep } from '../data-steps.js';
import type { DataStepTarget } from './data-step-contract.test.js';

const BEFORE = '2026_12_06_0965_move_schema_versions_to_rows';
const WIDEN = '2026_12_06_1001_widen_lead_state';
const AT = '2026-03-04T05:06:07.123456Z';
const ids = [1, 2, 3, 4].map((n) => `0190f5c4-0000-7000-8000-00000000000${n}`);

/**
 * Declares the migration's tests for one engine and database (the target's `migrate` runs PET's list).
 *
 * @example `describeLeadConvertedStateContract('sqlite', async () => seamDataStepTarget(db, dialect, 'lc_', close))`
 */
export function describeLeadConvertedStateContract(name: string, open: () => Promise<DataStepTarget>): void {
  describe(`migration ${WIDEN} (${name})`, () => {
    let t: DataStepTarget;
    beforeAll(async () => {
      t = await open();
      await t.migrate(migrations, BEFORE);
      const c = t.dialect.codecs;
      const lead = (n: number, state: string, convertedAt: string | null) => ({
        id: c.encodeId(ids[n] as string),
        version: n + 2,
        state,
        source: 'web',
        subject: `lead ${n}`,
        malleable_data: c.encodeJson({}),
        converted_at: convertedAt === null ? null : c.encodeInstant(convertedAt),
      });
      await t.db
        .insertInto(`${t.prefix}leads`)
        .values([
          lead(0, 'qualified', AT),
          lead(1, 'qualified', null),
          lead(2, 'archived', AT),
          lead(3, 'created', null),
        ])
        .execute();
    }, 300_000);
    afterAll(async () => {
      await t?.close();
    });

    const states = async (): Promise<unknown[]> =>
      (
        await t.db
          .selectFrom(`${t.prefix}leads`)
          .select(['id', 'state', 'version'])
          .orderBy('subject')
          .execute()
      ).map((r) => [t.dialect.codecs.decodeId(r.id), r.state, Number(r.version)]);

    it('given leads written before it, when migrated, then the converted one is converted and the others keep their state and versions', async () => {
      const r = await t.migrate(migrations, WIDEN);
      expect(r.applied).toEqual([WIDEN]);
      expect(r.dataSteps).toEqual([{ migrationId: WIDEN, step: 'lead_converted_state', rows: 1 }]);
      expect(await states()).toEqual([
        [ids[0], 'converted', 2],
        [ids[1], 'qualified', 3],
        [ids[2], 'archived', 4],
        [ids[3], 'created', 5],
      ]);
      expect(await t.verify(migrations.slice(0, migrations.findIndex((m) => m.id === WIDEN) + 1))).toEqual(
        [],
      );
    });

    it('given the migrated leads, when the step runs again, then it changes nothing', async () => {
      const before = await states();
      expect(
        await runDataStep('lead_converted_state', { db: t.db, dialect: t.dialect, prefix: t.prefix }),
      ).toEqual({ rows: 0 });
      expect(await states()).toEqual(before);
    });
  });
}
