import { describe, expect, test } from 'vitest';
import { parseInstant, uuidV7Schema } from '../kernel/index.js';
import { fixedClock } from './clock.js';
import { sequentialIds } from './ids.js';

describe('fixedClock', () => {
  test('stands still by default', () => {
    const clock = fixedClock('2026-03-01T10:00:00.000000Z');
    expect(clock.now()).toBe('2026-03-01T10:00:00.000000Z');
    expect(clock.now()).toBe('2026-03-01T10:00:00.000000Z');
  });

  test('steps by microseconds, across second boundaries', () => {
    const clock = fixedClock(parseInstant('2026-03-01T10:00:00.999998Z'), 1);
    expect([clock.now(), clock.now(), clock.now()]).toEqual([
      '2026-03-01T10:00:00.999998Z',
      '2026-03-01T10:00:00.999999Z',
      '2026-03-01T10:00:01.000000Z',
    ]);
  });

  test('advance and set move it explicitly', () => {
    const clock = fixedClock('2026-03-01T10:00:00.000000Z');
    clock.advance(1_500_250);
    expect(clock.now()).toBe('2026-03-01T10:00:01.500250Z');
    clock.set(parseInstant('2027-01-01T00:00:00.000001Z'));
    expect(clock.now()).toBe('2027-01-01T00:00:00.000001Z');
    clock.advance(-2);
    expect(clock.now()).toBe('2026-12-31T23:59:59.999999Z');
  });

  test('bad input throws', () => {
    expect(() => fixedClock('2026-03-01T10:00:00Z')).toThrowError(/6 fractional digits/);
    expect(() => fixedClock('2026-03-01T10:00:00.000000Z', 0.5)).toThrowError(/stepMicros/);
    expect(() => fixedClock('2026-03-01T10:00:00.000000Z').advance(Number.NaN)).toThrowError(/micros/);
  });
});

describe('sequentialIds', () => {
  test('valid, strictly increasing UUIDv7 strings with a readable counter', () => {
    const ids = sequentialIds();
    const list = Array.from({ length: 300 }, () => ids.next());
    expect(list[0]).toBe('019b76da-a800-7000-8000-000000000001');
    expect(list[255]).toBe('019b76da-a800-7000-8000-000000000100');
    for (const id of list) expect(uuidV7Schema.safeParse(id).success).toBe(true);
    expect([...list].sort()).toEqual(list);
    expect(new Set(list).size).toBe(list.length);
  });

  test('different seeds never collide; the same seed repeats', () => {
    const a = sequentialIds(1);
    const b = sequentialIds(2);
    expect(a.next()).toBe('019b76da-a800-7001-8000-000000000001');
    expect(b.next()).toBe('019b76da-a800-7002-8000-000000000001');
    expect(sequentialIds(4095).next()).toBe('019b76da-a800-7fff-8000-000000000001');
    expect(sequentialIds(1).next()).toBe('019b76da-a800-7001-8000-000000000001');
  });

  test('a bad seed throws', () => {
    expect(() => sequentialIds(4096)).toThrowError(/seed/);
    expect(() => sequentialIds(-1)).toThrowError(/seed/);
  });
});
