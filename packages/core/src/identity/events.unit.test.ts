import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeFixtures, missingFixtures } from '../kernel/index.js';
import { identityEventDefinitions, identityEventRegistry } from './events.js';

const dir = new URL('./__fixtures__/events/', import.meta.url);
const fixtures = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]),
);

describe('identity events', () => {
  test('every frozen fixture decodes with the current registry, forever', () => {
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(identityEventDefinitions.length);
    expect(decodeFixtures(identityEventRegistry, fixtures)).toEqual([]);
  });

  test('every registered (type, version) has a frozen fixture named <type>.v<version>.json', () => {
    expect(missingFixtures(identityEventRegistry, fixtures)).toEqual([]);
    for (const [name, raw] of Object.entries(fixtures)) {
      const { type, schemaVersion } = raw as { type: string; schemaVersion: number };
      expect(name).toBe(`${type}.v${schemaVersion}.json`);
    }
  });

  test('types are namespaced and all at version 1', () => {
    expect(identityEventRegistry.knownTypes()).toEqual([
      'employee.archived',
      'employee.created',
      'employee.deactivated',
      'employee.updated',
      'org_structure.version_published',
      'team.archived',
      'team.created',
      'team.member_added',
      'team.member_removed',
      'team.updated',
    ]);
    for (const t of identityEventRegistry.knownTypes())
      expect(identityEventRegistry.currentVersion(t)).toBe(1);
  });

  test('drafts are validated: an update with no change or an un-normalised e-mail is refused', () => {
    const employeeId = '019b76da-a800-7000-8000-000000000001';
    expect(() =>
      identityEventRegistry.validateDraft({
        type: 'employee.updated',
        schemaVersion: 1,
        payload: { employeeId, changes: {} },
      }),
    ).toThrow(/payload.changes/);
    expect(() =>
      identityEventRegistry.validateDraft({
        type: 'employee.updated',
        schemaVersion: 1,
        payload: { employeeId, changes: { email: 'A@b.co' } },
      }),
    ).toThrow(/normalised/);
  });
});
