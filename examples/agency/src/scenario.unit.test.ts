import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.js';
import { companyCsv, DEFAULT_SEED, generateScenario, QUARTER, type StoryStep } from './scenario.js';
import { WORKDAY, zonedInstant } from './scenario-execute.js';

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

describe('generateScenario: the quarter after acceptance', () => {
  test.prop([seeds, sizes], RUNS)(
    'every sale has a project whose steps are in time order, after its acceptance and inside the quarter; tasks start before their work and complete after it',
    (seed, size) => {
      const s = generateScenario({ seed, size });
      const x = s.execute;
      const accepted = s.leads.filter((l) => l.steps.some((st) => st.kind === 'quote_accepted'));
      expect(x.projects.map((p) => p.leadIndex).sort()).toEqual(accepted.map((l) => l.index).sort());
      for (const p of x.projects) {
        let at = p.acceptedAt;
        for (const a of p.actions) {
          expect(a.at).toBeGreaterThan(at - 1);
          expect(a.at).toBeLessThan(QUARTER.end);
          at = a.at;
        }
        const when = (kind: string, taskIndex?: number) =>
          p.actions.findIndex(
            (a) =>
              a.kind === kind && (taskIndex === undefined || ('taskIndex' in a && a.taskIndex === taskIndex)),
          );
        for (const t of p.tasks) {
          const work = p.actions.flatMap((a, i) =>
            a.kind === 'entry' && x.entries[a.entryIndex]!.taskIndex === t.index ? [i] : [],
          );
          if (work.length === 0) continue;
          expect(when('task_start', t.index)).toBeLessThan(Math.min(...work));
          const done = when('task_complete', t.index);
          if (done !== -1) expect(done).toBeGreaterThan(Math.max(...work));
        }
        if (p.finalState === 'completed') expect(p.actions.at(-1)?.kind).toBe('close');
        if (when('activate') !== -1) expect(when('activate')).toBeGreaterThan(when('plan'));
      }
      expect(x.projects.filter((p) => p.overrun === 'change_order').length).toBeLessThanOrEqual(1);
      expect(x.projects.filter((p) => p.overrun === 'write_off').length).toBeLessThanOrEqual(1);
    },
  );

  test.prop([seeds, sizes], RUNS)(
    'nobody logs more than a working day, on a weekend or on leave, and entries of one person never overlap',
    (seed, size) => {
      const x = generateScenario({ seed, size }).execute;
      const day = new Map<string, number>();
      const byPerson = new Map<string, { start: number; end: number }[]>();
      for (const e of x.entries) {
        const key = `${e.employeeKey}|${e.date}`;
        day.set(key, (day.get(key) ?? 0) + e.minutes);
        expect(new Date(e.start).getUTCDay() % 6).not.toBe(0);
        expect(
          x.leave.some((l) => l.employeeKey === e.employeeKey && l.from <= e.date && e.date <= l.to),
        ).toBe(false);
        const list = byPerson.get(e.employeeKey) ?? [];
        list.push({ start: e.start, end: e.start + e.minutes * 60_000 });
        byPerson.set(e.employeeKey, list);
      }
      for (const minutes of day.values()) expect(minutes).toBeLessThanOrEqual(WORKDAY.minutes);
      for (const list of byPerson.values()) {
        list.sort((a, b) => a.start - b.start);
        for (let i = 1; i < list.length; i++) expect(list[i]!.start).toBeGreaterThanOrEqual(list[i - 1]!.end);
      }
      // Adjustments keep net minutes positive and come after the entry they correct.
      for (const a of x.adjustments) {
        const e = x.entries[a.entryIndex]!;
        expect(a.at).toBeGreaterThan(e.start + e.minutes * 60_000);
        if (a.change.kind === 'duration_delta') expect(e.minutes + a.change.deltaMinutes).toBeGreaterThan(0);
      }
    },
  );

  test.prop([seeds, sizes], RUNS)(
    'every desk ticket is created, answered, resolved and closed in that order (a pause between), and the scheduler runs hourly while one is open',
    (seed, size) => {
      const d = generateScenario({ seed, size }).execute.support;
      for (const t of d.tickets) {
        const order = [t.createdAt, t.respondedAt, t.pendingAt, t.resumedAt, t.resolvedAt, t.closedAt].filter(
          (v): v is number => v !== null,
        );
        expect([...order].sort((a, b) => a - b)).toEqual(order);
        expect(t.closedAt).toBeLessThan(QUARTER.end);
        // Answered well inside the 48-minute warning of the response target.
        expect(t.respondedAt - t.createdAt).toBeLessThanOrEqual(20 * 60_000);
      }
      expect(d.tickets.filter((t) => t.story === 'breach')).toHaveLength(1);
      for (const e of d.evaluations) expect(e % 3_600_000).toBe(0);
    },
  );

  it('at the default seed, the overruns complete (sizes 0.2 and 1), and the breach ticket spans New Zealand’s DST change', () => {
    for (const size of [0.2, 1]) {
      const x = generateScenario({ seed: DEFAULT_SEED, size }).execute;
      for (const kind of ['change_order', 'write_off'] as const)
        expect(x.projects.find((p) => p.overrun === kind)?.finalState).toBe('completed');
      expect(x.adjustments).toHaveLength(3);
      expect(x.refusedEdit).not.toBeNull();
      const breach = x.support.tickets.find((t) => t.story === 'breach')!;
      const change = zonedInstant('Pacific/Auckland', '2026-09-27', 3 * 60); // 03:00 NZDT, just after the jump
      expect(breach.createdAt).toBeLessThan(change);
      expect(breach.resolvedAt).toBeGreaterThan(change);
    }
  });

  it('zonedInstant reads the zone’s offset on each side of a DST change', () => {
    expect(zonedInstant('Pacific/Auckland', '2026-09-25', 14 * 60)).toBe(Date.UTC(2026, 8, 25, 2));
    expect(zonedInstant('Pacific/Auckland', '2026-09-29', 14 * 60)).toBe(Date.UTC(2026, 8, 29, 1));
    expect(zonedInstant('Europe/Berlin', '2026-07-01', 9 * 60)).toBe(Date.UTC(2026, 6, 1, 7));
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
