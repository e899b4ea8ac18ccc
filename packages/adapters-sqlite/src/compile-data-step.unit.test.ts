import { type DataStepOperation, defineMigration } from '@pet-ops/migrations';
import { logicalChecksums } from '@pet-ops/sql';
import { describe, expect, test } from 'vitest';
import { compileSqlite } from './compile.js';

const step: DataStepOperation = {
  op: 'dataStep',
  step: 'quote_content_rows',
  description: 'quote versions move from JSON to rows',
};

describe('compiling a data step (sqlite)', () => {
  test('given a data step, when compiled, then it is one marker naming the step and description, whatever the prefix', () => {
    const marker = '-- data step quote_content_rows: quote versions move from JSON to rows';
    expect(compileSqlite(step, 'pet_')).toEqual([marker]);
    expect(compileSqlite(step, '')).toEqual([marker]);
  });

  test('given two data steps differing in name or description, when checksummed, then the checksums differ', () => {
    const m = (op: DataStepOperation) =>
      logicalChecksums(defineMigration({ id: '2026_12_06_0001_x', name: 'x', operations: [op] })).checksum;
    expect(m(step)).not.toBe(m({ ...step, step: 'other_rows' }));
    expect(m(step)).not.toBe(m({ ...step, description: 'another description' }));
    expect(m(step)).toBe(m({ ...step }));
  });
});
