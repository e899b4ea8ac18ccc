import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeFixtures, missingFixtures } from '../kernel/index.js';
import { timeEventDefinitions, timeEventRegistry } from './events.js';

const dir = new URL('./__fixtures__/events/', import.meta.url);
const fixtures = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]),
);

describe('time events', () => {
  test('every frozen fixture decodes with the current registry, forever', () => {
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(timeEventDefinitions.length);
    expect(decodeFixtures(timeEventRegistry, fixtures)).toEqual([]);
  });

  test('every registered (type, version) has a frozen fixture named <type>.v<version>.json', () => {
    expect(missingFixtures(timeEventRegistry, fixtures)).toEqual([]);
    for (const [name, raw] of Object.entries(fixtures)) {
      const { type, schemaVersion } = raw as { type: string; schemaVersion: number };
      expect(name).toBe(`${type}.v${schemaVersion}.json`);
    }
  });

  test('drafts are validated: a zero-minute entry or an adjustment without a reason is refused', () => {
    const created = fixtures['time_entry.created.v1.json'] as { payload: Record<string, unknown> };
    expect(() =>
      timeEventRegistry.validateDraft({
        type: 'time_entry.created',
        schemaVersion: 1,
        payload: { ...created.payload, minutes: 0 },
      }),
    ).toThrow(/payload.minutes/);
    const adjusted = fixtures['time_entry.adjusted.v1.json'] as { payload: Record<string, unknown> };
    expect(() =>
      timeEventRegistry.validateDraft({
        type: 'time_entry.adjusted',
        schemaVersion: 1,
        payload: { ...adjusted.payload, reason: '  ' },
      }),
    ).toThrow(/payload.reason/);
  });
});
