/**
 * The payment schedule from quote to sale, as given/when/then examples (issue 29, "Tests that bite":
 * until now only an integration test covered it). Rules: a schedule has at least one item, unique ids,
 * positive amounts in the quote's currency; it must settle the version's total to the minor unit before
 * the version is sent and when it is accepted; an undated item falls due on the acceptance day, a dated
 * one at acceptance when its date is not after that day and otherwise when released on or after it, each
 * once; the sale keeps the schedule as it was accepted.
 */
import { describe, expect, test } from 'vitest';
import {
  type AggregateDefinition,
  type CommandRuntime,
  createCommandHandler,
  createEventRegistry,
  type Instant,
  money,
  type Uuid,
} from '../../kernel/index.js';
import {
  createInMemoryEventStore,
  createInMemoryUnitOfWork,
  DeciderSpecification,
  fixedClock,
  sequentialIds,
} from '../../testing/index.js';
import type { QuoteCommand } from '../quote/commands.js';
import { quoteDecider } from '../quote/decider.js';
import type { QuoteEvent } from '../quote/events.js';
import type { PaymentItem } from '../quote/model.js';
import { DEFAULT_QUOTE_POLICY, type QuotePolicy } from '../quote/policy.js';
import { currentVersion, initialQuoteState, type QuoteState } from '../quote/state.js';
import { quotingEventDefinitions } from '../quoting-events.js';
import {
  at,
  contact,
  customerId,
  eur,
  filled,
  itemA,
  itemB,
  opportunityId,
  quoteId,
  saleId,
  sentQuoteCommands,
  uuid,
} from '../test-support.test.js';
import { createQuoteAcceptance, quoteBinding } from './acceptance.js';
import { initialSaleState, type SaleCreatedPayload, type SaleState, saleDecider } from './sale.js';

const spec = DeciderSpecification.for(quoteDecider);
const saleSpec = DeciderSpecification.for(saleDecider);
const v1 = { quoteId, version: 1 };
/** The filled draft's total: 1 300 € sell, 660 € cost (see test-support). */
const TOTAL = 1300_00;
const itemC = uuid(0xe00003);

const item = (itemId: string, amountMinor: number, dueDate: string | null, title = 'Part'): PaymentItem => ({
  itemId,
  title,
  amount: eur(amountMinor),
  dueDate,
});
const defined = (items: readonly PaymentItem[]): QuoteEvent => ({
  type: 'quote.payment_schedule_defined',
  payload: { ...v1, total: eur(TOTAL), items },
});
const sent: QuoteEvent = {
  type: 'quote.sent',
  payload: { ...v1, opportunityId, customerId, totalSell: eur(TOTAL), totalCost: eur(660_00) },
};
/** The filled draft with `items` as its schedule, sent. */
const sentWith = (items: readonly PaymentItem[]): QuoteEvent[] => [...filled, defined(items), sent];
const acceptAt = (acceptedAt: Instant) =>
  ({ type: 'accept', version: 1, saleId, acceptedBy: contact, acceptedAt }) as const;
const acceptedAt = (instant: Instant): QuoteEvent => ({
  type: 'quote.accepted',
  payload: {
    ...v1,
    opportunityId,
    customerId,
    saleId,
    totalSell: eur(TOTAL),
    totalCost: eur(660_00),
    acceptedBy: contact,
    acceptedAt: instant,
  },
});
const due = (i: PaymentItem, dueDate: string): QuoteEvent => ({
  type: 'quote.payment_item_due',
  payload: { quoteId, itemId: i.itemId, title: i.title, amount: i.amount, dueDate },
});
/** 2026-11-22T00:00 UTC plus `minutes` (the test-support clock). */
const NOV_22 = '2026-11-22';
const DAY = 24 * 60;

