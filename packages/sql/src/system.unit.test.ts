import { instantSchema, uuidSchema } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { systemClock, uuidV7Ids } from './system.js';

describe('systemClock and uuidV7Ids', () => {
  it('given now, when asked, then a canonical instant within a second of Date.now()', () => {
    const at = systemClock.now();
    expect(instantSchema.safeParse(at).success).toBe(true);
    expect(Math.abs(Date.parse(at) - Date.now())).toBeLessThan(1000);
  });

  it('given 2000 ids, then all are canonical v7 UUIDs, distinct, and their time prefix never goes back', () => {
    const ids = Array.from({ length: 2000 }, () => uuidV7Ids.next());
    expect(
      ids.every((id) => uuidSchema.safeParse(id).success && id[14] === '7' && '89ab'.includes(id[19] ?? '')),
    ).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const prefixes = ids.map((id) => id.slice(0, 13));
    expect([...prefixes].sort()).toEqual(prefixes);
    const ms = Number.parseInt(ids[0]?.replace('-', '').slice(0, 12) ?? '', 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(1000);
  });
});
