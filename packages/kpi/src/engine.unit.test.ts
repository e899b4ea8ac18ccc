import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fc, test } from '@fast-check/vitest';
import { divideRounded, type Instant, isPetError, type StoredEvent } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { type PeriodGrid, periodOf } from './calendar.js';
import { catalogueV1 } from './catalogue.js';
import { checkpointDeltaText } from './checkpoints.js';
import { defineKpi, type KpiDefinitionVersion } from './definition.js';
import { type Contribution, createKpiEngine, type KpiResult, parseResultId } from './engine.js';
import {
  at,
  type EventSpec,
  emp,
  intlLocalDate,
  orgVersionOf,
  stream,
  team,
  utc,
  uuid,
} from './test-support.test.js';

const orgVersions = [
  orgVersionOf(1, utc('2026-01-01T00:00:00'), [
    [emp(1), team(1)],
    [emp(2), team(1)],
    [emp(3), team(2)],
  ]),
  orgVersionOf(
    2,
    utc('2026-06-01T00:00:00'),
    [
      [emp(1), team(2)],
      [emp(2), team(1)],
      [emp(3), team(3)],
    ],
    { [team(3)]: team(2) },
  ),
];

const extra: KpiDefinitionVersion[] = [
  {
    key: 'test.p90-sold',
    version: 1,
    name: 'P90 sold value',
    description: '',
    unit: 'money_minor',
    aggregation: 'percentile',
    percentile: 90,
    scope: 'customer',
    period: 'week',
    measure: {
      kind: 'events',
      eventTypes: ['quote.accepted'],
      value: { path: 'payload.totalSell', currency: 'EUR' },
    },
    target: null,
    thresholds: { direction: 'higher_is_better', good: 5000, warning: 1000 },
  },
  {
    key: 'test.gold-leads',
    version: 1,
    name: 'Gold qualifications',
    description: '',
    unit: 'count',
    aggregation: 'count',
    scope: 'employee',
    period: 'day',
    measure: {
      kind: 'events',
      eventTypes: ['lead.qualified'],
      where: [{ path: 'payload.opportunityClass', in: ['gold'] }],
    },
    target: null,
    thresholds: null,
  },
];

const definitionsFor = (period: PeriodGrid): KpiDefinitionVersion[] => [
  ...catalogueV1({ currency: 'EUR', scopes: ['org', 'team', 'department', 'employee', 'customer'], period }),
  ...extra,
];

/** An entity reference: mostly a canonical UUID, sometimes a key the engine keeps as text (uppercase, or not a UUID at all). */
const ref = (kind: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom('uuid', 'uuid', 'uuid', 'upper', 'text'))
    .map(([n, form]) => {
      const id = uuid(kind * 0x1000 + n);
      return form === 'uuid' ? id : form === 'upper' ? id.toUpperCase() : `ref-${kind}-${n}`;
    });
const money = fc.record({
  amountMinor: fc.integer({ min: 0, max: 1_000_000 }),
  currency: fc.constantFrom('EUR', 'EUR', 'USD'),
});
const cls = fc.constantFrom('gold', 'silver', 'bronze');

const eventArb: fc.Arbitrary<EventSpec> = fc
  .tuple(
    fc.oneof(
      fc.record({
        type: fc.constant('lead.created'),
        payload: fc.record({ leadId: ref(1), teamId: fc.option(fc.constant(team(9)), { nil: null }) }),
      }),
      fc.record({
        type: fc.constant('lead.qualified'),
        payload: fc.record({ leadId: ref(1), opportunityClass: cls }),
      }),
      fc.record({
        type: fc.constant('lead.disqualified'),
        payload: fc.record({ leadId: ref(1), reason: fc.constant('x') }),
      }),
      fc.record({
        type: fc.constant('opportunity.created'),
        payload: fc.record({
          opportunityId: ref(2),
          leadId: ref(1),
          estimatedValue: money,
          probabilityBp: fc.integer({ min: 0, max: 10_000 }),
        }),
      }),
      fc.record({
        type: fc.constant('opportunity.probability_changed'),
        payload: fc.record({ opportunityId: ref(2), probabilityBp: fc.integer({ min: 0, max: 10_000 }) }),
      }),
      fc.record({
        type: fc.constant('opportunity.value_changed'),
        payload: fc.record({ opportunityId: ref(2), estimatedValue: money }),
      }),
      fc.record({
        type: fc.constantFrom('opportunity.won', 'opportunity.lost'),
        payload: fc.record({ opportunityId: ref(2), opportunityClass: cls }),
      }),
      fc.record({
        type: fc.constant('quote.sent'),
        payload: fc.record({ quoteId: ref(3), opportunityId: ref(2) }),
      }),
      fc.record({
        type: fc.constant('quote.accepted'),
        payload: fc.record({ quoteId: ref(3), totalSell: money }),
      }),
    ),
    // Up to two years, not in time order: late events and window expiry happen.
    fc.integer({ min: -10 * 1440, max: 800 * 1440 }),
    fc.option(fc.integer({ min: 1, max: 4 }).map(emp), { nil: null }),
    fc.option(fc.constantFrom(uuid(0x7001), uuid(0x7002)), { nil: undefined }),
  )
  .map(([e, minutes, actor, customerId]) => ({
    type: e.type,
    payload: e.payload,
    at: at(minutes),
    actor,
    ...(customerId === undefined ? {} : { customerId }),
  }));