describe('defining a schedule', () => {
  test('given a draft, when a schedule is defined, then its total is the version total, whatever the items sum to', () => {
    const items = [item(itemA, 1, null)];
    spec
      .given(filled)
      .when({ type: 'define_payment_schedule', items })
      .then([defined(items)]);
  });

  test('given a draft, when an item of 1 minor unit is given, then it is accepted (amounts must be positive)', () => {
    spec
      .given(filled)
      .when({ type: 'define_payment_schedule', items: [item(itemA, 1, null), item(itemB, TOTAL - 1, null)] })
      .then([defined([item(itemA, 1, null), item(itemB, TOTAL - 1, null)])]);
  });

  test.each([
    ['no item', []],
    ['a zero amount', [item(itemA, TOTAL, null), item(itemB, 0, null)]],
    ['a negative amount', [item(itemA, TOTAL + 1, null), item(itemB, -1, null)]],
    ['an amount in another currency', [{ ...item(itemA, TOTAL, null), amount: money(TOTAL, 'USD') }]],
  ] as const satisfies readonly (readonly [string, readonly PaymentItem[]])[])(
    'given a draft, when the schedule has %s, then QUOTE_SCHEDULE_INVALID',
    (_, items) => {
      spec
        .given(filled)
        .when({ type: 'define_payment_schedule', items })
        .thenRejects('QUOTE_SCHEDULE_INVALID');
    },
  );

  test('the rejection names the offending item', () => {
    spec
      .given(filled)
      .when({
        type: 'define_payment_schedule',
        items: [item(itemA, TOTAL, null), item(itemB, 0, null), item(itemC, -5, null)],
      })
      .thenRejects('QUOTE_SCHEDULE_INVALID', { itemId: itemB });
  });

  test('given a draft, when two items share an id, then QUOTE_DUPLICATE_ID', () => {
    spec
      .given(filled)
      .when({ type: 'define_payment_schedule', items: [item(itemA, 1, null), item(itemA, TOTAL - 1, null)] })
      .thenRejects('QUOTE_DUPLICATE_ID');
  });

  test('given a sent version, when its schedule is redefined, then QUOTE_VERSION_LOCKED', () => {
    spec
      .given(sentWith([item(itemA, TOTAL, null)]))
      .when({ type: 'define_payment_schedule', items: [item(itemA, TOTAL, null)] })
      .thenRejects('QUOTE_VERSION_LOCKED');
  });

  test('given a schedule, when another is defined, then the later one replaces it', () => {
    const first = [item(itemA, TOTAL, null)];
    const second = [item(itemB, 100_00, null), item(itemC, TOTAL - 100_00, '2027-01-01')];
    const state = [...filled, defined(first), defined(second)].reduce(
      quoteDecider.evolve,
      quoteDecider.initialState(),
    );
    expect(state.status === 'open' ? currentVersion(state).schedule : null).toEqual(second);
  });
});

describe('the schedule settles the total to the minor unit', () => {
  test.each([
    ['one minor unit short', TOTAL - 1],
    ['one minor unit over', TOTAL + 1],
  ])('given a draft whose schedule is %s, when it is sent, then QUOTE_NOT_READY names the sums', (_, sum) => {
    spec
      .given([...filled, defined([item(itemA, sum, null)])])
      .when({ type: 'send' })
      .thenRejects('QUOTE_NOT_READY', {
        problems: [`the payment schedule sums to ${sum}, the total is ${TOTAL}`],
      });
  });

  test('given a draft without a schedule, when it is sent, then QUOTE_NOT_READY: a schedule is required', () => {
    spec
      .given(filled)
      .when({ type: 'send' })
      .thenRejects('QUOTE_NOT_READY', { problems: ['a payment schedule is required'] });
  });

  test('given a draft whose items settle the total exactly, when it is sent, then it is sent', () => {
    spec
      .given([...filled, defined([item(itemA, 1, null), item(itemB, TOTAL - 2, null), item(itemC, 1, null)])])
      .when({ type: 'send' })
      .then([sent]);
  });

  test.each([
    ['one minor unit short', TOTAL - 1],
    ['one minor unit over', TOTAL + 1],
  ])(
    'given a sent version whose schedule is %s, when it is accepted, then QUOTE_SCHEDULE_MISMATCH',
    (_, sum) => {
      spec
        .given(sentWith([item(itemA, sum - 100_00, null), item(itemB, 100_00, '2027-01-01')]))
        .when(acceptAt(at(60)))
        .thenRejects('QUOTE_SCHEDULE_MISMATCH', { total: eur(TOTAL) });
    },
  );

  test('given a sent version without a schedule (events from an older writer), when it is accepted, then QUOTE_SCHEDULE_MISMATCH', () => {
    spec
      .given([...filled, sent])
      .when(acceptAt(at(60)))
      .thenRejects('QUOTE_SCHEDULE_MISMATCH');
  });
});

