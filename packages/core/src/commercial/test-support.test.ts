/** Helpers shared by the quoting tests (not a test file itself; the `.test.ts` suffix keeps it out of builds). */
import { type Instant, type Money, money } from '../kernel/index.js';
import type { CreateQuote, QuoteCommand } from './quote/commands.js';
import type { QuoteEvent } from './quote/events.js';
import type { PaymentItem, QuoteId, QuoteLine, QuoteNumber, SaleId } from './quote/model.js';

export const uuid = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const quoteId = uuid(0x700001) as QuoteId;
export const saleId = uuid(0x800001) as SaleId;
export const opportunityId = uuid(0x900001);
export const customerId = uuid(0x400001);
export const approver = uuid(0x300001);
export const contact = uuid(0x600001);
export const roleId = uuid(0xa00001);
export const eur = (n: number): Money => money(n, 'EUR');
export const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 10, 22) + minutes * 60_000).toISOString().replace('Z', '000Z') as Instant;

export const create: CreateQuote = {
  type: 'create',
  quoteId,
  quoteNumber: 'Q-2026-000001' as QuoteNumber,
  opportunityId,
  customerId,
  currency: 'EUR',
  title: 'Website relaunch',
  validUntil: '2026-12-31',
  parentQuoteId: null,
  supersedesQuoteId: null,
};
export const created: QuoteEvent = {
  type: 'quote.created',
  payload: {
    quoteId,
    quoteNumber: create.quoteNumber,
    opportunityId,
    customerId,
    currency: 'EUR',
    version: 1,
    title: 'Website relaunch',
    validUntil: '2026-12-31',
    parentQuoteId: null,
    supersedesQuoteId: null,
  },
};

export const catalogGroup = uuid(0xb00001);
export const implGroup = uuid(0xb00002);
export const product = (n: number, price = 100_00, cost = 60_00): QuoteLine => ({
  lineId: uuid(0xc00000 + n),
  kind: 'product',
  description: `Licence ${n}`,
  quantity: 1,
  unitPrice: eur(price),
  unitCost: eur(cost),
  minutes: null,
  catalog: { catalogItemId: uuid(0xd00001), sku: 'LIC-1', name: 'Licence' },
  role: null,
  milestone: null,
});
export const task = (n: number, minutes = 600, sellRate = 120_00, costRate = 60_00): QuoteLine => ({
  lineId: uuid(0xc10000 + n),
  kind: 'labour_task',
  description: `Task ${n}`,
  quantity: 1,
  unitPrice: null,
  unitCost: null,
  minutes,
  catalog: null,
  role: {
    roleId,
    name: 'Developer',
    sellRatePerHour: eur(sellRate),
    costRatePerHour: eur(costRate),
    recommendedSellRatePerHour: eur(110_00),
  },
  milestone: { name: 'Build', sequence: 1 },
});

const v = { quoteId, version: 1 };
/** A draft with one product (100 €, cost 60 €) and one 10 h task (1 200 €, cost 600 €): 1 300 € / 660 €. */
export const filled: readonly QuoteEvent[] = [
  created,
  {
    type: 'quote.group_added',
    payload: { ...v, group: { groupId: catalogGroup, kind: 'catalog', title: 'Licences', recurring: null } },
  },
  { type: 'quote.line_added', payload: { ...v, groupId: catalogGroup, line: product(1) } },
  {
    type: 'quote.group_added',
    payload: { ...v, group: { groupId: implGroup, kind: 'implementation', title: 'Build', recurring: null } },
  },
  { type: 'quote.line_added', payload: { ...v, groupId: implGroup, line: task(1) } },
];
export const itemA = uuid(0xe00001);
export const itemB = uuid(0xe00002);
export const scheduled: QuoteEvent = {
  type: 'quote.payment_schedule_defined',
  payload: {
    ...v,
    total: eur(1300_00),
    items: [
      { itemId: itemA, title: 'Deposit', amount: eur(300_00), dueDate: null },
      { itemId: itemB, title: 'Go-live', amount: eur(1000_00), dueDate: '2027-01-15' },
    ],
  },
};
export const sent: QuoteEvent = {
  type: 'quote.sent',
  payload: { ...v, opportunityId, customerId, totalSell: eur(1300_00), totalCost: eur(660_00) },
};
export const ready: readonly QuoteEvent[] = [...filled, scheduled];
export const sentQuote: readonly QuoteEvent[] = [...ready, sent];

/** The commands that produce {@link sentQuote}. */
export const sentQuoteCommands: readonly QuoteCommand[] = [
  create,
  { type: 'add_group', groupId: catalogGroup, kind: 'catalog', title: 'Licences', recurring: null },
  { type: 'add_line', groupId: catalogGroup, line: product(1) },
  { type: 'add_group', groupId: implGroup, kind: 'implementation', title: 'Build', recurring: null },
  { type: 'add_line', groupId: implGroup, line: task(1) },
  {
    type: 'define_payment_schedule',
    items: (scheduled.payload as { items: readonly PaymentItem[] }).items,
  },
  { type: 'send' },
];
