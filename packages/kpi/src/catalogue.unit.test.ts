import { describe, expect, it } from 'vitest';
import { catalogueV1 } from './catalogue.js';
import { createKpiEngine, type KpiResult } from './engine.js';
import { at, type EventSpec, emp, eur, orgVersionOf, stream, team, utc, uuid } from './test-support.test.js';

const lead = (n: number): string => uuid(0x1000 + n);
const opp = (n: number): string => uuid(0x2000 + n);
const quote = (n: number): string => uuid(0x3000 + n);
const DAY = 1440;

async function compute(specs: readonly EventSpec[], key: string): Promise<KpiResult[]> {
  const engine = createKpiEngine({
    definitions: catalogueV1({ currency: 'EUR', scopes: ['org'] }),
    orgTimeZone: 'Europe/Berlin',
  });
  const state = await engine.run(engine.initialState(), stream(specs));
  return engine.results(state).filter((r) => r.definitionKey === key);
}

const pick = (rows: readonly KpiResult[]) =>
  rows.map((r) => ({
    period: r.periodStart,
    value: r.value,
    numerator: r.numerator,
    denominator: r.denominator,
    classification: r.classification,
  }));

describe('catalogue v1 on hand-built streams', () => {
  it('lead → opportunity conversion counts each lead cohort in its creation month', async () => {
    const rows = await compute(
      [
        { type: 'lead.created', at: at(0), payload: { leadId: lead(1) } },
        { type: 'lead.created', at: at(10), payload: { leadId: lead(2) } },
        { type: 'lead.created', at: at(20), payload: { leadId: lead(3) } },
        { type: 'lead.created', at: at(30), payload: { leadId: lead(4) } },
        { type: 'opportunity.created', at: at(2 * DAY), payload: { opportunityId: opp(1), leadId: lead(1) } },
        { type: 'lead.disqualified', at: at(3 * DAY), payload: { leadId: lead(2), reason: 'no budget' } },
        { type: 'lead.created', at: at(40 * DAY), payload: { leadId: lead(5) } },
        // Lead 3 converts in February: still January's cohort. An unknown lead converts nothing.
        {
          type: 'opportunity.created',
          at: at(41 * DAY),
          payload: { opportunityId: opp(3), leadId: lead(3) },
        },
        {
          type: 'opportunity.created',
          at: at(42 * DAY),
          payload: { opportunityId: opp(9), leadId: lead(99) },
        },
        // A second opportunity of lead 1 does not count it twice.
        {
          type: 'opportunity.created',
          at: at(43 * DAY),
          payload: { opportunityId: opp(4), leadId: lead(1) },
        },
      ],
      'sales.lead-conversion',
    );
    // January: leads 1–4 created, 1 and 3 reached an opportunity: 2 / 4 = 5000 bp ≥ 3000 → good.
    // February: lead 5 created, none converted: 0 / 1 = 0 bp < 1500 → breach.
    expect(pick(rows)).toEqual([
      { period: '2026-01-01', value: 5000, numerator: 2, denominator: 4, classification: 'good' },
      { period: '2026-02-01', value: 0, numerator: 0, denominator: 1, classification: 'breach' },
    ]);
    expect(rows[0]?.contributingEventCount).toBe(6); // 4 leads + 2 conversions
  });

  it('time to qualification averages lead.qualified − lead.created in minutes', async () => {
    const rows = await compute(
      [
        { type: 'lead.created', at: at(0), payload: { leadId: lead(1) } },
        { type: 'lead.created', at: at(60), payload: { leadId: lead(2) } },
        { type: 'lead.qualified', at: at(2 * DAY), payload: { leadId: lead(1), opportunityClass: 'gold' } },
        {
          type: 'lead.qualified',
          at: at(60 + DAY + 30),
          payload: { leadId: lead(2), opportunityClass: 'silver' },
        },
      ],
      'sales.time-to-qualification',
    );
    // (2880 + 1470) / 2 = 2175 minutes ≤ 7200 → good.
    expect(pick(rows)).toEqual([
      { period: '2026-01-01', value: 2175, numerator: 4350, denominator: 2, classification: 'good' },
    ]);
  });

  it('disqualification rate is disqualified ÷ decided leads per decision month', async () => {
    const decided = (type: string, n: number, minutes: number): EventSpec => ({
      type,
      at: at(minutes),
      payload: { leadId: lead(n) },
    });
    const rows = await compute(
      [
        decided('lead.qualified', 1, 10),
        decided('lead.qualified', 2, 20),
        decided('lead.qualified', 3, 30),
        decided('lead.disqualified', 4, 40),
        decided('lead.disqualified', 5, 40 * DAY),
        decided('lead.disqualified', 6, 41 * DAY),
        decided('lead.qualified', 7, 42 * DAY),
      ],
      'sales.disqualification-rate',
    );
    // January 1 / 4 = 2500 bp ≤ 5000 → good; February 2 / 3 = 6666.67 → 6667 bp, ≤ 7000 → warning.
    expect(pick(rows)).toEqual([
      { period: '2026-01-01', value: 2500, numerator: 1, denominator: 4, classification: 'good' },
      { period: '2026-02-01', value: 6667, numerator: 2, denominator: 3, classification: 'warning' },
    ]);
  });

  it('win rate overall and by class', async () => {
    const closed = (type: string, n: number, cls: string): EventSpec => ({
      type,
      at: at(n * 60),
      payload: { opportunityId: opp(n), opportunityClass: cls },
    });
    const specs = [
      closed('opportunity.won', 1, 'gold'),
      closed('opportunity.won', 2, 'silver'),
      closed('opportunity.lost', 3, 'gold'),
      closed('opportunity.lost', 4, 'bronze'),
      closed('opportunity.lost', 5, 'gold'),
    ];
    // Overall 2 / 5 = 4000 bp (good); gold 1 / 3 = 3333 (warning); silver 1 / 1 (good); bronze 0 / 1 (breach).
    expect(pick(await compute(specs, 'sales.win-rate'))).toEqual([
      { period: '2026-01-01', value: 4000, numerator: 2, denominator: 5, classification: 'good' },
    ]);
    expect(pick(await compute(specs, 'sales.win-rate.gold'))).toEqual([
      { period: '2026-01-01', value: 3333, numerator: 1, denominator: 3, classification: 'warning' },
    ]);
    expect(pick(await compute(specs, 'sales.win-rate.silver'))).toEqual([
      { period: '2026-01-01', value: 10000, numerator: 1, denominator: 1, classification: 'good' },
    ]);
    expect(pick(await compute(specs, 'sales.win-rate.bronze'))).toEqual([
      { period: '2026-01-01', value: 0, numerator: 0, denominator: 1, classification: 'breach' },
    ]);
  });

  it('average time to quote uses the first quote.sent of each opportunity', async () => {
    const rows = await compute(
      [
        { type: 'opportunity.created', at: at(0), payload: { opportunityId: opp(1), leadId: lead(1) } },
        { type: 'opportunity.created', at: at(DAY), payload: { opportunityId: opp(2), leadId: lead(2) } },
        { type: 'quote.sent', at: at(DAY + 120), payload: { quoteId: quote(2), opportunityId: opp(2) } },
        { type: 'quote.sent', at: at(3 * DAY), payload: { quoteId: quote(1), opportunityId: opp(1) } },
        { type: 'quote.sent', at: at(10 * DAY), payload: { quoteId: quote(3), opportunityId: opp(1) } },
      ],
      'sales.time-to-quote',
    );
    // (120 + 4320) / 2 = 2220 minutes ≤ 7200 → good; the second quote of opportunity 1 is ignored.
    expect(pick(rows)).toEqual([
      { period: '2026-01-01', value: 2220, numerator: 4440, denominator: 2, classification: 'good' },
    ]);
  });

  it('time to acceptance runs from the first quote.sent of the quote', async () => {
    const rows = await compute(
      [
        { type: 'quote.sent', at: at(0), payload: { quoteId: quote(1), opportunityId: opp(1) } },
        { type: 'quote.sent', at: at(DAY), payload: { quoteId: quote(2), opportunityId: opp(2) } },
        { type: 'quote.sent', at: at(2 * DAY), payload: { quoteId: quote(1), opportunityId: opp(1) } },
        { type: 'quote.accepted', at: at(DAY + 90), payload: { quoteId: quote(2), totalSell: eur(100) } },
        { type: 'quote.accepted', at: at(5 * DAY), payload: { quoteId: quote(1), totalSell: eur(100) } },
      ],
      'sales.time-to-acceptance',
    );
    // (90 + 7200) / 2 = 3645 minutes ≤ 20160 → good.
    expect(pick(rows)).toEqual([
      { period: '2026-01-01', value: 3645, numerator: 7290, denominator: 2, classification: 'good' },
    ]);
  });

  it('probability-weighted pipeline value is the level of open opportunities at each month end', async () => {
    const rows = await compute(
      [
        {
          type: 'opportunity.created',
          at: utc('2026-01-10T10:00:00'),
          payload: { opportunityId: opp(1), estimatedValue: eur(100_000), probabilityBp: 5000 },
        },
        {
          type: 'opportunity.created',
          at: utc('2026-01-20T10:00:00'),
          payload: { opportunityId: opp(2), estimatedValue: eur(30_000), probabilityBp: 2500 },
        },
        {
          type: 'opportunity.probability_changed',
          at: utc('2026-02-05T10:00:00'),
          payload: { opportunityId: opp(1), probabilityBp: 8000, previous: 5000 },
        },
        {
          type: 'opportunity.lost',
          at: utc('2026-03-03T10:00:00'),
          payload: { opportunityId: opp(2), opportunityClass: 'gold', reason: 'price' },
        },
        {
          type: 'opportunity.created',
          at: utc('2026-03-10T10:00:00'),
          payload: {
            opportunityId: opp(3),
            estimatedValue: { amountMinor: 999, currency: 'USD' },
            probabilityBp: 9000,
          },
        },
        {
          type: 'opportunity.value_changed',
          at: utc('2026-05-02T10:00:00'),
          payload: { opportunityId: opp(1), estimatedValue: eur(200_000), previous: eur(100_000) },
        },
      ],
      'sales.weighted-pipeline',
    );
    // Jan: 100000×50% + 30000×25% = 57500; Feb: 80000 + 7500 = 87500; Mar: opportunity 2 lost → 80000
    // (the USD one weighs nothing in EUR); Apr: no change → 80000; May: 200000×80% = 160000.
    expect(rows.map((r) => [r.periodStart, r.value])).toEqual([
      ['2026-01-01', 57_500],
      ['2026-02-01', 87_500],
      ['2026-03-01', 80_000],
      ['2026-04-01', 80_000],
      ['2026-05-01', 160_000],
    ]);
    expect(rows.every((r) => r.classification === 'unclassified')).toBe(true);
  });

  it('sold value sums quote.accepted totalSell per month in the organisation time zone', async () => {
    const accepted = (
      n: number,
      when: string,
      amount: { amountMinor: number; currency: string },
    ): EventSpec => ({
      type: 'quote.accepted',
      at: utc(when),
      payload: { quoteId: quote(n), totalSell: amount },
    });
    const rows = await compute(
      [
        accepted(1, '2026-01-05T09:00:00', eur(120_000)),
        accepted(2, '2026-01-06T09:00:00', eur(30_000)),
        accepted(3, '2026-01-07T09:00:00', { amountMinor: 50_000, currency: 'USD' }),
        // 22:30 UTC on 31 March is 00:30 on 1 April in Berlin (CEST, UTC+2).
        accepted(4, '2026-03-31T22:30:00', eur(10_000)),
      ],
      'sales.sold-value',
    );
    // January 120000 + 30000 = 150000 (USD not converted, not counted); April 10000; nothing in March.
    expect(rows.map((r) => [r.periodStart, r.periodEnd, r.value])).toEqual([
      ['2026-01-01', '2026-01-31', 150_000],
      ['2026-04-01', '2026-04-30', 10_000],
    ]);
  });
});