describe('due dates at acceptance', () => {
  const deposit = item(itemA, 300_00, null, 'Deposit');
  const today = item(itemB, 500_00, NOV_22, 'Kick-off');
  const tomorrow = item(itemC, 500_00, '2026-11-23', 'Go-live');

  test('given an undated item, a dated one due on the acceptance day and one due the day after, when accepted, then the first two fall due that day', () => {
    spec
      .given(sentWith([deposit, today, tomorrow]))
      .when(acceptAt(at(60)))
      .then([acceptedAt(at(60)), due(deposit, NOV_22), due(today, NOV_22)]);
  });

  test('the acceptance day is the UTC date of the acceptance instant: the last microsecond of a day is still that day', () => {
    const lastMicro = '2026-11-22T23:59:59.999999Z' as Instant;
    spec
      .given(sentWith([deposit, today, tomorrow]))
      .when(acceptAt(lastMicro))
      .then([acceptedAt(lastMicro), due(deposit, NOV_22), due(today, NOV_22)]);
    spec
      .given(sentWith([deposit, today, tomorrow]))
      .when(acceptAt(at(DAY)))
      .then([
        acceptedAt(at(DAY)),
        due(deposit, '2026-11-23'),
        due(today, NOV_22),
        due(tomorrow, '2026-11-23'),
      ]);
  });

  test('given a dated item already past, when accepted, then it falls due at once with its own date', () => {
    const past = item(itemB, TOTAL - 300_00, '2026-11-01', 'Past');
    spec
      .given(sentWith([deposit, past]))
      .when(acceptAt(at(60)))
      .then([acceptedAt(at(60)), due(deposit, NOV_22), due(past, '2026-11-01')]);
  });

  test('given only dated items in the future, when accepted, then only quote.accepted', () => {
    spec
      .given(sentWith([item(itemA, 300_00, '2026-11-23'), item(itemB, TOTAL - 300_00, '2027-06-30')]))
      .when(acceptAt(at(60)))
      .then([acceptedAt(at(60))]);
  });

  test('validity: accepted on its last valid day, refused the day after (QUOTE_EXPIRED)', () => {
    const items = [deposit, item(itemB, TOTAL - 300_00, '2027-01-15')];
    const lastDay = '2026-12-31T23:59:59.999999Z' as Instant;
    spec
      .given(sentWith(items))
      .when(acceptAt(lastDay))
      .then([acceptedAt(lastDay), due(deposit, '2026-12-31')]);
    spec
      .given(sentWith(items))
      .when(acceptAt('2027-01-01T00:00:00.000000Z' as Instant))
      .thenRejects('QUOTE_EXPIRED', { validUntil: '2026-12-31' });
  });
});

describe('releasing dated items after acceptance', () => {
  const deposit = item(itemA, 300_00, null, 'Deposit');
  const jan = item(itemB, 500_00, '2027-01-15', 'January');
  const feb = item(itemC, 500_00, '2027-02-15', 'February');
  const done = [...sentWith([deposit, jan, feb]), acceptedAt(at(60)), due(deposit, NOV_22)];
  const release = (asOf: string) => ({ type: 'release_due_items', asOf }) as const;

  test('given an accepted quote, when released the day before a due date, then nothing falls due', () => {
    spec.given(done).when(release('2027-01-14')).then([]);
  });

  test('given an accepted quote, when released on a due date, then that item falls due (and not the later one)', () => {
    spec
      .given(done)
      .when(release('2027-01-15'))
      .then([due(jan, '2027-01-15')]);
  });

  test('given an accepted quote, when released after both dates, then both fall due in schedule order', () => {
    spec
      .given(done)
      .when(release('2027-03-01'))
      .then([due(jan, '2027-01-15'), due(feb, '2027-02-15')]);
  });

  test('given an item already due, when released again, then it does not fall due twice', () => {
    spec
      .given([...done, due(jan, '2027-01-15')])
      .when(release('2027-02-15'))
      .then([due(feb, '2027-02-15')]);
    spec
      .given([...done, due(jan, '2027-01-15'), due(feb, '2027-02-15')])
      .when(release('2027-12-31'))
      .then([]);
  });

  test('given a quote not accepted, when released, then QUOTE_NOT_ACCEPTED', () => {
    spec
      .given(sentWith([deposit, jan, feb]))
      .when(release('2027-03-01'))
      .thenRejects('QUOTE_NOT_ACCEPTED');
  });
});

