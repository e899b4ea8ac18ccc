import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntityTable } from './entity-table.js';

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
/** Keys of every kind the table must handle: canonical UUIDs (hashed as words) and anything else (side map). */
const keyArb = fc.oneof(
  fc
    .tuple(fc.nat(), fc.nat(0xffff), fc.nat(0xffff), fc.nat(0xffff), fc.nat(0xffffff), fc.nat(0xffffff))
    .map(
      ([a, b, c, d, e, f]) => `${hex(a, 8)}-${hex(b, 4)}-${hex(c, 4)}-${hex(d, 4)}-${hex(e, 6)}${hex(f, 6)}`,
    ),
  // A small UUID pool: the same keys come back after removal (reuse of indices and deleted slots).
  fc.integer({ min: 0, max: 40 }).map((n) => `0190a1b2-c3d4-7e5f-8a9b-${hex(n, 12)}`),
  fc.constantFrom('LEAD-1', 'lead-2', '0190A1B2-C3D4-7E5F-8A9B-000000000001', '', 'x'.repeat(36)),
);

type Op = { kind: 'add' | 'remove'; key: string; id: string; value: number };
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('add', 'add', 'remove'),
  key: keyArb,
  id: keyArb,
  value: fc.integer({ min: -1_000_000, max: 1_000_000 }),
});

describe('EntityTable', () => {
  it('behaves as a Map from key to fields, for any sequence of adds and removes (through growth and rehashes)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 600 }), fc.boolean(), (ops, levels) => {
        const table = new EntityTable(1, levels);
        const model = new Map<string, { id: string; value: number }>();
        for (const op of ops) {
          const ent = table.find(op.key);
          expect(ent >= 0).toBe(model.has(op.key));
          if (op.kind === 'add') {
            const at = ent >= 0 ? ent : table.add(op.key);
            table.setStartId(at, op.id);
            table.p[at] = op.value;
            model.set(op.key, { id: op.id, value: op.value });
          } else if (ent >= 0) {
            table.remove(ent);
            model.delete(op.key);
          }
        }
        expect(table.size).toBe(model.size);
        const live = new Map<string, { id: string; value: number }>();
        for (let e = 0; e < table.end; e++)
          if (table.isLive(e))
            live.set(table.keyOf(e), { id: table.startIdOf(e), value: table.p[e] as number });
        expect(live).toEqual(model);
        for (const key of model.keys()) expect(table.keyOf(table.find(key))).toBe(key);
      }),
    );
  });

  it('lists the entities changed after a position in the order of their keys as text, UUID or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keyArb, fc.integer({ min: 1, max: 50 })), { maxLength: 300 }),
        fc.integer({ min: 0, max: 50 }),
        (entries, after) => {
          const table = new EntityTable(1, true);
          const model = new Map<string, number>();
          for (const [key, changedAt] of entries) {
            const found = table.find(key);
            table.u[found >= 0 ? found : table.add(key)] = changedAt;
            model.set(key, changedAt);
          }
          const expected = [...model]
            .filter(([, changedAt]) => changedAt > after)
            .map(([key]) => key)
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect([...table.changedInKeyOrder(after)].map((e) => table.keyOf(e))).toEqual(expected);
        },
      ),
    );
  });

  it('given a new entity, when it is added, then its fields are zero and it has no org version', () => {
    const table = new EntityTable(1, true);
    const first = table.add('0190a1b2-c3d4-7e5f-8a9b-000000000001');
    table.a[first] = 5;
    table.setOrgVersion(first, 3);
    table.remove(first);
    const reused = table.add('0190a1b2-c3d4-7e5f-8a9b-000000000002');
    expect(reused).toBe(first);
    expect(table.a[reused]).toBe(0);
    expect(table.orgVersionOf(reused)).toBeNull();
    table.setOrgVersion(reused, 3);
    expect(table.orgVersionOf(reused)).toBe(3);
  });

  it('given 100 000 open entities, when half are removed, then the other half are all found (the hash grows)', () => {
    const table = new EntityTable(1, true);
    const key = (n: number): string => `0190a1b2-c3d4-7e5f-8a9b-${hex(n, 12)}`;
    for (let n = 0; n < 100_000; n++) table.p[table.add(key(n))] = n;
    for (let n = 0; n < 100_000; n += 2) table.remove(table.find(key(n)));
    expect(table.size).toBe(50_000);
    let found = 0;
    for (let n = 1; n < 100_000; n += 2) if (table.p[table.find(key(n))] === n) found++;
    expect(found).toBe(50_000);
    expect(table.find(key(0))).toBe(-1);
  });
});
