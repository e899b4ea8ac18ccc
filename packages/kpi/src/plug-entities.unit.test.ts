import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { PlugEntities, PlugGroup } from './plug-entities.js';

type Op = readonly ['get' | 'put' | 'delete', number, number, number];

describe('plug-in entities shared by groups', () => {
  // Keys are rebuilt per operation (equal text, another string), as an event's payload gives them.
  const key = (k: number): string => `k${String(k)}`;

  test.prop([
    fc.integer({ min: 1, max: 4 }),
    fc.array(
      fc.tuple(
        fc.constantFrom('get' as const, 'put' as const, 'delete' as const),
        fc.nat(3),
        fc.nat(5),
        fc.nat(1000),
      ),
      { maxLength: 200 },
    ),
  ])('every group sees what its own map would hold, whatever the remembered keys', (groups, ops) => {
    const all = new PlugEntities(groups);
    const views = Array.from({ length: groups }, (_, slot) => new PlugGroup(all, slot));
    const maps = views.map(() => new Map<string, { v: unknown; u: number }>());
    for (const [op, g, k, value] of ops as readonly Op[]) {
      const view = views[g % groups] as PlugGroup;
      const map = maps[g % groups] as Map<string, { v: unknown; u: number }>;
      if (op === 'get') {
        expect(view.value(key(k))).toEqual(map.get(key(k))?.v);
        expect(view.changedAt(key(k))).toBe(map.get(key(k))?.u ?? -1);
      } else if (op === 'put') {
        view.put(key(k), value, value);
        map.set(key(k), { v: value, u: value });
      } else expect(view.delete(key(k))).toBe(map.delete(key(k)));
    }
    views.forEach((view, g) => {
      const map = maps[g] as Map<string, { v: unknown; u: number }>;
      expect([...view.keys()].sort()).toEqual([...map.keys()].sort());
      for (const k of map.keys()) expect(view.has(k)).toBe(true);
    });
  });
});