describe('the upfront share (payment-term deviation)', () => {
  const policy = (minUpfrontBp: number): { policy: QuotePolicy } => ({
    policy: { ...DEFAULT_QUOTE_POLICY, minMarginBp: 0, minUpfrontBp },
  });
  // 30 % of 1 300 € is 390 €: the undated items must reach it.
  const upfront = (amountMinor: number) => [
    ...filled,
    defined([item(itemA, amountMinor, null), item(itemB, TOTAL - amountMinor, '2027-01-15')]),
  ];

  test('given exactly the minimum share due at acceptance, when sent, then no approval is needed', () => {
    spec.given(upfront(390_00)).when({ type: 'send' }, policy(3000)).then([sent]);
  });

  test('given one minor unit less, when sent, then QUOTE_APPROVAL_REQUIRED for payment_term_deviation', () => {
    spec
      .given(upfront(390_00 - 1))
      .when({ type: 'send' }, policy(3000))
      .thenRejects('QUOTE_APPROVAL_REQUIRED', { triggers: ['payment_term_deviation'] });
  });

  test('given a minimum share of 0, then any schedule passes', () => {
    spec
      .given([...filled, defined([item(itemA, TOTAL, '2027-01-15')])])
      .when({ type: 'send' }, policy(0))
      .then([sent]);
  });
});

describe('the sale keeps the accepted schedule', () => {
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
  const actor = { type: 'employee' as const, id: contact };

  async function acceptedSale(acceptedAtInstant: Instant) {
    const store = createInMemoryEventStore();
    const runtime: CommandRuntime = {
      unitOfWork: createInMemoryUnitOfWork(store),
      registry: createEventRegistry({ events: quotingEventDefinitions }),
      clock: fixedClock(at(60)),
      ids: sequentialIds(),
    };
    const handle = createCommandHandler(runtime, quoteBinding(quotes));
    for (const command of sentQuoteCommands as readonly QuoteCommand[]) {
      const r = await handle({ streamId: quoteId as unknown as Uuid, command, metadata: { actor } });
      if (!r.ok) throw new Error(r.error.code);
    }
    const accept = createQuoteAcceptance(runtime, { quotes, sales });
    const r = await accept(
      { quoteId, saleId, version: 1, acceptedBy: contact, acceptedAt: acceptedAtInstant },
      { actor },
    );
    return { r, store };
  }

  test('given a sent quote, when accepted, then the sale snapshot carries the version schedule unchanged', async () => {
    const { r, store } = await acceptedSale(at(60));
    if (!r.ok || r.value.duplicate) throw new Error('accepted expected');
    const schedule = [item(itemA, 300_00, null, 'Deposit'), item(itemB, 1000_00, '2027-01-15', 'Go-live')];
    expect(r.value.value.sale.paymentSchedule).toEqual(schedule);
    const [created] = await store.readStream(saleId as unknown as Uuid);
    expect(created?.payload).toMatchObject({ paymentSchedule: schedule, total: eur(TOTAL) });
    const state = saleDecider.evolve(saleDecider.initialState(), {
      type: 'sale.created',
      payload: created?.payload as SaleCreatedPayload,
    });
    expect(state.status !== 'absent' && state.paymentSchedule).toEqual(schedule);
  });

  test('every quote event of the acceptance names the quote and the customer in its context', async () => {
    const { r, store } = await acceptedSale(at(60));
    expect(r.ok).toBe(true);
    const events = await store.readStream(quoteId as unknown as Uuid);
    expect(events.length).toBeGreaterThan(3);
    for (const e of events) expect(e.context).toEqual({ quoteId, customerId });
  });

  test('given an acceptance that is refused (expired), then no sale and no schedule exist', async () => {
    const { r, store } = await acceptedSale('2027-01-01T00:00:00.000000Z' as Instant);
    expect(!r.ok && r.error.code).toBe('QUOTE_EXPIRED');
    expect(await store.readStream(saleId as unknown as Uuid)).toEqual([]);
  });

  const snapshot: SaleCreatedPayload = {
    saleId,
    quoteId,
    quoteVersion: 1,
    opportunityId,
    customerId,
    total: eur(TOTAL),
    totalCost: eur(660_00),
    soldMinutesByRole: {},
    acceptedBy: contact,
    acceptedAt: at(60),
  };

  test('given a sale created before schedules were snapshotted (no paymentSchedule), then its schedule is empty', () => {
    saleSpec
      .given([{ type: 'sale.created', payload: snapshot }])
      .when({ type: 'fulfil', at: at(600) })
      .thenState({
        ...snapshot,
        paymentSchedule: [],
        acceptedByContactId: null,
        commercialSnapshot: null,
        status: 'fulfilled',
        fulfilledAt: at(600),
      });
  });

  test('given a created sale, when it is fulfilled, then the schedule stays as sold', () => {
    const schedule = [item(itemA, TOTAL, '2027-01-15')];
    saleSpec
      .given([{ type: 'sale.created', payload: { ...snapshot, paymentSchedule: schedule } }])
      .when({ type: 'fulfil', at: at(600) })
      .thenState({
        ...snapshot,
        paymentSchedule: schedule,
        acceptedByContactId: null,
        commercialSnapshot: null,
        status: 'fulfilled',
        fulfilledAt: at(600),
      });
  });

  test('given a created sale, when a second sale.created arrives, then the first snapshot and schedule are kept', () => {
    const first = { ...snapshot, paymentSchedule: [item(itemA, TOTAL, null)] };
    const state = [
      { type: 'sale.created' as const, payload: first },
      { type: 'sale.created' as const, payload: { ...snapshot, paymentSchedule: [item(itemB, 1, null)] } },
    ].reduce(saleDecider.evolve, saleDecider.initialState());
    expect(state).toEqual({
      ...first,
      acceptedByContactId: null,
      commercialSnapshot: null,
      status: 'created',
      fulfilledAt: null,
    });
  });
});

