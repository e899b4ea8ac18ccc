import { type DataStepOperation, defineMigration } from '@pet-ops/migrations';
import { describe, expect, test } from 'vitest';
import { logicalChecksums } from './checksum.js';
import { compiledStep as step } from './contract/compile-data-step-contract.test.js';

describe('checksum of a data step', () => {
  test('given two data steps differing in name or description, when checksummed, then the checksums differ', () => {
    const m = (op: DataStepOperation) =>
      logicalChecksums(defineMigration({ id: '2026_12_06_0001_x', name: 'x', operations: [op] })).checksum;
    expect(m(step)).not.toBe(m({ ...step, step: 'other_rows' }));
    expect(m(step)).not.toBe(m({ ...step, description: 'another description' }));
    expect(m(step)).toBe(m({ ...step }));
  });
});