describe('team scope (scenario 7)', () => {
  const v1 = orgVersionOf(1, utc('2026-01-01T00:00:00'), [[emp(1), team(1)]]);
  const v2 = orgVersionOf(2, utc('2026-07-01T00:00:00'), [[emp(1), team(2)]]);
  const specs: EventSpec[] = [
    {
      type: 'quote.accepted',
      at: utc('2026-02-10T10:00:00'),
      actor: emp(1),
      payload: { quoteId: quote(1), totalSell: eur(500) },
    },
    {
      type: 'quote.accepted',
      at: utc('2026-08-10T10:00:00'),
      actor: emp(1),
      payload: { quoteId: quote(2), totalSell: eur(700) },
    },
  ];
  const run = async (versions: readonly ReturnType<typeof orgVersionOf>[]): Promise<KpiResult[]> => {
    const engine = createKpiEngine({
      definitions: catalogueV1({ currency: 'EUR', scopes: ['team'], period: 'quarter' }),
      orgTimeZone: 'UTC',
      orgVersions: versions,
    });
    const state = await engine.run(engine.initialState(), stream(specs));
    return engine.results(state).filter((r) => r.definitionKey === 'sales.sold-value.by-team');
  };

  it('uses the org version valid at each event; a new version leaves earlier periods identical', async () => {
    const before = await run([v1]);
    const after = await run([v1, v2]);
    expect(after.map((r) => [r.scopeId, r.periodStart, r.value, r.orgStructureVersion])).toEqual([
      [team(1), '2026-01-01', 500, 1],
      [team(2), '2026-07-01', 700, 2],
    ]);
    const q1 = (rows: KpiResult[]) => rows.filter((r) => r.periodStart === '2026-01-01');
    expect(q1(after)).toEqual(q1(before));
    expect(before.find((r) => r.periodStart === '2026-07-01')?.scopeId).toBe(team(1));
  });

  it('a payload teamId wins over the actor’s team; events with no resolvable team are not counted', async () => {
    const engine = createKpiEngine({
      definitions: catalogueV1({ currency: 'EUR', scopes: ['team'] }),
      orgTimeZone: 'UTC',
      orgVersions: [v1],
    });
    const events = stream([
      { type: 'lead.created', at: at(0), actor: emp(1), payload: { leadId: lead(1), teamId: team(7) } },
      { type: 'lead.created', at: at(1), actor: emp(2), payload: { leadId: lead(2), teamId: null } },
      { type: 'lead.created', at: at(2), actor: null, payload: { leadId: lead(3), teamId: null } },
    ]);
    const state = await engine.run(engine.initialState(), events);
    const rows = engine.results(state).filter((r) => r.definitionKey === 'sales.lead-conversion.by-team');
    expect(rows.map((r) => [r.scopeId, r.denominator])).toEqual([[team(7), 1]]);
  });

  it('a member of several teams counts once per team and once per department', async () => {
    // Given employee 1 in teams 1 and 2 (department 1) and team 3 (department 3); employee 2 in team 2 only.
    const org = orgVersionOf(
      1,
      utc('2025-01-01T00:00:00'),
      [
        [emp(1), team(1)],
        [emp(1), team(2)],
        [emp(1), team(3)],
        [emp(2), team(2)],
      ],
      { [team(1)]: null, [team(2)]: team(1), [team(3)]: null },
    );
    const engine = createKpiEngine({
      definitions: catalogueV1({ currency: 'EUR', scopes: ['team', 'department'] }),
      orgTimeZone: 'UTC',
      orgVersions: [org],
    });
    // When each creates leads (employee 1 twice: the same list of teams on every event).
    const state = await engine.run(
      engine.initialState(),
      stream([
        { type: 'lead.created', at: at(0), actor: emp(1), payload: { leadId: lead(1) } },
        { type: 'lead.created', at: at(1), actor: emp(2), payload: { leadId: lead(2) } },
        { type: 'lead.created', at: at(2), actor: emp(1), payload: { leadId: lead(3) } },
      ]),
    );
    const denominators = (key: string) =>
      engine
        .results(state)
        .filter((r) => r.definitionKey === key)
        .map((r) => [r.scopeId, r.denominator]);
    // Then every team of the actor counts the lead, and a department counts it once however many of its teams do.
    expect(denominators('sales.lead-conversion.by-team')).toEqual(
      [
        [team(1), 2],
        [team(2), 3],
        [team(3), 2],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(denominators('sales.lead-conversion.by-department')).toEqual(
      [
        [team(1), 3],
        [team(3), 2],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });
});
