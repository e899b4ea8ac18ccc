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

  it('reads UTC text (the sessions’ zone) by rearranging its digits, exactly as the same instant in another zone', () => {
    const shift = (text: string, minutes: number): string => {
      // The same instant printed at UTC+minutes, as PostgreSQL would in that session zone.
      const m = /^(.{19})(\.\d+)?\+00$/.exec(text);
      if (m === null) throw new Error(text);
      const local = new Date(Date.parse(`${(m[1] as string).replace(' ', 'T')}Z`) + minutes * 60_000);
      const abs = Math.abs(minutes);
      const hh = String(Math.floor(abs / 60)).padStart(2, '0');
      const mm = String(abs % 60).padStart(2, '0');
      const sign = minutes < 0 ? '-' : '+';
      return `${local.toISOString().slice(0, 19).replace('T', ' ')}${m[2] ?? ''}${sign}${hh}:${mm}`;
    };
    for (const text of [
      '2026-01-02 03:04:05.678901+00',
      '2026-12-31 23:59:59.999999+00',
      '1999-02-28 00:00:00+00',
      '2024-02-29 12:00:00.1+00',
      '1000-01-01 00:00:00.000001+00',
      '9999-12-31 23:59:59.5+00',
    ]) {
      expect(pgTextToInstant(text)).toBe(pgTextToInstant(shift(text, -90)));
      if (!text.startsWith('9999')) expect(pgTextToInstant(text)).toBe(pgTextToInstant(shift(text, 330)));
    }
    expect(pgTextToInstant('2026-01-02T03:04:05.6Z')).toBe('2026-01-02T03:04:05.600000Z');
    expect(pgTextToInstant('2026-01-02 03:04:05+00:00')).toBe('2026-01-02T03:04:05.000000Z');
    expect(pgTextToInstant('0999-01-02 03:04:05+00')).toBe('0999-01-02T03:04:05.000000Z');
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
