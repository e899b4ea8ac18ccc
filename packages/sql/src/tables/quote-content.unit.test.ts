import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedQuote } from '../contract/quote-arbitrary.test.js';
import { derivedId } from '../state-table.js';
import {
  assembleQuoteVersions,
  quoteLineGroupsTable,
  quoteLinesTable,
  quoteVersionsTable,
} from './quote-content.js';

describe('quote content rows', () => {
  it('property: for any quote, its version, group and line rows re-assemble to exactly its versions', () => {
    fc.assert(
      fc.property(storedQuote(), (q) => {
        if (q.status === 'absent') return;
        const rows = (t: typeof quoteVersionsTable) => t.rowsOf(q, q.quoteId).map((r) => ({ ...r }));
        expect(
          assembleQuoteVersions(rows(quoteVersionsTable), rows(quoteLineGroupsTable), rows(quoteLinesTable)),
        ).toEqual(q.versions);
      }),
      { numRuns: 300 },
    );
  });

  it('given a removed line (removed_at set), when re-assembled, then the line is not part of its version', () => {
    const [q] = fc.sample(
      storedQuote().filter(
        (s) => s.status !== 'absent' && s.versions.some((v) => v.groups.some((g) => g.lines.length > 0)),
      ),
      { numRuns: 1, seed: 7 },
    );
    if (q === undefined || q.status === 'absent') throw new Error('no sample');
    const lines = quoteLinesTable
      .rowsOf(q, q.quoteId)
      .map((r, i) => ({ ...r, removed_at: i === 0 ? '2026-11-02T09:30:00.000000Z' : null }));
    const assembled = assembleQuoteVersions(
      quoteVersionsTable.rowsOf(q, q.quoteId),
      quoteLineGroupsTable.rowsOf(q, q.quoteId),
      lines,
    );
    const count = (vs: readonly (typeof assembled)[number][]) =>
      vs.flatMap((v) => v.groups.flatMap((g) => g.lines)).length;
    expect(count(assembled)).toBe(count(q.versions) - 1);
  });

  it('given the same keys, derivedId gives the same canonical UUID (version 8), and different keys different ids', () => {
    const a = derivedId('quote_lines', 'q', 1, 'l');
    expect(a).toBe(derivedId('quote_lines', 'q', 1, 'l'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedId('quote_lines', 'q', 1, 'm')).not.toBe(a);
    expect(derivedId('quote_lines', 'q', 11, '')).not.toBe(derivedId('quote_lines', 'q', 1, '1'));
  });
});
