import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { catalogueV1 } from './catalogue.js';
import { createKpiEngine } from './engine.js';
import { type ContributingEvent, explain } from './explain.js';
import { at, type EventSpec, eur, stream, uuid } from './test-support.test.js';

async function collect(it: AsyncIterable<ContributingEvent>): Promise<ContributingEvent[]> {
  const out: ContributingEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const engine = createKpiEngine({
  definitions: catalogueV1({ currency: 'EUR', scopes: ['org'] }),
  orgTimeZone: 'UTC',
});

describe('explain', () => {
  it('lists a ratio’s events with their roles and states why it is classified', async () => {
    const events = stream([
      { type: 'opportunity.won', at: at(1), payload: { opportunityId: uuid(1), opportunityClass: 'gold' } },
      { type: 'quote.accepted', at: at(2), payload: { quoteId: uuid(9), totalSell: eur(5) } },
      { type: 'opportunity.lost', at: at(3), payload: { opportunityId: uuid(2), opportunityClass: 'gold' } },
      {
        type: 'opportunity.won',
        at: at(60 * 24 * 40),
        payload: { opportunityId: uuid(3), opportunityClass: 'gold' },
      },
    ]);
    const state = await engine.run(engine.initialState(), events);
    const result = engine
      .results(state)
      .find((r) => r.definitionKey === 'sales.win-rate' && r.periodStart === '2026-01-01');
    if (result === undefined) throw new Error('no result');
    const x = explain(engine, result, () => events);
    expect(x.why).toBe(
      'Win rate (version 1): 1 ÷ 2 = 5000 bp; 5000 basis_points ≥ good threshold 4000 (higher is better, version 1)',
    );
    expect((await collect(x.contributing)).map((e) => [e.position, e.eventId, e.role])).toEqual([
      [1n, events[0]?.eventId, 'numerator'],
      [3n, events[2]?.eventId, 'denominator'],
    ]);
  });

  it('lists both ends of each span, each start right before its end', async () => {
    const events = stream([
      { type: 'quote.sent', at: at(0), payload: { quoteId: uuid(1) } },
      { type: 'quote.sent', at: at(5), payload: { quoteId: uuid(2) } },
      { type: 'quote.accepted', at: at(100), payload: { quoteId: uuid(2), totalSell: eur(1) } },
      { type: 'quote.accepted', at: at(200), payload: { quoteId: uuid(1), totalSell: eur(1) } },
    ]);
    const state = await engine.run(engine.initialState(), events);
    const result = engine.results(state).find((r) => r.definitionKey === 'sales.time-to-acceptance');
    if (result === undefined) throw new Error('no result');
    const list = await collect(explain(engine, result, () => events).contributing);
    expect(list.map((e) => [e.position, e.role])).toEqual([
      [2n, 'start'],
      [3n, 'end'],
      [1n, 'start'],
      [4n, 'end'],
    ]);
  });

  const specArb: fc.Arbitrary<EventSpec> = fc
    .tuple(
      fc.constantFrom(
        'opportunity.created',
        'opportunity.probability_changed',
        'opportunity.won',
        'quote.sent',
        'quote.accepted',
        'lead.created',
        'lead.qualified',
        'opportunity.lost',
        'ticket.opened',
      ),
      fc.integer({ min: 1, max: 4 }),
      // Past the catalogue's 366-day windows: starts expire by the clock other events move.
      fc.integer({ min: 0, max: 800 * 1440 }),
      fc.integer({ min: 0, max: 10_000 }),
    )
    .map(([type, n, minutes, x]) => ({
      type,
      at: at(minutes),
      payload: {
        opportunityId: uuid(n),
        leadId: uuid(0x100 + n),
        quoteId: uuid(0x200 + n),
        probabilityBp: x,
        estimatedValue: eur(x * 3),
        totalSell: eur(x),
        opportunityClass: 'gold',
      },
    }));

  test.prop([fc.array(specArb, { maxLength: 60 })], { numRuns: 80 })(
    'every result explains exactly its contributing-event count, never past its watermark, also from a stream whose unread events are blanked',
    async (specs) => {
      const events = stream(specs);
      const state = await engine.run(engine.initialState(), events);
      for (const result of engine.results(state)) {
        const list = await collect(explain(engine, result, () => events).contributing);
        expect(list.length).toBe(result.contributingEventCount);
        expect(list.every((e) => e.position <= result.watermark)).toBe(true);
        // What the MySQL runner hands over: events of the types explain says it does not read, emptied
        const given: (readonly string[])[] = [];
        const blanked = (reads: readonly string[]) => {
          given.push(reads);
          return events.map((e) => (reads.includes(e.type) ? e : { ...e, context: {}, payload: null }));
        };
        expect(await collect(explain(engine, result, blanked).contributing)).toEqual(list);
        // The types it names are its definition's own
        expect(given).toEqual([engine.subset([result.id.slice(0, result.id.indexOf('/'))]).eventTypes]);
      }
    },
    60_000, // generous: the shared CI machines are slow
  );
});