describe('replay', () => {
  test.prop([fc.array(eventArb, { maxLength: 120 }), fc.constantFrom<PeriodGrid>('day', 'month')], {
    numRuns: 60,
  })(
    'each contribution reports its share: the shares of a result’s events sum to its numerator and denominator',
    async (specs, period) => {
      const engine = createKpiEngine({
        definitions: definitionsFor(period),
        orgTimeZone: 'UTC',
        orgVersions,
      });
      const seen: Contribution[] = [];
      const state = engine.initialState();
      for (const e of stream(specs)) engine.apply(state, e, (c) => seen.push(c));
      for (const r of engine.results(state)) {
        if (r.definitionKey.startsWith('test.p90')) continue; // a percentile is a rank, not a sum
        const vid = `${r.definitionKey}@${r.definitionVersion}`;
        const prefix = `${vid}/${r.scopeType}:${r.scopeId}/`;
        const mine = engine.carriesForward(vid)
          ? seen.filter(
              (c) => c.resultId.startsWith(prefix) && c.resultId.slice(prefix.length) <= r.periodStart,
            )
          : seen.filter((c) => c.resultId === r.id);
        expect(mine.reduce((s, c) => s + (c.numerator ?? 0), 0)).toBe(r.numerator);
        expect(mine.reduce((s, c) => s + (c.denominator ?? 0), 0)).toBe(r.denominator ?? 0);
      }
    },
    60_000,
  );

  test.prop(
    [
      fc.array(eventArb, { maxLength: 120 }),
      fc.nat(),
      fc.nat({ max: 5 }),
      fc.constantFrom<PeriodGrid>('day', 'week', 'month', 'quarter'),
    ],
    { numRuns: 150 },
  )(
    'full rebuild ≡ catch-up from a serialised checkpoint, for any split (and re-reads are harmless)',
    async (specs, cut, overlap, period) => {
      const engine = createKpiEngine({
        definitions: definitionsFor(period),
        orgTimeZone: 'America/New_York',
        orgVersions,
      });
      const events = stream(specs);
      const split = events.length === 0 ? 0 : cut % (events.length + 1);
      const full = await engine.run(engine.initialState(), events);

      const head = await engine.run(engine.initialState(), events.slice(0, split));
      const saved = JSON.parse(JSON.stringify(engine.checkpoint(head)));
      // Catch-up re-reads a few events it already has: they are ignored by position.
      const resumed = await engine.run(engine.restore(saved), events.slice(Math.max(0, split - overlap)));

      expect(engine.results(resumed)).toEqual(engine.results(full));
      expect(engine.checkpoint(resumed)).toEqual(engine.checkpoint(full));
      // The streamed form is the same checkpoint, one tuple per line, and restores piece by piece
      // however its text is cut; the one-line form of earlier releases restores too.
      const text = [...engine.checkpointJson(full)].join('');
      const expected = engine.checkpoint(full);
      expect(JSON.parse(text)).toEqual(expected);
      expect(text.split('\n')).toHaveLength(expected.cells.length + expected.entities.length + 3);
      const at = cut % (text.length + 1);
      const fromPieces = await engine.restoreJson(
        (async function* () {
          yield text.slice(0, at);
          yield text.slice(at);
        })(),
      );
      expect(engine.checkpoint(fromPieces)).toEqual(expected);
      expect(engine.results(fromPieces)).toEqual(engine.results(full));
      const oneLine = JSON.stringify(expected);
      const fromOneLine = await engine.restoreJson([oneLine.slice(0, at), oneLine.slice(at)]);
      expect(engine.checkpoint(fromOneLine)).toEqual(expected);
    },
    60_000, // generous: the shared CI machines are slow
  );

  test.prop(
    [
      fc.array(eventArb, { maxLength: 120 }),
      fc.nat(),
      fc.nat(),
      fc.constantFrom<PeriodGrid>('day', 'week', 'month', 'quarter'),
    ],
    { numRuns: 120 },
  )(
    'a catch-up restoring only what its events read has the whole state’s changed results and delta, with or without a delta chain',
    async (specs, cut, cut2, period) => {
      const engine = createKpiEngine({
        definitions: definitionsFor(period),
        orgTimeZone: 'Europe/London',
        orgVersions,
      });
      const events = stream(specs);
      const split = events.length === 0 ? 0 : cut % (events.length + 1);
      const mid = split + (events.length - split === 0 ? 0 : cut2 % (events.length - split + 1));
      const head = await engine.run(engine.initialState(), events.slice(0, split));
      const text = [...engine.checkpointJson(head)].join('');
      const base = head.watermark;
      const pieces = () => [text.slice(0, cut % (text.length + 1)), text.slice(cut % (text.length + 1))];
      const tail = events.slice(split);

      const whole = await engine.run(await engine.restoreJson([text]), tail);
      const partial = await engine.catchUpJson(pieces, [], tail);
      expect(partial.watermark).toBe(whole.watermark);
      expect(engine.resultsSince(partial, base)).toEqual(engine.resultsSince(whole, base));
      expect(engine.checkpointDelta(partial)).toEqual(engine.checkpointDelta(whole));

      // Through a chain: the events up to `mid` stored as a delta, the rest caught up partially.
      await engine.run(head, events.slice(split, mid));
      const delta = JSON.parse(JSON.stringify(engine.checkpointDelta(head)));
      const rest = events.slice(mid);
      const wholeChained = await engine.run(await engine.restoreJson([text], [delta]), rest);
      const partialChained = await engine.catchUpJson(pieces, [delta], rest);
      // The deltas may also come as they are read, afresh for each pass.
      // As its text, in the line layout (a pass parses only the lines it keeps) or on one line.
      const deltaText = checkpointDeltaText(delta);
      expect(JSON.parse(deltaText)).toEqual(delta);
      const partialReading = await engine.catchUpJson(
        pieces,
        async function* () {
          yield deltaText;
        },
        rest,
      );
      const partialOneLine = await engine.catchUpJson(pieces, () => [JSON.stringify(delta)], rest);
      const changed = engine.resultsSince(wholeChained, head.watermark);
      expect(engine.resultsSince(partialChained, head.watermark)).toEqual(changed);
      expect(engine.resultsSince(partialReading, head.watermark)).toEqual(changed);
      expect(engine.resultsSince(partialOneLine, head.watermark)).toEqual(changed);
      // The delta's text restores as the delta does.
      expect(engine.checkpoint(await engine.restoreJson(pieces(), [deltaText]))).toEqual(
        engine.checkpoint(await engine.restoreJson(pieces(), [delta])),
      );
      const stored = engine.checkpointDelta(wholeChained);
      expect(engine.checkpointDelta(partialChained)).toEqual(stored);
      expect(engine.checkpointDelta(partialReading)).toEqual(stored);
      expect(engine.checkpointDelta(partialOneLine)).toEqual(stored);
    },
    60_000,
  );

  test.prop([fc.array(eventArb, { maxLength: 120 }), fc.nat(), fc.constantFrom<PeriodGrid>('day', 'month')], {
    numRuns: 100,
  })(
    'resultsSince(watermark) holds every result that changed after it, as results() has it, in its order',
    async (specs, cut, period) => {
      const engine = createKpiEngine({
        definitions: definitionsFor(period),
        orgTimeZone: 'UTC',
        orgVersions,
      });
      const events = stream(specs);
      const split = events.length === 0 ? 0 : cut % (events.length + 1);
      const state = await engine.run(engine.initialState(), events.slice(0, split));
      const before = new Map(engine.results(state).map((r) => [r.id, r]));
      const since = state.watermark;
      await engine.run(state, events.slice(split));
      const all = engine.results(state);
      const touched = engine.resultsSince(state, since);
      const touchedIds = new Set(touched.map((r) => r.id));
      expect(touched).toEqual(all.filter((r) => touchedIds.has(r.id)));
      // The lazy form yields the same results in the same order.
      expect([...engine.eachResult(state, since)]).toEqual(touched);
      expect([...engine.eachResult(state)]).toEqual(all);
      for (const r of all) if (!touchedIds.has(r.id)) expect(r).toEqual(before.get(r.id));
      expect(engine.resultsSince(state, state.watermark)).toEqual([]);
    },
    60_000,
  );

  test.prop(
    [
      fc.array(eventArb, { maxLength: 150 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
      fc.constantFrom<PeriodGrid>('day', 'month'),
    ],
    { numRuns: 100 },
  )(
    'a checkpoint plus the deltas taken after it restores to the state of the straight fold, at every cut',
    async (specs, cuts, period) => {
      const engine = createKpiEngine({
        definitions: definitionsFor(period),
        orgTimeZone: 'UTC',
        orgVersions,
      });
      const events = stream(specs);
      const points = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort((a, b) => a - b);
      const live = engine.initialState();
      let done = 0;
      const stored: { base: unknown; deltas: unknown[] } = { base: null, deltas: [] };
      for (const [i, point] of points.entries()) {
        const base = live.watermark;
        await engine.run(live, events.slice(done, point));
        done = point;
        const straightNow = await engine.run(engine.initialState(), events.slice(0, point));
        // After a checkpoint the journal lists what changed; a state without one scans: same answer.
        if (i > 0) expect(engine.resultsSince(live, base)).toEqual(engine.resultsSince(straightNow, base));
        // What a runner stores: the full checkpoint once, then one delta per batch (as JSON).
        if (i === 0) stored.base = JSON.parse(JSON.stringify(engine.checkpoint(live)));
        else stored.deltas.push(JSON.parse(JSON.stringify(engine.checkpointDelta(live))));
        const straight = await engine.run(engine.initialState(), events.slice(0, point));
        const restored = engine.restore(stored.base as never, stored.deltas as never);
        expect(engine.results(restored)).toEqual(engine.results(straight));
        expect(engine.checkpoint(restored)).toEqual(engine.checkpoint(straight));
      }
      // A restored state folds on like the live one.
      const restored = engine.restore(stored.base as never, stored.deltas as never);
      await engine.run(restored, events.slice(done));
      await engine.run(live, events.slice(done));
      expect(engine.results(restored)).toEqual(engine.results(live));
    },
    60_000,
  );

  it('refuses a delta chain with a gap, a delta of another engine, and a delta of a state never checkpointed', async () => {
    const engine = createKpiEngine({ definitions: definitionsFor('month'), orgTimeZone: 'UTC', orgVersions });
    const events = stream(
      Array.from({ length: 6 }, (_, i) => ({
        type: 'lead.created',
        at: at(i),
        payload: { leadId: uuid(i) },
      })),
    );
    const state = await engine.run(engine.initialState(), events.slice(0, 2));
    expect(() => engine.checkpointDelta(state)).toThrowError(/checkpointed or restored/);
    const base = engine.checkpoint(state);
    await engine.run(state, events.slice(2, 4));
    const first = engine.checkpointDelta(state);
    await engine.run(state, events.slice(4));
    const second = engine.checkpointDelta(state);
    expect(engine.restore(base, [first, second]).watermark).toBe(6n);
    expect(() => engine.restore(base, [second])).toThrowError(/must chain/);
    const other = createKpiEngine({ definitions: definitionsFor('day'), orgTimeZone: 'UTC', orgVersions });
    expect(() => engine.restore(base, [{ ...first, fingerprint: other.fingerprint }])).toThrowError(
      /other definitions/,
    );
    expect(() => engine.restore({ ...base, format: 2 as never })).toThrowError(/engine format/);
  });

  test.prop([fc.array(eventArb, { maxLength: 60 })], { numRuns: 50 })(
    'results are ordered deterministically and do not depend on definition order',
    async (specs) => {
      const definitions = definitionsFor('month');
      const a = createKpiEngine({ definitions, orgTimeZone: 'UTC', orgVersions });
      const b = createKpiEngine({ definitions: [...definitions].reverse(), orgTimeZone: 'UTC', orgVersions });
      const ra = a.results(await a.run(a.initialState(), stream(specs)));
      const rb = b.results(await b.run(b.initialState(), stream(specs)));
      expect(rb).toEqual(ra);
      const keys = ra.map(
        (r) => `${r.definitionKey}@${r.definitionVersion}\u0000${r.scopeId}\u0000${r.periodStart}`,
      );
      expect(keys).toEqual([...keys].sort());
      for (const r of ra)
        expect(parseResultId(r.id)).toMatchObject({ scopeId: r.scopeId, periodStart: r.periodStart });
    },
    60_000, // generous: the shared CI machines are slow
  );

  it('given checkpoint text that is not a checkpoint of this engine, when restored from text, then it is refused by field', async () => {
    const engine = createKpiEngine({ definitions: definitionsFor('month'), orgTimeZone: 'UTC', orgVersions });
    const events = stream([{ type: 'lead.created', at: at(1), payload: { leadId: uuid(1) } }]);
    const text = [...engine.checkpointJson(await engine.run(engine.initialState(), events))].join('');
    const lines = text.split('\n');
    const refused = async (pieces: string[]): Promise<unknown> =>
      engine.restoreJson(pieces).then(
        () => undefined,
        (e: unknown) => e,
      );
    const other = createKpiEngine({ definitions: definitionsFor('day'), orgTimeZone: 'UTC', orgVersions });
    const cases: [string[], string, RegExp][] = [
      [[text.replace(engine.fingerprint, other.fingerprint)], 'fingerprint', /other definitions/],
      [[lines.slice(0, -1).join('\n')], 'checkpoint', /entities closed/],
      [[`${text}\n[1]`], 'checkpoint', /end after its entities/],
      [[`["not a head"]\n${lines.slice(1).join('\n')}`], 'checkpoint', /open with its head/],
      [[''], 'checkpoint', /JSON text of a checkpoint/],
      [['{"format":4}'], 'checkpoint', /JSON text of a checkpoint/],
      [[`${lines[0]}\n{not json}\n${lines.slice(-2).join('\n')}`], 'checkpoint', /JSON text/],
      [[`${lines[0]}\n{"a":1}\n${lines.slice(-2).join('\n')}`], 'checkpoint', /as arrays/],
    ];
    for (const [pieces, field, rule] of cases) {
      const e = await refused(pieces);
      expect(isPetError(e) && e.code).toBe('VALIDATION_FAILED');
      expect((e as { issues: { field: string; rule: string }[] }).issues[0]).toMatchObject({ field });
      expect((e as { issues: { rule: string }[] }).issues[0]?.rule).toMatch(rule);
    }
  });

  it('a checkpoint made with other definitions, zone or org versions is refused', async () => {
    const engine = createKpiEngine({ definitions: definitionsFor('month'), orgTimeZone: 'UTC', orgVersions });
    const cp = engine.checkpoint(await engine.run(engine.initialState(), []));
    const other = createKpiEngine({
      definitions: definitionsFor('month'),
      orgTimeZone: 'Europe/Paris',
      orgVersions,
    });
    const fewer = createKpiEngine({
      definitions: definitionsFor('month'),
      orgTimeZone: 'UTC',
      orgVersions: orgVersions.slice(0, 1),
    });
    for (const e of [other, fewer]) {
      expect(() => e.restore(cp)).toThrowError(/fingerprint/);
    }
  });

  it('keeps no per-event lists: state is cells and open entities only', async () => {
    const engine = createKpiEngine({ definitions: definitionsFor('month'), orgTimeZone: 'UTC' });
    const specs: EventSpec[] = Array.from({ length: 5000 }, (_, i) => ({
      type: 'quote.accepted',
      at: at(i),
      payload: { quoteId: uuid(i), totalSell: { amountMinor: i, currency: 'EUR' } },
    }));
    const state = await engine.run(engine.initialState(), stream(specs));
    expect(engine.checkpoint(state).cells.length).toBeLessThan(20);
    expect(JSON.stringify(engine.checkpoint(state)).length).toBeLessThan(20_000);
  });

  it('percentile is exact below 1024 and within 1 % above', async () => {
    const engine = createKpiEngine({ definitions: extra, orgTimeZone: 'UTC' });
    const values = [...Array.from({ length: 9 }, (_, i) => i + 1), 123_456];
    const events = stream(
      values.map((v, i) => ({
        type: 'quote.accepted',
        at: at(i),
        customerId: uuid(0x7001),
        payload: { quoteId: uuid(i), totalSell: { amountMinor: v, currency: 'EUR' } },
      })),
    );
    const state = await engine.run(engine.initialState(), events);
    const [p90] = engine.results(state).filter((r) => r.definitionKey === 'test.p90-sold');
    expect(p90?.value).toBe(9); // rank ceil(0.9 × 10) = 9 → the 9th smallest
    const more = await engine.run(
      state,
      stream(
        [
          {
            type: 'quote.accepted',
            at: at(20),
            customerId: uuid(0x7001),
            payload: { quoteId: uuid(99), totalSell: { amountMinor: 200_000, currency: 'EUR' } },
          },
        ],
        11,
      ),
    );
    const [again] = engine.results(more).filter((r) => r.definitionKey === 'test.p90-sold');
    // 11 values: rank 10 → 123456, reported as its bucket's lower bound within 1 %.
    expect(Math.abs((again?.value ?? 0) - 123_456) / 123_456).toBeLessThan(0.01);
    expect(again?.classification).toBe('good');
  });
});

describe('cross-event windows', () => {
  it('a start older than its window (by the newest event seen) no longer matches', async () => {
    const engine = createKpiEngine({
      definitions: catalogueV1({ currency: 'EUR', scopes: ['org'] }),
      orgTimeZone: 'UTC',
    });
    const day = 1440;
    const events = stream([
      { type: 'lead.created', at: at(0), payload: { leadId: uuid(1) } },
      { type: 'lead.created', at: at(10), payload: { leadId: uuid(2) } },
      // 367 days later (window 366): lead 1 converts too late; lead 2's qualification is too late as well.
      {
        type: 'opportunity.created',
        at: at(367 * day),
        payload: { opportunityId: uuid(3), leadId: uuid(1) },
      },
      {
        type: 'lead.qualified',
        at: at(367 * day + 1),
        payload: { leadId: uuid(2), opportunityClass: 'gold' },
      },
    ]);
    const state = await engine.run(engine.initialState(), events);
    const rows = engine.results(state);
    expect(rows.find((r) => r.definitionKey === 'sales.lead-conversion')).toMatchObject({
      numerator: 0,
      denominator: 2,
    });
    expect(rows.some((r) => r.definitionKey === 'sales.time-to-qualification')).toBe(false);
    const inside = stream([
      { type: 'lead.created', at: at(0), payload: { leadId: uuid(1) } },
      {
        type: 'opportunity.created',
        at: at(365 * day),
        payload: { opportunityId: uuid(3), leadId: uuid(1) },
      },
    ]);
    const ok = engine.results(await engine.run(engine.initialState(), inside));
    expect(ok.find((r) => r.definitionKey === 'sales.lead-conversion')).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
  });
});

describe('defineKpi', () => {
  const base = extra[1] as KpiDefinitionVersion;
  const issues = (d: unknown): string[] => {
    try {
      defineKpi(d as KpiDefinitionVersion);
      return [];
    } catch (e) {
      if (!isPetError(e, 'VALIDATION_FAILED')) throw e;
      return (e.details['issues'] as { field: string; rule: string }[]).map((i) => `${i.field}: ${i.rule}`);
    }
  };

  it('accepts a valid version and freezes it', () => {
    const d = defineKpi(base);
    expect(Object.isFrozen(d.measure)).toBe(true);
  });

  it('names the field and the rule of bad input', () => {
    expect(issues({ ...base, key: 'Bad Key' })).toEqual([expect.stringMatching(/^key: must be lower-case/)]);
    expect(issues({ ...base, aggregation: 'ratio' })).toEqual([
      'aggregation: must be one of count, sum, avg, percentile for measure kind events',
    ]);
    expect(issues({ ...base, aggregation: 'sum' })).toEqual(['measure.value: is required for sum']);
    expect(issues({ ...base, percentile: 50 })).toEqual([
      'percentile: is required for, and only for, percentile',
    ]);
    expect(issues({ ...base, thresholds: { direction: 'higher_is_better', good: 1, warning: 5 } })).toEqual([
      'thresholds: good must be at least as strict as warning',
    ]);
    expect(issues({ ...base, measure: { ...base.measure, where: [{ path: 'payload.x' }] } })).toEqual([
      'measure.where.0: needs exactly one of equals or in',
    ]);
    expect(issues({ ...base, measure: { ...base.measure, eventTypes: ['NotDotted'] } })).toEqual([
      'measure.eventTypes.0: must be a dotted event type',
    ]);
  });

  it('given more definitions of one scope and period grid than a block of cells holds, then the engine refuses them', () => {
    const many = (n: number): KpiDefinitionVersion[] =>
      Array.from({ length: n }, (_, i) => ({ ...base, key: `test.many-${i}` }));
    expect(() => createKpiEngine({ definitions: many(4682), orgTimeZone: 'UTC' })).toThrowError(
      /at most 4681 definitions of one scope and period grid/,
    );
    expect(createKpiEngine({ definitions: many(4681), orgTimeZone: 'UTC' }).definitions).toHaveLength(4681);
  });

  it('the engine refuses a duplicate key@version and an unknown time zone', () => {
    expect(() => createKpiEngine({ definitions: [base, base], orgTimeZone: 'UTC' })).toThrowError(
      /key@version/,
    );
    expect(() => createKpiEngine({ definitions: [base], orgTimeZone: 'Mars/Olympus' })).toThrowError(
      /orgTimeZone/,
    );
  });
});

describe('classification', () => {
  it('states the value against the thresholds of the version', async () => {
    const engine = createKpiEngine({
      definitions: catalogueV1({ currency: 'EUR', scopes: ['org'] }),
      orgTimeZone: 'UTC',
    });
    const closed = (type: string, n: number): EventSpec => ({
      type,
      at: at(n),
      payload: { opportunityId: uuid(n), opportunityClass: 'gold' },
    });
    const events: StoredEvent[] = stream([
      closed('opportunity.won', 1),
      closed('opportunity.lost', 2),
      closed('opportunity.lost', 3),
    ]);
    const state = await engine.run(engine.initialState(), events);
    const win = engine.results(state).find((r) => r.definitionKey === 'sales.win-rate');
    expect(win?.classification).toBe('warning');
    expect(win?.classificationReason).toBe(
      '3333 basis_points < good threshold 4000 but ≥ warning threshold 2500 (higher is better, version 1)',
    );
  });
});

describe('weighted pipeline rounding', () => {
  test.prop([fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 10_000 })])(
    'amount × probability is rounded half-even exactly like the kernel, on any magnitude',
    async (amount, bp) => {
      const engine = createKpiEngine({
        definitions: catalogueV1({ currency: 'EUR', scopes: ['org'] }),
        orgTimeZone: 'UTC',
      });
      const events = stream([
        {
          type: 'opportunity.created',
          at: at(0),
          payload: {
            opportunityId: uuid(1),
            estimatedValue: { amountMinor: amount, currency: 'EUR' },
            probabilityBp: bp,
          },
        },
      ]);
      const [row] = engine
        .results(await engine.run(engine.initialState(), events))
        .filter((r) => r.definitionKey === 'sales.weighted-pipeline');
      const expected = Number(divideRounded(BigInt(amount) * BigInt(bp), 10_000n, 'half-even'));
      expect(row?.value ?? 0).toBe(expected);
    },
  );
});

