import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeFixtures, missingFixtures } from '../kernel/index.js';
import { crmEventDefinitions, crmEventRegistry } from './events.js';

const dir = new URL('./__fixtures__/events/', import.meta.url);
const fixtures = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]),
);

const PERSONAL_KEYS = ['name', 'email', 'linkedinUrl'];
const keysOf = (value: unknown): string[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)])
    : [];

describe('CRM events', () => {
  test('every frozen fixture decodes with the current registry, forever', () => {
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(crmEventDefinitions.length);
    expect(decodeFixtures(crmEventRegistry, fixtures)).toEqual([]);
  });

  test('every registered (type, version) has a frozen fixture named <type>.v<version>.json', () => {
    expect(missingFixtures(crmEventRegistry, fixtures)).toEqual([]);
    for (const [name, raw] of Object.entries(fixtures)) {
      const { type, schemaVersion } = raw as { type: string; schemaVersion: number };
      expect(name).toBe(`${type}.v${schemaVersion}.json`);
    }
  });

  test('only person.created and person.updated carry personal fields; everything else references people by id', () => {
    for (const raw of Object.values(fixtures)) {
      const { type, payload } = raw as { type: string; payload: unknown };
      const personal = keysOf(payload).filter((k) => PERSONAL_KEYS.includes(k));
      if (type === 'person.created' || type === 'person.updated') continue;
      if (type.startsWith('company.')) continue; // a company's name is not personal data
      expect({ type, personal }).toEqual({ type, personal: [] });
    }
  });

  test('stored payloads must be normalised: an un-normalised website or e-mail is refused', () => {
    const companyId = '019b76da-a800-7000-8000-000000400001';
    expect(() =>
      crmEventRegistry.validateDraft({
        type: 'company.updated',
        schemaVersion: 1,
        payload: { companyId, changes: { website: 'www.acme.com' } },
      }),
    ).toThrow(/payload.changes.website/);
    expect(() =>
      crmEventRegistry.validateDraft({
        type: 'person.updated',
        schemaVersion: 1,
        payload: { personId: '019b76da-a800-7000-8000-000000600001', changes: { email: 'Ada@example.com' } },
      }),
    ).toThrow(/payload.changes.email/);
  });
});
