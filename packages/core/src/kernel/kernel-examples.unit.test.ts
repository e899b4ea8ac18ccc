/**
 * Fixed examples of the kernel's small functions at their edges (issue 29: the mutation run over
 * `packages/core/src/kernel` showed which comparisons and messages no test pinned down).
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  basisPoints,
  divideRounded,
  err,
  type Instant,
  instantFromEpochMs,
  isPetError,
  isUuidV7,
  jitteredBackoff,
  minutes,
  ok,
  PetError,
  parseInstant,
  probabilityBpSchema,
  reject,
  toEpochMs,
  ValidationError,
  withRetry,
} from './index.js';
import { checkedDecision, parseInput, toFieldIssues } from './validation.js';

/** The issues of the `ValidationError` that `f` throws (anything else fails the test). */
function issuesOf(f: () => unknown): { field: string; rule: string }[] {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return [...e.issues];
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('instants', () => {
  test('instantFromEpochMs writes six fractional digits, the micros last', () => {
    expect(instantFromEpochMs(0)).toBe('1970-01-01T00:00:00.000000Z');
    expect(instantFromEpochMs(1, 2)).toBe('1970-01-01T00:00:00.001002Z');
    expect(instantFromEpochMs(Date.UTC(2026, 6, 1), 999)).toBe('2026-07-01T00:00:00.000999Z');
    expect(instantFromEpochMs(-1)).toBe('1969-12-31T23:59:59.999000Z');
  });

  test('years 0000 to 9999 are accepted up to their ends, one millisecond beyond is refused (a Date holds more, but no Instant can write it)', () => {
    expect(instantFromEpochMs(253402300799999, 999)).toBe('9999-12-31T23:59:59.999999Z');
    expect(instantFromEpochMs(-62167219200000)).toBe('0000-01-01T00:00:00.000000Z');
    const rule = 'must be an integer from -62167219200000 to 253402300799999 (years 0000 to 9999)';
    expect(issuesOf(() => instantFromEpochMs(253402300799999 + 1))).toEqual([{ field: 'ms', rule }]);
    expect(issuesOf(() => instantFromEpochMs(-62167219200000 - 1))).toEqual([{ field: 'ms', rule }]);
    expect(issuesOf(() => instantFromEpochMs(8.64e15))).toEqual([{ field: 'ms', rule }]);
    expect(issuesOf(() => instantFromEpochMs(0.5))).toEqual([{ field: 'ms', rule }]);
    expect(issuesOf(() => instantFromEpochMs(Number.NaN))).toEqual([{ field: 'ms', rule }]);
  });

  test('micros are 0..999: both ends accepted, one beyond refused', () => {
    expect(instantFromEpochMs(0, 0)).toBe('1970-01-01T00:00:00.000000Z');
    expect(instantFromEpochMs(0, 999)).toBe('1970-01-01T00:00:00.000999Z');
    const rule = [{ field: 'micros', rule: 'must be an integer 0..999' }];
    expect(issuesOf(() => instantFromEpochMs(0, -1))).toEqual(rule);
    expect(issuesOf(() => instantFromEpochMs(0, 1000))).toEqual(rule);
    expect(issuesOf(() => instantFromEpochMs(0, 1.5))).toEqual(rule);
  });

  test('toEpochMs drops the micros and refuses a non-string', () => {
    expect(toEpochMs('2026-07-01T00:00:00.000999Z' as Instant)).toBe(Date.UTC(2026, 6, 1));
    expect(toEpochMs('2026-07-01T00:00:00.001000Z' as Instant)).toBe(Date.UTC(2026, 6, 1) + 1);
    expect(issuesOf(() => toEpochMs(5 as never))).toEqual([
      { field: 'instant', rule: 'must be a string (got number)' },
    ]);
    expect(issuesOf(() => toEpochMs(null as never))).toEqual([
      { field: 'instant', rule: 'must be a string (got null)' },
    ]);
    expect(issuesOf(() => toEpochMs([] as never))).toEqual([
      { field: 'instant', rule: 'must be a string (got array)' },
    ]);
    expect(issuesOf(() => toEpochMs(Number.NaN as never))).toEqual([
      { field: 'instant', rule: 'must be a string (got NaN)' },
    ]);
  });

  test('parseInstant accepts the canonical form and names what it got otherwise', () => {
    expect(parseInstant('2026-07-01T00:00:00.000000Z')).toBe('2026-07-01T00:00:00.000000Z');
    expect(issuesOf(() => parseInstant('2026-07-01T00:00:00Z'))).toEqual([
      {
        field: 'instant',
        rule: 'must be a UTC ISO-8601 instant with 6 fractional digits (got "2026-07-01T00:00:00Z")',
      },
    ]);
    // Date.parse takes these and rolls them over (to March 2 and January 2): no instant writes them.
    for (const rolled of ['2026-02-30T00:00:00.000000Z', '2026-01-01T24:00:00.000000Z']) {
      expect(issuesOf(() => parseInstant(rolled))).toEqual([
        { field: 'instant', rule: `must be a real calendar instant (got "${rolled}")` },
      ]);
    }
    expect(issuesOf(() => parseInstant('2026-13-01T00:00:00.000000Z'))[0]?.rule).toMatch(/^must be a real/);
    expect(parseInstant('2024-02-29T23:59:59.999999Z')).toBe('2024-02-29T23:59:59.999999Z');
    expect(issuesOf(() => parseInstant(`${'9'.repeat(100)}`))).toEqual([
      {
        field: 'instant',
        rule: `must be a UTC ISO-8601 instant with 6 fractional digits (got "${'9'.repeat(64)}")`,
      },
    ]);
    expect(issuesOf(() => parseInstant(7 as never))[0]?.rule).toMatch(/\(got number\)$/);
  });
});

describe('quantities', () => {
  test('minutes and basis points are whole numbers, negative allowed', () => {
    expect(minutes(0)).toBe(0);
    expect(minutes(-30)).toBe(-30);
    expect(basisPoints(10_001)).toBe(10_001);
    expect(issuesOf(() => minutes(1.5))).toEqual([{ field: '', rule: 'must be a whole number of minutes' }]);
    expect(() => minutes(1.5)).toThrow('invalid minutes: (input): must be a whole number of minutes');
    expect(() => basisPoints(0.5)).toThrow(
      'invalid basis points: (input): must be a whole number of basis points',
    );
    expect(issuesOf(() => basisPoints(0.1))).toEqual([
      { field: '', rule: 'must be a whole number of basis points' },
    ]);
  });

  test('a probability is 0..10000 bp: both ends accepted, one beyond refused', () => {
    expect(probabilityBpSchema.parse(0)).toBe(0);
    expect(probabilityBpSchema.parse(10_000)).toBe(10_000);
    expect(probabilityBpSchema.safeParse(-1).error?.issues[0]?.message).toBe('must be at least 0 bp');
    expect(probabilityBpSchema.safeParse(10_001).error?.issues[0]?.message).toBe(
      'must be at most 10000 bp (100 %)',
    );
  });
});

describe('errors and results', () => {
  test('a ValidationError lists every issue, with (input) for the root', () => {
    const e = new ValidationError('thing', [
      { field: '', rule: 'must be an object' },
      { field: 'a.b', rule: 'is required' },
    ]);
    expect(e.message).toBe('invalid thing: (input): must be an object; a.b: is required');
    expect(e).toMatchObject({
      name: 'ValidationError',
      code: 'VALIDATION_FAILED',
      retryable: false,
      details: { issues: e.issues },
    });
  });

  test('a PetError keeps its code, retryability, details and cause', () => {
    const cause = new Error('driver');
    const e = new PetError('LOCK_TIMEOUT', 'busy', { retryable: true, details: { n: 1 }, cause });
    expect(e).toMatchObject({ name: 'PetError', code: 'LOCK_TIMEOUT', retryable: true, details: { n: 1 } });
    expect(e.cause).toBe(cause);
    const plain = new PetError('NOT_FOUND', 'gone');
    expect(plain).toMatchObject({ retryable: false, details: {} });
    expect('cause' in plain).toBe(false);
  });

  test('isPetError recognises ours (also across realms, by shape) and filters by code', () => {
    const e = new PetError('DEADLOCK', 'x');
    expect(isPetError(e)).toBe(true);
    expect(isPetError(e, 'DEADLOCK')).toBe(true);
    expect(isPetError(e, 'LOCK_TIMEOUT')).toBe(false);
    expect(isPetError({ name: 'PetError', code: 'DEADLOCK', retryable: true })).toBe(true);
    expect(isPetError({ code: 'DEADLOCK', retryable: true })).toBe(false);
    expect(isPetError({ name: 'X', code: 7, retryable: true })).toBe(false);
    expect(isPetError({ name: 'X', code: 'DEADLOCK' })).toBe(false);
    expect(isPetError(null)).toBe(false);
    expect(isPetError('DEADLOCK')).toBe(false);
  });

  test('results and rejections', () => {
    expect(ok(1)).toEqual({ ok: true, value: 1 });
    expect(err('e')).toEqual({ ok: false, error: 'e' });
    expect(reject('X', 'm')).toEqual({ code: 'X', message: 'm' });
    expect('details' in reject('X', 'm')).toBe(false);
    expect(reject('X', 'm', { a: 1 })).toEqual({ code: 'X', message: 'm', details: { a: 1 } });
  });

  test('isUuidV7 takes only lower-case version-7 UUIDs', () => {
    expect(isUuidV7('019b76da-a800-7000-8000-000000000001')).toBe(true);
    expect(isUuidV7('019B76DA-A800-7000-8000-000000000001')).toBe(false);
    expect(isUuidV7('019b76da-a800-4000-8000-000000000001')).toBe(false);
    expect(isUuidV7(5 as never)).toBe(false);
  });
});

describe('validation', () => {
  const schema = z.object({ type: z.literal('go'), n: z.number().int().min(1) });

  test('toFieldIssues joins paths with dots, the root as an empty field', () => {
    const r = z.object({ a: z.array(z.object({ b: z.string() })) }).safeParse({ a: [{ b: 1 }] });
    expect(toFieldIssues(r.error as z.ZodError)).toEqual([{ field: 'a.0.b', rule: expect.any(String) }]);
    expect(issuesOf(() => parseInput(z.string(), 1, 'text'))).toEqual([
      { field: '', rule: expect.any(String) },
    ]);
  });

  test('checkedDecision: valid input decides', () => {
    expect(checkedDecision(schema, { type: 'go', n: 1 }, 'cmd', () => ok('done'))).toEqual(ok('done'));
  });

  test('checkedDecision: a value rule broken but the decider rejects — the rejection stands', () => {
    expect(checkedDecision(schema, { type: 'go', n: 0 }, 'cmd', () => err(reject('NO', 'no')))).toEqual(
      err(reject('NO', 'no')),
    );
  });

  test('checkedDecision: a value rule broken and the decider accepts — accepted (the decider relaxes it)', () => {
    expect(checkedDecision(schema, { type: 'go', n: 0 }, 'cmd', () => ok('relaxed'))).toEqual(ok('relaxed'));
  });

  test('checkedDecision: a wrongly typed field the decider accepts — VALIDATION_FAILED naming it', () => {
    expect(issuesOf(() => checkedDecision(schema, { type: 'go', n: 'x' }, 'cmd', () => ok('no')))).toEqual([
      { field: 'n', rule: expect.any(String) },
    ]);
    expect(issuesOf(() => checkedDecision(schema, { type: 'stop', n: 1 }, 'cmd', () => ok('no')))).toEqual([
      { field: 'type', rule: expect.any(String) },
    ]);
    expect(
      issuesOf(() => checkedDecision(schema.strict(), { type: 'go', n: 1, x: 1 }, 'cmd', () => ok('no'))),
    ).toEqual([{ field: '', rule: expect.any(String) }]);
  });

  test('checkedDecision: the decider throws on bad input — VALIDATION_FAILED, not the raw throw; a PetError passes', () => {
    const e = (() => {
      try {
        checkedDecision(schema, { type: 'go' }, 'cmd', () => {
          throw new TypeError('n is undefined');
        });
      } catch (x) {
        return x;
      }
    })();
    expect(isPetError(e, 'VALIDATION_FAILED')).toBe(true);
    expect((e as Error).message).toMatch(/^invalid cmd: n: /);
    const ours = new PetError('NOT_FOUND', 'gone');
    expect(() =>
      checkedDecision(schema, { type: 'go' }, 'cmd', () => {
        throw ours;
      }),
    ).toThrow(ours);
  });
});

describe('refusals of division, retry and back-off, in full', () => {
  test('divideRounded names the argument it refuses', () => {
    expect(() => divideRounded(1 as never, 2n)).toThrow('invalid division: numerator: must be a bigint');
    expect(() => divideRounded(1n, 2 as never)).toThrow('invalid division: denominator: must be a bigint');
    expect(() => divideRounded(1n, 0n)).toThrow('invalid division: denominator: must not be zero');
    expect(() => divideRounded(1n, 2n, 'half-odd' as never)).toThrow(
      'invalid rounding: mode: must be one of half-even, half-up, down, up (got half-odd)',
    );
    expect(() => divideRounded(1n, 2n, 7 as never)).toThrow(
      'invalid rounding: mode: must be one of half-even, half-up, down, up (got number)',
    );
    // An exact division never looks at the mode.
    expect(divideRounded(4n, 2n, 'half-odd' as never)).toBe(2n);
  });

  test('withRetry: its own arguments are checked; a retryable PetError is retried with back-off, up to maxAttempts', async () => {
    await expect(withRetry(undefined, 'x' as never)).rejects.toThrow(
      'invalid retry: attempt: must be a function',
    );
    await expect(withRetry({ maxAttempts: 0 }, async () => 1)).rejects.toThrow(
      'invalid retry policy: maxAttempts: must be an integer ≥ 1',
    );
    const waits: number[] = [];
    let calls = 0;
    const busy = new PetError('LOCK_TIMEOUT', 'busy', { retryable: true });
    const flaky = async () => {
      calls++;
      if (calls < 3) throw busy;
      return 'done';
    };
    expect(await withRetry({ maxAttempts: 3, backoff: async (n) => void waits.push(n) }, flaky)).toBe('done');
    expect(waits).toEqual([2, 3]);
    calls = 0;
    expect(await withRetry({ maxAttempts: 3 }, flaky)).toBe('done');
  });

  test('jitteredBackoff: random and sleep must be functions; 0 < base ≤ cap (equal allowed); the wait doubles up to the cap', async () => {
    const sleep = async () => {};
    const random = () => 0.5;
    expect(() => jitteredBackoff({ random: undefined as never, sleep })).toThrow(
      'invalid jittered backoff: random: random and sleep must be functions',
    );
    expect(() => jitteredBackoff({ random, sleep: undefined as never })).toThrow(
      /random and sleep must be functions/,
    );
    expect(() => jitteredBackoff({ random, sleep, baseMs: 0 })).toThrow(
      'invalid jittered backoff: baseMs: must be > 0 and ≤ capMs',
    );
    expect(() => jitteredBackoff({ random, sleep, baseMs: 11, capMs: 10 })).toThrow(
      /must be > 0 and ≤ capMs/,
    );
    expect(() => jitteredBackoff({ random, sleep, baseMs: 10, capMs: 10 })).not.toThrow();
    const slept: number[] = [];
    const backoff = jitteredBackoff({ random: () => 0.999, sleep: async (ms) => void slept.push(ms) });
    for (const attempt of [2, 3, 4, 9]) await backoff(attempt, new PetError('DEADLOCK', 'x'));
    // Defaults: base 10 ms, cap 1000 ms; the range doubles per attempt from the second.
    expect(slept).toEqual([9, 19, 39, 999]);
  });
});
