import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeFixtures, missingFixtures } from '../kernel/index.js';
import { quotingEventDefinitions, quotingEventRegistry } from './quoting-events.js';

const dir = new URL('./__fixtures__/events/', import.meta.url);
const mine = new Set(quotingEventDefinitions.map((d) => d.type));
// The folder is shared with the lead-pipeline events: this suite checks the quoting types only.
const fixtures = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json') && mine.has(f.replace(/\.v\d+\.json$/, '')))
    .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]),
);

describe('quoting events', () => {
  test('every frozen fixture decodes with the current registry, forever', () => {
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(quotingEventDefinitions.length);
    expect(decodeFixtures(quotingEventRegistry, fixtures)).toEqual([]);
  });

  test('every registered (type, version) has a frozen fixture named <type>.v<version>.json', () => {
    expect(missingFixtures(quotingEventRegistry, fixtures)).toEqual([]);
    for (const [name, raw] of Object.entries(fixtures)) {
      const { type, schemaVersion } = raw as { type: string; schemaVersion: number };
      expect(name).toBe(`${type}.v${schemaVersion}.json`);
    }
  });

  test('the contract fields of the shared event contract are required', () => {
    const r = quotingEventRegistry.validateDraft.bind(quotingEventRegistry);
    expect(() => r({ type: 'quote.accepted', schemaVersion: 1, payload: { quoteId: 'x' } })).toThrow(
      /payload/,
    );
  });
});
