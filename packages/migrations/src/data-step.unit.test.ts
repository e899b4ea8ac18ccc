import { describe, expect, test } from 'vitest';
import { defineMigration, validateMigrations } from './migration.js';
import { applyOperation, EMPTY_SCHEMA, expectedSchema } from './model.js';
import { col, type DataStepOperation, dataStepMarker, operationSchema } from './vocabulary.js';

const rulesOf = (op: unknown): string[] => {
  const r = operationSchema.safeParse(op);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

const step: DataStepOperation = {
  op: 'dataStep',
  step: 'quote_content_rows',
  description: 'quote versions move from JSON to rows',
};

describe('dataStep operation', () => {
  test('given a well-formed data step, when parsed, then it is valid', () => {
    expect(rulesOf(step)).toEqual([]);
  });

  test.each([
    [{ step: 'Quote' }, 'step: must match ^[a-z0-9_]+$'],
    [{ step: 'a-b' }, 'step: must match ^[a-z0-9_]+$'],
    [{ step: '' }, 'step:'],
    [{ step: 'x'.repeat(65) }, 'step: must be at most 64 characters'],
    [{ description: '' }, 'description:'],
    [{ description: 'two\nlines' }, 'description: must be one line'],
    [{ description: 'x'.repeat(501) }, 'description:'],
  ])('given a broken data step %o, when parsed, then the field and rule are named', (over, rule) => {
    expect(rulesOf({ ...step, ...over }).some((r) => r.startsWith(rule))).toBe(true);
  });

  test('given a data step, when marked, then the marker names the step and its description on one line', () => {
    expect(dataStepMarker(step)).toBe(
      '-- data step quote_content_rows: quote versions move from JSON to rows',
    );
  });

  test('given a schema, when a data step is applied to the model, then the model is unchanged', () => {
    const model = expectedSchema([
      defineMigration({
        id: '2026_12_06_0001_t',
        name: 't',
        operations: [{ op: 'createTable', table: 't', columns: [col.id('id')], primaryKey: ['id'] }],
      }),
    ]);
    const r = applyOperation(model, step);
    expect(r).toEqual({ ok: true, model });
    expect(applyOperation(EMPTY_SCHEMA, step)).toEqual({ ok: true, model: EMPTY_SCHEMA });
  });

  test('given a migration list with a data step between schema operations, when validated, then it is valid', () => {
    const list = [
      defineMigration({
        id: '2026_12_06_0001_t',
        name: 't',
        operations: [
          { op: 'createTable', table: 't', columns: [col.id('id')], primaryKey: ['id'] },
          step,
          { op: 'addColumn', table: 't', column: col.int('n', { nullable: true }) },
        ],
      }),
    ];
    expect(validateMigrations(list)).toEqual([]);
    expect(expectedSchema(list).tables[0]?.columns.map((c) => c.name)).toEqual(['id', 'n']);
  });
});
