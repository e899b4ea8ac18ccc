import { type Instant, instantFromEpochMs } from '@pet-ops/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantToSql, sqlToInstant } from './datetime.js';
import { bytesToUuid, uuidToBytes } from './uuid-bytes.js';

describe('row value codecs', () => {
  it('property: any UUID survives bytes and back, also from a Uint8Array view inside a larger buffer', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.nat({ max: 7 }), (id, offset) => {
        const bytes = uuidToBytes(id);
        expect(bytes).toHaveLength(16);
        expect(bytesToUuid(bytes)).toBe(id);
        const larger = new Uint8Array(16 + offset + 3);
        larger.set(bytes, offset);
        expect(bytesToUuid(larger.subarray(offset, offset + 16))).toBe(id);
      }),
      { numRuns: 300 },
    );
  });

  it('property: any instant survives DATETIME(6) text and back', () => {
    const instant = fc
      .tuple(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31) }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(([ms, micros]) => instantFromEpochMs(ms, micros));
    fc.assert(
      fc.property(instant, (i) => {
        expect(sqlToInstant(instantToSql(i))).toBe(i);
      }),
      { numRuns: 300 },
    );
  });

  it('given DATETIME text with fewer fractional digits or none, when read, then the fraction is padded to six', () => {
    expect(sqlToInstant('2026-12-06 10:15:30.5')).toBe('2026-12-06T10:15:30.500000Z' as Instant);
    expect(sqlToInstant('2026-12-06 10:15:30')).toBe('2026-12-06T10:15:30.000000Z' as Instant);
    expect(sqlToInstant('2026-12-06 10:15:30.123456')).toBe('2026-12-06T10:15:30.123456Z' as Instant);
  });
});
