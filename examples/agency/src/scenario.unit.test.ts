import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.js';
import { companyCsv, DEFAULT_SEED, generateScenario, QUARTER, type StoryStep } from './scenario.js';

const seeds = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const sizes = fc.constantFrom(0.1, 0.2, 0.5, 1, 2);
// Each run generates a whole quarter (up to 300 leads): fewer runs than the default keep this fast.
const RUNS = { numRuns: 20 };

/** What may follow each step in a story (the commands' lifecycles as the example drives them). */
const NEXT: Readonly<Record<StoryStep['kind'] | 'start', readonly StoryStep['kind'][]>> = {
  start: ['qualification_started'],
  qualification_started: ['qualified', 'disqualified'],
  qualified: ['opportunity_created'],
  disqualified: [],
  opportunity_created: ['quote_created'],
  quote_created: ['quote_sent'],
  quote_sent: ['quote_revised', 'quote_rejected', 'quote_accepted'],
  quote_revised: ['quote_rejected', 'quote_accepted'],
  quote_rejected: ['opportunity_lost'],
  opportunity_lost: [],
  quote_accepted: [],
};

describe('generateScenario', () => {
  test.prop([seeds, sizes], RUNS)(
    'every story is a valid lifecycle, in time order, inside the quarter',
    (seed, size) => {
      for (const lead of generateScenario({ seed, size }).leads) {
        expect(lead.createdAt).toBeGreaterThanOrEqual(QUARTER.start);
        let previous: StoryStep['kind'] | 'start' = 'start';
        let at = lead.createdAt;
        for (const step of lead.steps) {
          expect(NEXT[previous]).toContain(step.kind);
          expect(step.at).toBeGreaterThan(at);
          expect(step.at).toBeLessThan(QUARTER.end);
          previous = step.kind;
          at = step.at;
        }
        // A rejected quote always comes with its lost opportunity (both or neither).
        expect(previous).not.toBe('quote_rejected');
      }
    },
  );

  test.prop([seeds, sizes], RUNS)(
    'quote lines are whole hours at integer rates, so totals are exact',
    (seed, size) => {
      for (const lead of generateScenario({ seed, size }).leads) {
        for (const step of lead.steps) {
          if (step.kind !== 'quote_created' && step.kind !== 'quote_revised') continue;
          for (const l of step.lines) {
            expect(l.minutes % 60).toBe(0);
            expect(Number.isInteger(l.sellRateMinor) && l.sellRateMinor > l.costRateMinor).toBe(true);
          }
        }
      }
    },
  );

  test.prop([seeds, sizes], RUNS)(
    'at most one double accept, and duplicates in the CSV follow their original',
    (seed, size) => {
      const s = generateScenario({ seed, size });
      const doubles = s.leads.filter((l) => l.steps.some((x) => x.kind === 'quote_accepted' && x.concurrent));
      expect(doubles.length).toBeLessThanOrEqual(1);
      s.companyRows.forEach((row, i) => {
        if (row.badReason !== 'DUPLICATE_IN_FILE') return;
        const original = s.companyRows.findIndex((r) => r.line === row.line && r.badReason === null);
        expect(original).toBeGreaterThanOrEqual(0);
        expect(original).toBeLessThan(i);
      });
      expect(companyCsv(s).split('\n')).toHaveLength(s.companyRows.length + 2);
    },
  );

  test.prop([seeds], RUNS)('the same seed gives the same quarter', (seed) => {
    expect(generateScenario({ seed, size: 0.2 })).toEqual(generateScenario({ seed, size: 0.2 }));
  });

  it('the default size has 150 leads, 60 companies, 4 bad rows and one double accept', () => {
    const s = generateScenario({ seed: DEFAULT_SEED, size: 1 });
    expect(s.leads).toHaveLength(150);
    expect(s.companyRows.filter((r) => r.badReason === null)).toHaveLength(60);
    expect(s.companyRows.filter((r) => r.badReason !== null)).toHaveLength(4);
    expect(
      s.leads.filter((l) => l.steps.some((x) => x.kind === 'quote_accepted' && x.concurrent)),
    ).toHaveLength(1);
  });
});

describe('createPrng', () => {
  test.prop([seeds, fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 100 })])(
    'int stays within its bounds',
    (seed, min, span) => {
      const rng = createPrng(seed);
      for (let i = 0; i < 50; i++) {
        const n = rng.int(min, min + span);
        expect(n >= min && n <= min + span && Number.isInteger(n)).toBe(true);
      }
    },
  );
});
