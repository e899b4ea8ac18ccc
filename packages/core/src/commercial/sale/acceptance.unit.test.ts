import { describe, expect, test } from 'vitest';
import {
  type AggregateDefinition,
  type CommandRuntime,
  createCommandHandler,
  createEventRegistry,
  err,
  ok,
  reject,
  type Uuid,
} from '../../kernel/index.js';
import {
  createInMemoryEventStore,
  createInMemoryUnitOfWork,
  fixedClock,
  sequentialIds,
} from '../../testing/index.js';
import { initialQuoteState, type QuoteState } from '../quote/state.js';
import { quotingEventDefinitions } from '../quoting-events.js';
import { at, contact, eur, quoteId, roleId, saleId, sentQuoteCommands } from '../test-support.test.js';
import { createQuoteAcceptance, quoteBinding } from './acceptance.js';
import { initialSaleState, type SaleState } from './sale.js';

const quotes: AggregateDefinition<QuoteState> = {
  streamType: 'quote',
  initialState: initialQuoteState,
  encode: (s) => ({ state: s }),
  decode: (row) => (row as { state: QuoteState }).state,
};
const sales: AggregateDefinition<SaleState> = {
  streamType: 'sale',
  initialState: initialSaleState,
  encode: (s) => ({ state: s }),
  decode: (row) => (row as { state: SaleState }).state,
};

async function setUp() {
  const store = createInMemoryEventStore();
  const registry = createEventRegistry({ events: quotingEventDefinitions });
  const runtime: CommandRuntime = {
    unitOfWork: createInMemoryUnitOfWork(store),
    registry,
    clock: fixedClock(at(60)),
    ids: sequentialIds(),
  };
  const handle = createCommandHandler(runtime, quoteBinding(quotes));
  for (const command of sentQuoteCommands) {
    const r = await handle({ streamId: quoteId as unknown as Uuid, command, metadata: { actor } });
    if (!r.ok) throw new Error(r.error.code);
  }
  return { store, runtime };
}

const actor = { type: 'employee' as const, id: contact };
const input = { quoteId, saleId, version: 1, acceptedBy: contact, acceptedAt: at(60) };

describe('acceptance workflow (in memory)', () => {
  test('accepts the quote and creates the sale with the snapshot, in one unit of work', async () => {
    const { runtime, store } = await setUp();
    const accept = createQuoteAcceptance(runtime, { quotes, sales });
    const r = await accept(input, { actor });
    if (!r.ok || r.value.duplicate) throw new Error('accepted expected');
    expect(r.value.events.map((e) => e.type)).toEqual([
      'quote.accepted',
      'quote.payment_item_due',
      'sale.created',
    ]);
    expect(r.value.value.sale).toMatchObject({
      total: eur(1300_00),
      totalCost: eur(660_00),
      soldMinutesByRole: { [roleId]: 600 },
      acceptedBy: contact,
    });
    expect(r.value.events[0]?.context).toMatchObject({ quoteId, customerId: expect.any(String) });
    const stream = await store.readStream(saleId as unknown as Uuid);
    expect(stream.map((e) => e.type)).toEqual(['sale.created']);
  });

  test('given a sent quote, when it is accepted naming the customer contact, then the sale keeps the contact and the accepted version as its commercial snapshot', async () => {
    const { runtime } = await setUp();
    const accept = createQuoteAcceptance(runtime, { quotes, sales });
    const r = await accept({ ...input, acceptedByContactId: contact }, { actor });
    if (!r.ok || r.value.duplicate) throw new Error('accepted expected');
    const sale = r.value.value.sale;
    expect(sale.acceptedByContactId).toBe(contact);
    expect(sale.commercialSnapshot).toMatchObject({
      quoteNumber: expect.stringMatching(/^Q-\d{4}-\d{6}$/),
      currency: 'EUR',
      totals: { sell: eur(1300_00), cost: eur(660_00), margin: eur(640_00) },
    });
    expect(sale.commercialSnapshot?.groups.length).toBeGreaterThan(0);
    expect(sale.commercialSnapshot?.groups.flatMap((g) => g.lines).length).toBeGreaterThan(0);
  });

  test('given an acceptance without a contact, then the sale has no accepting contact (null in state)', async () => {
    const { runtime } = await setUp();
    const accept = createQuoteAcceptance(runtime, { quotes, sales });
    const r = await accept(input, { actor });
    if (!r.ok || r.value.duplicate) throw new Error('accepted expected');
    expect('acceptedByContactId' in r.value.value.sale).toBe(false);
  });

  test('a second accept gets the typed rejection QUOTE_ACCEPTED and writes nothing (scenario 46)', async () => {
    const { runtime, store } = await setUp();
    const accept = createQuoteAcceptance(runtime, { quotes, sales });
    const [a, b] = await Promise.all([
      accept(input, { actor }),
      accept({ ...input, saleId: '019b76da-a800-7000-8000-000000800002' as never }, { actor }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const loser = a.ok ? b : a;
    expect(!loser.ok && loser.error.code).toBe('QUOTE_ACCEPTED');
    const all = [];
    for await (const e of store.readAll()) all.push(e.type);
    expect(all.filter((t) => t === 'sale.created')).toHaveLength(1);
  });

  test('extra steps join the transaction; a step rejection rolls everything back', async () => {
    const { runtime, store } = await setUp();
    const seen: string[] = [];
    const accept = createQuoteAcceptance(runtime, { quotes, sales }, [
      {
        name: 'project',
        run: async (c) => {
          seen.push(c.sale.saleId);
          return ok(undefined);
        },
      },
      { name: 'opportunity', run: async () => err(reject('OPPORTUNITY_LOST', 'the opportunity is lost')) },
    ]);
    const r = await accept(input, { actor });
    expect(!r.ok && r.error.code).toBe('OPPORTUNITY_LOST');
    expect(seen).toEqual([saleId]);
    expect(await store.readStream(saleId as unknown as Uuid)).toEqual([]);
    const quoteStream = await store.readStream(quoteId as unknown as Uuid);
    expect(quoteStream.map((e) => e.type)).not.toContain('quote.accepted');
  });
});