describe('periods in the organisation time zone', () => {
  const zones = [
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'Pacific/Apia',
    'UTC',
  ];
  const counted = (period: PeriodGrid): KpiDefinitionVersion =>
    defineKpi({
      key: `test.leads-by-${period}`,
      version: 1,
      name: 'Leads',
      description: '',
      unit: 'count',
      aggregation: 'count',
      scope: 'org',
      period,
      measure: { kind: 'events', eventTypes: ['lead.created'] },
      target: null,
      thresholds: null,
    });
  // Instants of several years at or next to the UTC times these zones' local midnights fall on (in
  // and out of DST), and anywhere: more UTC days than the engine's day cache has slots, so cached days
  // are evicted and looked up again.
  const midnightsUtc = [
    '00:00',
    '04:00',
    '05:00',
    '10:00',
    '11:00',
    '13:00',
    '13:30',
    '18:30',
    '22:00',
    '23:00',
  ];
  const instantArb = fc
    .tuple(
      fc.integer({ min: 0, max: 4 * 366 }),
      fc.option(fc.constantFrom(...midnightsUtc), { freq: 4 }),
      fc.constantFrom(-1, 0, 1),
      fc.integer({ min: 0, max: 86_399_999 }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([day, midnight, delta, anyTime, micros]) => {
      const dayMs = Date.UTC(2024, 0, 1) + day * 86_400_000;
      const t =
        midnight === null
          ? dayMs + anyTime
          : dayMs + Number(midnight.slice(0, 2)) * 3_600_000 + Number(midnight.slice(3)) * 60_000 + delta;
      return `${new Date(t).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z` as Instant;
    });

  test.prop(
    [
      fc.constantFrom(...zones),
      fc.constantFrom<PeriodGrid>('day', 'week', 'month', 'quarter'),
      fc.array(instantArb, { minLength: 50, maxLength: 400 }),
    ],
    { numRuns: 60 },
  )(
    'an event counts in the period of its local date, as Intl gives it, in any zone and grid',
    async (zone, period, instants) => {
      const engine = createKpiEngine({ definitions: [counted(period)], orgTimeZone: zone });
      const events = stream(
        instants.map((i, n) => ({ type: 'lead.created', at: i, payload: { leadId: uuid(n) } })),
      );
      const results = engine.results(await engine.run(engine.initialState(), events));
      const expected = new Map<string, number>();
      for (const i of instants) {
        const start = periodOf(intlLocalDate(zone, i), period).start;
        expected.set(start, (expected.get(start) ?? 0) + 1);
      }
      expect(new Map(results.map((r) => [r.periodStart, r.value]))).toEqual(expected);
    },
  );
});

describe('a state the host drops', () => {
  // A full collection on demand: the flag must be set before a new context is made.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;

  /** Folds a state and a restored copy, keeps only weak references to them, and folds nothing else afterwards. */
  const foldAndDrop = async (engine: ReturnType<typeof createKpiEngine>): Promise<WeakRef<object>[]> => {
    const events = stream([
      {
        type: 'lead.created',
        at: at(0),
        payload: { leadId: uuid(1), ownerEmployeeId: emp(1) },
        actor: emp(1),
      },
      {
        type: 'lead.qualified',
        at: at(30),
        payload: { leadId: uuid(1), opportunityClass: 'gold' },
        actor: emp(1),
      },
    ]);
    const state = await engine.run(engine.initialState(), events.slice(0, 1));
    // Through every path a runner takes: checkpoint, restore, catch-up with its journal, delta, results.
    const restored = engine.restore(engine.checkpoint(state));
    await engine.run(restored, events.slice(1));
    expect(engine.checkpointDelta(restored).watermark).toBe('2');
    expect(engine.results(restored).length).toBeGreaterThan(0);
    return [new WeakRef(state), new WeakRef(restored)];
  };

  it('is freed: the engine keeps no reference to the last states it folded', async () => {
    // Given an engine that folded states, which the host then dropped
    const engine = createKpiEngine({
      definitions: catalogueV1({ currency: 'EUR', scopes: ['org', 'team', 'employee'] }),
      orgTimeZone: 'Europe/Berlin',
      orgVersions,
    });
    const dropped = await foldAndDrop(engine);
    // When the garbage collector runs (after this job: a WeakRef keeps its target until the job ends)
    await new Promise((resolve) => setTimeout(resolve, 0));
    collect();
    // Then the states are gone, while the engine lives on and still folds
    expect(dropped.map((ref) => ref.deref())).toEqual([undefined, undefined]);
    expect(engine.results(await engine.run(engine.initialState(), [])).length).toBe(0);
  });
});

describe('subset and the event types read', () => {
  /** Events of a type no definition reads, at any time: they still move the window clock. */
  const unreadArb: fc.Arbitrary<EventSpec> = fc
    .tuple(fc.integer({ min: -10 * 1440, max: 800 * 1440 }), ref(4))
    .map(([minutes, ticketId]) => ({ type: 'ticket.opened', at: at(minutes), payload: { ticketId } }));
  const engine = createKpiEngine({
    definitions: definitionsFor('month'),
    orgTimeZone: 'Europe/Berlin',
    orgVersions,
  });
  const ids = engine.definitions.map((d) => `${d.key}@${d.version}`);

  test.prop(
    [
      fc.array(fc.oneof({ weight: 4, arbitrary: eventArb }, { weight: 1, arbitrary: unreadArb }), {
        maxLength: 150,
      }),
      fc.subarray(ids, { minLength: 1 }),
    ],
    { numRuns: 120 },
  )(
    "a subset's results equal the full engine's for its definitions, even with unread events blanked",
    async (specs, wanted) => {
      // Given a stream and a subset of the definitions
      const events = stream(specs);
      const one = engine.subset(wanted);
      // When the full engine folds it, and the subset folds it with every event it does not read emptied
      const full = engine.results(await engine.run(engine.initialState(), events));
      const blanked = events.map((e) =>
        one.eventTypes.includes(e.type) ? e : { ...e, payload: null, context: {} },
      );
      const narrow = one.results(await one.run(one.initialState(), blanked));
      // Then the subset has exactly the full engine's results of its definitions
      expect(narrow).toEqual(full.filter((r) => wanted.includes(parseResultId(r.id).versionId)));
    },
    60_000,
  );

  it('an entity first seen with no row in its scope keeps none, whatever definitions share its measure', async () => {
    // Given an opportunity created by no one (no team), then created again by an employee of team 1
    const events = stream([
      {
        type: 'opportunity.created',
        at: at(0),
        payload: {
          opportunityId: uuid(1),
          estimatedValue: { amountMinor: 600, currency: 'EUR' },
          probabilityBp: 5000,
        },
        actor: null,
      },
      {
        type: 'opportunity.created',
        at: at(1),
        payload: {
          opportunityId: uuid(1),
          estimatedValue: { amountMinor: 800, currency: 'EUR' },
          probabilityBp: 5000,
        },
        actor: emp(1),
      },
    ]);
    const teamOnly = catalogueV1({ currency: 'EUR', scopes: ['team'] });
    const withOrg = catalogueV1({ currency: 'EUR', scopes: ['org', 'team'] });
    const pipeline = (defs: KpiDefinitionVersion[]) =>
      createKpiEngine({ definitions: defs, orgTimeZone: 'UTC', orgVersions }).subset([
        'sales.weighted-pipeline.by-team@1',
      ]);
    // When the team pipeline is folded alone, and beside its org-scoped sibling
    const alone = pipeline(teamOnly);
    const beside = createKpiEngine({ definitions: withOrg, orgTimeZone: 'UTC', orgVersions });
    const aloneResults = alone.results(await alone.run(alone.initialState(), events));
    const besideResults = beside.results(await beside.run(beside.initialState(), events));
    // Then both keep the entity's first (empty) team scope: no team result, and the org counts it (400)
    expect(aloneResults).toEqual([]);
    expect(
      besideResults.filter((r) => r.scopeType === 'team' && r.definitionKey.includes('pipeline')),
    ).toEqual([]);
    expect(besideResults.find((r) => r.id.startsWith('sales.weighted-pipeline@1/org:org/'))?.value).toBe(400);
  });

  it('lists the event types its definitions read, sorted', () => {
    // Given the catalogue's win rate alone
    const winRate = engine.subset(['sales.win-rate@1']);
    // Then it reads the won and lost events, and the whole catalogue reads the commercial events
    expect(winRate.eventTypes).toEqual(['opportunity.lost', 'opportunity.won']);
    expect(engine.eventTypes).toEqual([...engine.eventTypes].sort());
    expect(engine.eventTypes).toEqual(expect.arrayContaining(['lead.created', 'quote.accepted']));
    expect(engine.eventTypes).not.toContain('ticket.opened');
  });

  it('rejects a definition id the engine does not have, naming the field', () => {
    // When a subset names an unknown definition
    const attempt = (): unknown => engine.subset(['sales.win-rate@1', 'sales.nothing@9']);
    // Then it is a validation error on versionIds that names the id
    expect(attempt).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    try {
      attempt();
    } catch (e) {
      expect(isPetError(e, 'VALIDATION_FAILED') && e.details['issues']).toEqual([
        { field: 'versionIds', rule: expect.stringContaining('sales.nothing@9') },
      ]);
    }
  });
});

describe('scenario 6: a KPI bound to malleable schema v1', () => {
  const budget = (version: number | null): KpiDefinitionVersion => ({
    key: version === null ? 'test.lead-budget' : `test.lead-budget-v${version}`,
    version: 1,
    name: 'Budget of new leads',
    description: '',
    unit: 'money_minor',
    aggregation: 'sum',
    scope: 'org',
    period: 'month',
    measure: {
      kind: 'events',
      eventTypes: ['lead.created'],
      value: { path: 'payload.data.budget', currency: 'EUR' },
      ...(version === null ? {} : { where: [{ path: 'payload.schemaVersion', equals: version }] }),
    },
    target: null,
    thresholds: null,
  });
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
  const lead = (n: number, day: number, schemaVersion: number, data: Record<string, unknown>): EventSpec => ({
    type: 'lead.created',
    at: at(day * 1440),
    payload: { leadId: uuid(n), schemaVersion, data },
  });
  const onV1: EventSpec[] = [
    lead(1, 2, 1, { budget: eur(500_000), stage: 'discovery' }),
    lead(2, 9, 1, { budget: eur(250_000), stage: 'evaluation' }),
    lead(3, 35, 1, { budget: eur(100_000) }),
  ];
  // v2 (published on 20 January) drops `stage`; later leads bind to it, an old one is edited.
  const afterV2: EventSpec[] = [
    { type: 'schema.published', at: at(19 * 1440), payload: { entityType: 'lead', version: 2 } },
    lead(4, 24, 2, { budget: eur(900_000) }),
    {
      type: 'lead.updated',
      at: at(25 * 1440),
      payload: { leadId: uuid(2), changes: { data: { budget: eur(1) } } },
    },
    lead(5, 40, 2, { budget: eur(700_000) }),
  ];
  const facts = (r: KpiResult) => {
    const { watermark: _, ...rest } = r;
    return rest;
  };

  it('given leads on v1, when v2 is published and used, then the v1-bound results are identical and the unbound ones grow', async () => {
    const engine = createKpiEngine({ definitions: [budget(1), budget(null)], orgTimeZone: 'UTC' });
    const before = engine.results(await engine.run(engine.initialState(), stream(onV1)));
    const after = engine.results(await engine.run(engine.initialState(), stream([...onV1, ...afterV2])));
    const v1 = (rows: readonly KpiResult[]) => rows.filter((r) => r.definitionKey === 'test.lead-budget-v1');
    const all = (rows: readonly KpiResult[]) => rows.filter((r) => r.definitionKey === 'test.lead-budget');

    expect(v1(before).map((r) => [r.periodStart, r.value, r.contributingEventCount])).toEqual([
      ['2026-01-01', 750_000, 2],
      ['2026-02-01', 100_000, 1],
    ]);
    expect(v1(after).map(facts)).toEqual(v1(before).map(facts));
    expect(all(after).map((r) => [r.periodStart, r.value])).toEqual([
      ['2026-01-01', 1_650_000],
      ['2026-02-01', 800_000],
    ]);
  });
});
