import { describe, expect, it } from 'vitest';
import { pgTextToInstant, postgresCodecs } from './codecs.js';

describe('PostgreSQL value codecs', () => {
  it('reads timestamptz text in any session zone and fraction length back as the canonical UTC instant', () => {
    expect(pgTextToInstant('2026-01-02 03:04:05.678901+00')).toBe('2026-01-02T03:04:05.678901Z');
    expect(pgTextToInstant('2026-01-02 03:04:05.6789+00')).toBe('2026-01-02T03:04:05.678900Z');
    expect(pgTextToInstant('2026-01-02 03:04:05+00')).toBe('2026-01-02T03:04:05.000000Z');
    expect(pgTextToInstant('2026-01-02 04:34:05.000001+01:30')).toBe('2026-01-02T03:04:05.000001Z');
    expect(pgTextToInstant('2026-01-01 22:04:05.5-05')).toBe('2026-01-02T03:04:05.500000Z');
    expect(pgTextToInstant(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe('2026-01-02T03:04:05.006000Z');
    expect(() => pgTextToInstant('yesterday')).toThrow(/timestamptz/);
  });

  it('round-trips ids (lower case), JSON (a JSON string stays a string) and booleans', () => {
    const c = postgresCodecs;
    expect(c.decodeId(c.encodeId('0193A0D4-0000-7000-8000-00000000000A'))).toBe(
      '0193a0d4-0000-7000-8000-00000000000a',
    );
    for (const v of ['text', { a: [1, null, 'ü'] }, 12, null, true])
      expect(c.decodeJson(c.encodeJson(v))).toEqual(v);
    expect([c.decodeBool(c.encodeBool(true)), c.decodeBool(c.encodeBool(false)), c.decodeBool('t')]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
