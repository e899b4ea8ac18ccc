import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { PART_UNITS, splitParts } from './parts.js';

describe('splitParts', () => {
  test.prop([fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 2, max: 40 })])(
    'parts rejoin to the input, each within the size and never ending inside a surrogate pair',
    (text, size) => {
      const parts = splitParts(text, size);
      expect(parts.join('')).toBe(text);
      for (const p of parts) {
        expect(p.length).toBeGreaterThan(0);
        expect(p.length).toBeLessThanOrEqual(size);
        const last = p.charCodeAt(p.length - 1);
        if (p !== parts[parts.length - 1]) expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
      }
    },
  );

  it('given a text longer than one part, when split with the default size, then every part fits in 768 KiB of UTF-8', () => {
    const text = '€'.repeat(PART_UNITS + 10);
    const parts = splitParts(text);
    expect(parts.map((p) => p.length)).toEqual([PART_UNITS, 10]);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(768 * 1024);
  });

  it('given an empty text, when split, then there are no parts', () => {
    expect(splitParts('')).toEqual([]);
  });
});
