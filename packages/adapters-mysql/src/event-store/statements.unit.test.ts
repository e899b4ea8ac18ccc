import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  appendLatchName,
  eventStatements,
  MAX_ROWS_PER_STATEMENT,
  MAX_STATEMENT_BYTES,
  planStatements,
  statementSizes,
} from './statements.js';

describe('statementSizes', () => {
  it('keeps small batches in one statement and splits larger ones into blocks', () => {
    expect(statementSizes(0)).toEqual([]);
    expect(statementSizes(1)).toEqual([1]);
    expect(statementSizes(16)).toEqual([16]);
    expect(statementSizes(17)).toEqual([16, 1]);
    expect(statementSizes(100)).toEqual([64, 32, 4]);
    expect(statementSizes(1000)).toEqual([1000]);
    expect(statementSizes(2345)).toEqual([1000, 1000, 256, 64, 16, 9]);
  });

  test.prop([fc.integer({ min: 0, max: 20_000 })])(
    'sizes sum to n, stay ≤ 1000 and come from 22 shapes at most',
    (n) => {
      const sizes = statementSizes(n);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
      for (const s of sizes) {
        expect(s).toBeGreaterThan(0);
        expect(s).toBeLessThanOrEqual(MAX_ROWS_PER_STATEMENT);
        expect(s <= 16 || [32, 64, 128, 256, 512, 1000].includes(s)).toBe(true);
      }
    },
  );

  it('rejects a negative or fractional count', () => {
    expect(() => statementSizes(-1)).toThrow(RangeError);
    expect(() => statementSizes(1.5)).toThrow(RangeError);
  });
});

describe('planStatements', () => {
  test.prop([fc.array(fc.integer({ min: 1, max: 3_000_000 }), { maxLength: 3000 })])(
    'keeps every row once, in order, within the row and byte limits',
    (sizes) => {
      const rows = sizes.map((bytes, i) => ({ bytes, i }));
      const statements = planStatements(rows);
      expect(statements.flat().map((r) => r.i)).toEqual(rows.map((r) => r.i));
      for (const s of statements) {
        expect(s.length).toBeLessThanOrEqual(MAX_ROWS_PER_STATEMENT);
        const bytes = s.reduce((a, r) => a + r.bytes, 0);
        expect(s.length === 1 || bytes <= MAX_STATEMENT_BYTES).toBe(true);
      }
    },
  );
});

describe('appendLatchName', () => {
  test.prop([fc.string({ maxLength: 64 }), fc.string({ maxLength: 64 })])(
    'fits GET_LOCK (≤ 64 chars)',
    (db, table) => {
      expect(appendLatchName(db, table).length).toBeLessThanOrEqual(64);
    },
  );

  it('differs per database and per table, and is stable', () => {
    const a = appendLatchName('pet', 'domain_events');
    expect(appendLatchName('pet', 'domain_events')).toBe(a);
    expect(appendLatchName('pet2', 'domain_events')).not.toBe(a);
    expect(appendLatchName('pet', 'wp_domain_events')).not.toBe(a);
  });
});

describe('eventStatements', () => {
  it('quotes the prefixed table, orders by the column (not the text alias) and caches INSERT texts', () => {
    const s = eventStatements('wp_pet_domain_events');
    expect(s.readAfter).toContain('FROM `wp_pet_domain_events` AS e');
    expect(s.readAfter).toMatch(/ORDER BY e\.position$/);
    expect(s.probeGap).toMatch(/LIMIT 1000 LOCK IN SHARE MODE$/);
    expect(s.insert(3)).toBe(s.insert(3));
    expect(s.insert(2).match(/\?/g)).toHaveLength(28);
  });

  it('leaves out the context and payload of the types a fold does not read, and refuses what is not a type name', () => {
    const s = eventStatements('domain_events');
    const sql = s.readFoldAfterReading(['opportunity.won', 'opportunity.lost']);
    expect(sql).toContain("IF(e.event_type IN ('opportunity.won', 'opportunity.lost'), e.context, NULL)");
    expect(sql).toContain("IF(e.event_type IN ('opportunity.won', 'opportunity.lost'), e.payload, NULL)");
    expect(sql.replace(/IF\(.*?, e\.(context|payload), NULL\)/g, 'e.$1')).toBe(s.readFoldAfter);
    expect(s.readFoldAfterReading([])).toContain('IF(FALSE, e.payload, NULL)');
    expect(() => s.readFoldAfterReading(["won' OR '1"])).toThrowError(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('refuses a table name that would need escaping', () => {
    expect(() => eventStatements('x`; DROP TABLE y')).toThrow(RangeError);
  });
});