test('every sale rejection in full (code and message)', () => {
  const snapshot: SaleCreatedPayload = {
    saleId,
    quoteId,
    quoteVersion: 1,
    opportunityId,
    customerId,
    total: eur(TOTAL),
    totalCost: eur(660_00),
    soldMinutesByRole: {},
    acceptedBy: contact,
    acceptedAt: at(60),
  };
  const created = { type: 'sale.created' as const, payload: snapshot };
  const fulfilled = { type: 'sale.fulfilled' as const, payload: { saleId, at: at(600) } };
  const decide = (
    given: readonly (typeof created | typeof fulfilled)[],
    command: Parameters<typeof saleDecider.decide>[0],
  ) => saleDecider.decide(command, given.reduce(saleDecider.evolve, saleDecider.initialState()), undefined);
  expect(decide([created], { type: 'create', snapshot })).toEqual({
    ok: false,
    error: { code: 'SALE_ALREADY_EXISTS', message: 'the sale exists already' },
  });
  expect(decide([], { type: 'fulfil', at: at(600) })).toEqual({
    ok: false,
    error: { code: 'SALE_NOT_FOUND', message: 'no such sale' },
  });
  expect(decide([created, fulfilled], { type: 'fulfil', at: at(700) })).toEqual({
    ok: false,
    error: { code: 'SALE_FULFILLED', message: 'a fulfilled sale is final' },
  });
  // A fulfilled sale stays fulfilled at its first date; fulfilment before creation changes nothing.
  expect(
    [created, fulfilled, { ...fulfilled, payload: { saleId, at: at(900) } }].reduce(
      saleDecider.evolve,
      saleDecider.initialState(),
    ),
  ).toMatchObject({ status: 'fulfilled', fulfilledAt: at(600) });
  expect([fulfilled].reduce(saleDecider.evolve, saleDecider.initialState())).toEqual({ status: 'absent' });
  expect(() => decide([created], { type: 'ship' } as never)).toThrow(/^invalid sale command: /);
});
