import { isPetError } from '@pet-ops/core';
import { defineMigration } from '@pet-ops/migrations';
import { describe, expect, test } from 'vitest';
import {
  assertDataStepsRegistered,
  type DataStepContext,
  dataStep,
  missingDataSteps,
  registerDataStep,
  runDataStep,
} from './data-steps.js';

const context = {} as DataStepContext;
const migration = (id: string, ...steps: string[]) =>
  defineMigration({
    id,
    name: id,
    operations: steps.map((step) => ({ op: 'dataStep', step, description: `runs ${step}` })),
  });

describe('the data-step registry', () => {
  test('given a registered step, when looked up and run, then it is found and reports its rows', async () => {
    registerDataStep({ name: 'unit_found', description: 'd', run: async () => ({ rows: 3 }) });
    expect(dataStep('unit_found')?.description).toBe('d');
    await expect(runDataStep('unit_found', context)).resolves.toEqual({ rows: 3 });
  });

  test('given a registered name, when registered again, then it is refused', () => {
    registerDataStep({ name: 'unit_twice', description: 'd', run: async () => ({ rows: 0 }) });
    expect(() =>
      registerDataStep({ name: 'unit_twice', description: 'd', run: async () => ({ rows: 0 }) }),
    ).toThrow(/already registered/);
  });

  test.each([
    [{ name: 'Bad-Name', description: 'd', run: async () => ({ rows: 0 }) }, 'name'],
    [{ name: 'unit_no_description', description: '', run: async () => ({ rows: 0 }) }, 'description'],
    [{ name: 'unit_no_run', description: 'd' }, 'run'],
  ])(
    'given a malformed step (%#), when registered, then VALIDATION_FAILED names the field',
    (step, field) => {
      try {
        registerDataStep(step as never);
        expect.unreachable();
      } catch (e) {
        expect(isPetError(e, 'VALIDATION_FAILED')).toBe(true);
        expect((e as { issues: { field: string }[] }).issues.map((i) => i.field)).toContain(field);
      }
    },
  );

  test('given an unknown name, when looked up or run, then undefined and a typed MIGRATION_FAILED', async () => {
    expect(dataStep('unit_nobody')).toBeUndefined();
    await expect(runDataStep('unit_nobody', context)).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      details: { reason: 'unknown_data_step', step: 'unit_nobody' },
    });
  });

  test('given a step resolving without a row count, when run, then MIGRATION_FAILED', async () => {
    registerDataStep({ name: 'unit_no_rows', description: 'd', run: async () => ({}) as never });
    await expect(runDataStep('unit_no_rows', context)).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
  });

  test('given migrations naming unregistered steps, when checked, then each is listed and the first is thrown', () => {
    registerDataStep({ name: 'unit_known', description: 'd', run: async () => ({ rows: 0 }) });
    const list = [
      migration('2026_12_06_0001_a', 'unit_known'),
      migration('2026_12_06_0002_b', 'unit_known', 'unit_missing'),
    ];
    expect(missingDataSteps(list)).toEqual([
      { migrationId: '2026_12_06_0002_b', statement: 2, step: 'unit_missing' },
    ]);
    expect(() => assertDataStepsRegistered(list, 'migrate')).toThrow(
      /migration 2026_12_06_0002_b runs data step unit_missing \(statement 2\), which is not registered/,
    );
    expect(() => assertDataStepsRegistered(list.slice(0, 1), 'migrate')).not.toThrow();
  });
});
