// Not a test file: the compile check every seam dialect shares for a data step — one comment marker that
// names the step and its description, whatever the prefix (the checksum then covers both).
import type { DataStepOperation } from '@pet-ops/migrations';
import { describe, expect, test } from 'vitest';

/** A data step as the compile tests use it. */
export const compiledStep: DataStepOperation = {
  op: 'dataStep',
  step: 'quote_content_rows',
  description: 'quote versions move from JSON to rows',
};

/** Registers the shared compile test of a data step for one dialect's compiler. */
export function describeDataStepCompile(
  name: string,
  compile: (op: DataStepOperation, prefix: string) => readonly string[],
): void {
  describe(`compiling a data step (${name})`, () => {
    test('given a data step, when compiled, then it is one marker naming the step and description, whatever the prefix', () => {
      const marker = '-- data step quote_content_rows: quote versions move from JSON to rows';
      expect(compile(compiledStep, 'pet_')).toEqual([marker]);
      expect(compile(compiledStep, '')).toEqual([marker]);
    });
  });
}
