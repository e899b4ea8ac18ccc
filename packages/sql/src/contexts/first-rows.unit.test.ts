import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstRows } from './first-rows.js';

describe('firstRows', () => {
  it('given keys remembered, when asked, then each answers the first row that named it and others none', () => {
    const seen = firstRows();
    seen.remember('website:a.example', 2);
    seen.remember('external:42', 2);
    seen.remember('website:a.example', 9);
    expect(seen.firstRow('website:a.example')).toBe(2);
    expect(seen.firstRow('external:42')).toBe(2);
    expect(seen.firstRow('website:b.example')).toBeUndefined();
    expect(seen.size).toBe(2);
  });

  it('given row 0 and the largest row, when remembered, then both are answered', () => {
    const seen = firstRows();
    seen.remember('a', 0);
    seen.remember('b', 2 ** 31 - 2);
    expect([seen.firstRow('a'), seen.firstRow('b')]).toEqual([0, 2 ** 31 - 2]);
  });

  it('given a row that is not a non-negative integer below 2³¹ − 1, when remembered, then it is refused', () => {
    const seen = firstRows();
    for (const row of [-1, 1.5, 2 ** 31 - 1, Number.NaN])
      expect(() => seen.remember('k', row)).toThrow(RangeError);
    expect(seen.size).toBe(0);
  });

  it('property: answers as a Map of the first row per key would, across growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 12 }), fc.nat({ max: 1_000_000 })), { maxLength: 3000 }),
        (entries) => {
          const seen = firstRows();
          const model = new Map<string, number>();
          for (const [key, row] of entries) {
            seen.remember(key, row);
            if (!model.has(key)) model.set(key, row);
          }
          expect(seen.size).toBe(model.size);
          for (const [key, row] of model) expect(seen.firstRow(key)).toBe(row);
          expect(seen.firstRow('\u0000never a key\u0000')).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('holds 200k keys in a few MB of typed arrays (the heap does not keep the keys)', () => {
    const seen = firstRows();
    for (let i = 0; i < 200_000; i++) seen.remember(`website:company${i}.example`, i + 2);
    expect(seen.size).toBe(200_000);
    expect(seen.firstRow('website:company123456.example')).toBe(123_458);
    expect(seen.firstRow('website:company200000.example')).toBeUndefined();
  });
});
