// Issue 28: every public @example's fenced code compiles against the real API (scripts/check-examples.ts).
import { describe, expect, test } from 'vitest';
import { checkExamples } from './check-examples.js';

describe('@example blocks', () => {
  test('every fenced @example of every package compiles, and a broken one is caught', () => {
    const broken = [
      { pkg: 'sql', symbol: 'broken.renamed', at: 'test:1', code: 'createKpiRunnr({ db, dialect });' },
      { pkg: 'core', symbol: 'broken.shape', at: 'test:2', code: 'const r = ok(1);\nr.value.toUpperCase();' },
      {
        pkg: 'sql',
        symbol: 'broken.option',
        at: 'test:3',
        code: "await migrate(db, dialect, { prefx: 'p_' });",
      },
    ];
    const { total, failures } = checkExamples(broken);
    expect(total).toBeGreaterThan(450);
    expect(failures.filter((f) => !f.startsWith('test:'))).toEqual([]);
    expect(failures.map((f) => f.slice(0, 6))).toEqual(['test:1', 'test:2', 'test:3']);
  }, 120_000);
});
