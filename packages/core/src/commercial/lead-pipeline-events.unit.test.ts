import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeFixtures, missingFixtures } from '../kernel/index.js';
import {
  commercialEventDefinitions,
  commercialEventRegistry,
  leadPipelineEventDefinitions,
  leadPipelineEventRegistry,
} from './events.js';

const dir = new URL('./__fixtures__/events/', import.meta.url);
const mine = new Set(leadPipelineEventDefinitions.map((d) => d.type));
// The folder is shared with the quoting events: this suite checks the lead-pipeline types only.
const fixtures = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json') && mine.has(f.replace(/\.v\d+\.json$/, '')))
    .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]),
);

describe('lead-pipeline events', () => {
  test('every frozen fixture decodes with the current registry, forever', () => {
    expect(Object.keys(fixtures).length).toBe(leadPipelineEventDefinitions.length);
    expect(decodeFixtures(leadPipelineEventRegistry, fixtures)).toEqual([]);
  });

  test('every registered (type, version) has a frozen fixture named <type>.v<version>.json', () => {
    expect(missingFixtures(leadPipelineEventRegistry, fixtures)).toEqual([]);
    for (const [name, raw] of Object.entries(fixtures)) {
      const { type, schemaVersion } = raw as { type: string; schemaVersion: number };
      expect(name).toBe(`${type}.v${schemaVersion}.json`);
    }
  });

  test('the contract shapes are enforced: a completed qualification pairs outcome with class or reason', () => {
    const qualificationId = '019b76da-a800-7000-8000-000000720001';
    const leadId = '019b76da-a800-7000-8000-000000710001';
    const draft = (payload: object) => ({ type: 'qualification.completed', schemaVersion: 1, payload });
    expect(() =>
      leadPipelineEventRegistry.validateDraft(
        draft({ qualificationId, leadId, outcome: 'qualified', opportunityClass: null, reason: null }),
      ),
    ).toThrow(/payload.outcome/);
    expect(() =>
      leadPipelineEventRegistry.validateDraft(
        draft({ qualificationId, leadId, outcome: 'disqualified', opportunityClass: null, reason: 'x' }),
      ),
    ).not.toThrow();
  });

  test('probabilities are basis points 0–10000 and money is integer minor units', () => {
    const opportunityId = '019b76da-a800-7000-8000-000000730001';
    expect(() =>
      leadPipelineEventRegistry.validateDraft({
        type: 'opportunity.probability_changed',
        schemaVersion: 1,
        payload: { opportunityId, probabilityBp: 10_001, previous: 0 },
      }),
    ).toThrow(/payload.probabilityBp/);
    expect(() =>
      leadPipelineEventRegistry.validateDraft({
        type: 'opportunity.value_changed',
        schemaVersion: 1,
        payload: {
          opportunityId,
          estimatedValue: { amountMinor: 1.5, currency: 'EUR' },
          previous: { amountMinor: 0, currency: 'EUR' },
        },
      }),
    ).toThrow(/payload.estimatedValue/);
  });
});

describe('commercial events (lead pipeline + quoting)', () => {
  test('every fixture in the shared folder decodes with the combined registry, and none is missing', () => {
    const all = Object.fromEntries(
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]),
    );
    expect(Object.keys(all).length).toBe(commercialEventDefinitions.length);
    expect(decodeFixtures(commercialEventRegistry, all)).toEqual([]);
    expect(missingFixtures(commercialEventRegistry, all)).toEqual([]);
  });
});
