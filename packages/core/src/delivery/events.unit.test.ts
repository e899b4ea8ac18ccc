import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeFixtures, missingFixtures } from '../kernel/index.js';
import { deliveryEventDefinitions, deliveryEventRegistry } from './events.js';

const dir = new URL('./__fixtures__/events/', import.meta.url);
const fixtures = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]),
);

describe('delivery events', () => {
  test('every frozen fixture decodes with the current registry, forever', () => {
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(deliveryEventDefinitions.length);
    expect(decodeFixtures(deliveryEventRegistry, fixtures)).toEqual([]);
  });

  test('every registered (type, version) has a frozen fixture named <type>.v<version>.json', () => {
    expect(missingFixtures(deliveryEventRegistry, fixtures)).toEqual([]);
    for (const [name, raw] of Object.entries(fixtures)) {
      const { type, schemaVersion } = raw as { type: string; schemaVersion: number };
      expect(name).toBe(`${type}.v${schemaVersion}.json`);
    }
  });

  test('the spec’s event names are used where it gives them, and every type is at version 1', () => {
    const known = deliveryEventRegistry.knownTypes();
    for (const t of ['delivery.project_created', 'project.variance_detected', 'delivery.milestone_completed'])
      expect(known).toContain(t);
    expect(known).toHaveLength(26);
    for (const t of known) expect(deliveryEventRegistry.currentVersion(t)).toBe(1);
  });

  test('drafts are validated: a detection whose delta is not observed − sold is refused', () => {
    const raw = fixtures['project.variance_detected.v1.json'] as { payload: Record<string, unknown> };
    expect(() =>
      deliveryEventRegistry.validateDraft({
        type: 'project.variance_detected',
        schemaVersion: 1,
        payload: { ...raw.payload, delta: 1 },
      }),
    ).toThrow(/payload.delta/);
  });
});
