import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeFixtures, missingFixtures } from '../kernel/index.js';
import { supportEventDefinitions, supportEventRegistry } from './events.js';

const dir = new URL('./__fixtures__/events/', import.meta.url);
const fixtures = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]),
);

describe('support events', () => {
  test('every frozen fixture decodes with the current registry, forever', () => {
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(supportEventDefinitions.length);
    expect(decodeFixtures(supportEventRegistry, fixtures)).toEqual([]);
  });

  test('every registered (type, version) has a frozen fixture named <type>.v<version>.json', () => {
    expect(missingFixtures(supportEventRegistry, fixtures)).toEqual([]);
    for (const [name, raw] of Object.entries(fixtures)) {
      const { type, schemaVersion } = raw as { type: string; schemaVersion: number };
      expect(name).toBe(`${type}.v${schemaVersion}.json`);
    }
  });

  test('the canonical SLA events of §2.25 and the ticket events of §3 are registered at version 1', () => {
    expect(supportEventRegistry.knownTypes()).toEqual(
      expect.arrayContaining([
        'sla.warning',
        'sla.breached',
        'sla.escalated',
        'sla.paused',
        'sla.resumed',
        'ticket.created',
        'ticket.split',
      ]),
    );
    for (const t of supportEventRegistry.knownTypes()) expect(supportEventRegistry.currentVersion(t)).toBe(1);
  });

  test('drafts are validated: a binding to version 0, or an assignment to both a team and an employee, is refused', () => {
    const bound = fixtures['sla.bound.v1.json'] as { payload: Record<string, unknown> };
    expect(() =>
      supportEventRegistry.validateDraft({
        type: 'sla.bound',
        schemaVersion: 1,
        payload: { ...bound.payload, slaVersionNumber: 0 },
      }),
    ).toThrow(/never 0/);
    const assigned = fixtures['ticket.assigned.v1.json'] as { payload: Record<string, unknown> };
    expect(() =>
      supportEventRegistry.validateDraft({
        type: 'ticket.assigned',
        schemaVersion: 1,
        payload: { ...assigned.payload, assignedTeamId: assigned.payload['previousTeamId'] },
      }),
    ).toThrow(/exactly one/);
  });
});
