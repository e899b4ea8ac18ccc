import { type DataStepOperation, defineMigration } from '@pet-ops/migrations';
import { describe, expect, test } from 'vitest';
import { compileList, legacyChecksums } from './checksum.js';
import { compileOperation } from './dialect.js';

const step: DataStepOperation = {
  op: 'dataStep',
  step: 'quote_content_rows',
  description: 'quote versions move from JSON to rows',
};

describe('compiling a data step (MySQL/MariaDB)', () => {
  test('given a data step, when compiled, then it is one marker with a data-step probe, whatever the prefix', () => {
    const marker = '-- data step quote_content_rows: quote versions move from JSON to rows';
    expect(compileOperation(step, 'wp_pet_')).toEqual({
      sql: marker,
      probe: { kind: 'dataStep', step: 'quote_content_rows' },
    });
    expect(compileOperation(step, '').sql).toBe(marker);
  });

  test('given a migration with a data step, when compiled as a list, then it is one step with its own checksum', () => {
    const m = defineMigration({ id: '2026_12_06_0001_x', name: 'x', operations: [step] });
    const [compiled] = compileList([m], 'p_');
    expect(compiled?.statements).toEqual([compileOperation(step, 'p_').sql]);
    expect(compiled?.stepChecksums).toHaveLength(1);
    const renamed = compileList([{ ...m, operations: [{ ...step, step: 'other_rows' }] }], 'p_')[0];
    expect(renamed?.checksum).not.toBe(compiled?.checksum);
    expect(legacyChecksums(m).stepChecksums).toHaveLength(1);
  });
});
