import {
  type CommandRuntime,
  Commercial,
  createEventRegistry,
  type Instant,
  replay,
  type Uuid,
} from '@pet-ops/core';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMysqlEventStore } from '../event-store/event-store.js';
import { caught, type Fixture, newId, openFixture } from '../event-store/fixtures.test.js';
import { uuidToBytes } from '../internal/uuid-bytes.js';
import { systemClock, uuidV7Ids } from '../system.js';
import { createMysqlUnitOfWork } from '../unit-of-work/unit-of-work.js';
import { QUOTING_TABLES, quoteDefinition, saleDefinition } from './quotes-definition.js';
import { allocateQuoteNumber, createMysqlQuoting, type MysqlQuoting } from './quotes-service.js';

const PREFIX = 'wp_';
let fx: Fixture;
let quoting: MysqlQuoting;
let runtime: CommandRuntime;
const actor = { type: 'employee' as const, id: '019b76da-a800-7000-8000-000000300001' };
const eur = (n: number) => ({ amountMinor: n, currency: 'EUR' }) as never;
const roleId = '019b76da-a800-7000-8000-000000a00001';

async function insertCompany(state: 'active' | 'archived' = 'active'): Promise<string> {
  const id = newId();
  const n = Math.floor(Math.random() * 1e6);
  await fx.pool.query(
    `INSERT INTO ${PREFIX}companies (id, version, state, company_uid, name) VALUES (?, 1, ?, ?, 'Acme')`,
    [uuidToBytes(id), state, `CO-20261122-${String(n).padStart(6, '0')}`],
  );
  return id;
}

/** Opens a quote with a product (100 €, cost 60 €) and a 10 h task (1 200 €, cost 600 €) and sends it. */
async function sentQuote(scheduleTotal = 1300_00): Promise<Commercial.QuoteId> {
  const quoteId = newId() as unknown as Commercial.QuoteId;
  const customerId = await insertCompany();
  const opened = await quoting.open(
    {
      quoteId,
      opportunityId: newId(),
      customerId,
      currency: 'EUR',
      title: 'Relaunch',
      validUntil: '2099-12-31',
    },
    { actor },
  );
  if (!opened.ok) throw new Error(opened.error.code);
  const g1 = newId();
  const g2 = newId();
  const commands: Parameters<MysqlQuoting['handle']>[1][] = [
    { type: 'add_group', groupId: g1, kind: 'catalog', title: 'Licences', recurring: null },
    {
      type: 'add_line',
      groupId: g1,
      line: {
        lineId: newId(),
        kind: 'product',
        description: 'Licence',
        quantity: 1,
        unitPrice: eur(100_00),
        unitCost: eur(60_00),
        minutes: null,
        catalog: { catalogItemId: newId(), sku: 'LIC-1', name: 'Licence' },
        role: null,
        milestone: null,
      },
    },
    { type: 'add_group', groupId: g2, kind: 'implementation', title: 'Build', recurring: null },
    {
      type: 'add_line',
      groupId: g2,
      line: {
        lineId: newId(),
        kind: 'labour_task',
        description: 'Build it',
        quantity: 1,
        unitPrice: null,
        unitCost: null,
        minutes: 600,
        catalog: null,
        role: {
          roleId,
          name: 'Developer',
          sellRatePerHour: eur(120_00),
          costRatePerHour: eur(60_00),
          recommendedSellRatePerHour: null,
        },
        milestone: { name: 'Build', sequence: 1 },
      },
    },
    {
      type: 'define_payment_schedule',
      items: [
        { itemId: newId(), title: 'Deposit', amount: eur(300_00), dueDate: null },
        { itemId: newId(), title: 'Rest', amount: eur(scheduleTotal - 300_00), dueDate: '2099-01-01' },
      ],
    },
  ];
  for (const c of commands) {
    const r = await quoting.handle(quoteId, c, { actor });
    if (!r.ok) throw new Error(r.error.code);
  }
  if (scheduleTotal === 1300_00) {
    const s = await quoting.handle(quoteId, { type: 'send' }, { actor });
    if (!s.ok) throw new Error(s.error.code);
  }
  return quoteId;
}

async function row(table: string, id: string): Promise<RowDataPacket | undefined> {
  const [rows] = await fx.pool.query<RowDataPacket[]>(`SELECT * FROM ${PREFIX}${table} WHERE id = ?`, [
    uuidToBytes(id),
  ]);
  return rows[0];
}
async function salesOf(quoteId: string): Promise<number> {
  const [rows] = await fx.pool.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${PREFIX}sales WHERE quote_id = ?`,
    [uuidToBytes(quoteId)],
  );
  return Number(rows[0]?.['n']);
}
const acceptInput = (quoteId: Commercial.QuoteId) => ({
  quoteId,
  saleId: newId() as unknown as Commercial.SaleId,
  version: 1,
  acceptedBy: newId(),
  acceptedAt: systemClock.now() as Instant,
});

beforeAll(async () => {
  fx = await openFixture(inject('mysqlUrl'), PREFIX, 20);
  runtime = {
    unitOfWork: createMysqlUnitOfWork({ pool: fx.pool, prefix: PREFIX, tables: QUOTING_TABLES }),
    registry: createEventRegistry({ events: Commercial.quotingEventDefinitions }),
    clock: systemClock,
    ids: uuidV7Ids,
    retry: { maxAttempts: 10 },
  };
  quoting = createMysqlQuoting({ pool: fx.pool, prefix: PREFIX, runtime });
});
afterAll(async () => {
  await fx?.close();
});

describe('quotes table', () => {
  it('open → a row with a Q-YYYY-###### number, the customer, and derived totals; the row equals the replayed stream', async () => {
    const quoteId = await sentQuote();
    const r = await row('quotes', quoteId);
    expect(r?.['quote_number']).toMatch(/^Q-\d{4}-\d{6}$/);
    expect(r).toMatchObject({
      state: 'open',
      current_version: 1,
      current_version_state: 'sent',
      currency: 'EUR',
    });
    expect([r?.['total_sell'], r?.['total_cost'], r?.['total_margin']].map(Number)).toEqual([
      1300_00, 660_00, 640_00,
    ]);
    const loaded = await runtime.unitOfWork.run((s) =>
      s.aggregate(quoteDefinition).load(quoteId as unknown as Uuid),
    );
    const events = await createMysqlEventStore({ pool: fx.pool, prefix: PREFIX }).readStream(
      quoteId as unknown as Uuid,
    );
    const folded = replay(
      Commercial.quoteDecider,
      events.map((e) => ({ type: e.type, payload: e.payload }) as Commercial.QuoteEvent),
    );
    expect(loaded.state).toEqual(folded);
    expect(events[0]?.context).toMatchObject({ quoteId, customerId: expect.any(String) });
  });

  it('a customer that is not a CRM company, or an archived one, is refused and nothing is written', async () => {
    const quoteId = newId() as unknown as Commercial.QuoteId;
    const base = { quoteId, opportunityId: newId(), currency: 'EUR', title: 'x' };
    const missing = await quoting.open({ ...base, customerId: newId() }, { actor });
    expect(!missing.ok && missing.error.code).toBe('QUOTE_CUSTOMER_NOT_FOUND');
    const archived = await quoting.open({ ...base, customerId: await insertCompany('archived') }, { actor });
    expect(!archived.ok && archived.error.code).toBe('QUOTE_CUSTOMER_ARCHIVED');
    expect(await row('quotes', quoteId)).toBeUndefined();
  });

  it('bad input is a ValidationError naming the field', async () => {
    const e = await caught(
      quoting.open(
        { quoteId: newId() as never, opportunityId: 'x', customerId: newId(), currency: 'eur', title: '' },
        { actor },
      ),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toMatch(/opportunityId/);
  });

  it('a sent version cannot change (QUOTE_VERSION_LOCKED) and the row stays as it was', async () => {
    const quoteId = await sentQuote();
    const before = await row('quotes', quoteId);
    const r = await quoting.handle(quoteId, { type: 'change_details', title: 'other' }, { actor });
    expect(!r.ok && r.error.code).toBe('QUOTE_VERSION_LOCKED');
    expect(await row('quotes', quoteId)).toEqual(before);
  });

  it('rows cannot be deleted (trigger)', async () => {
    const quoteId = await sentQuote();
    await expect(
      fx.pool.query(`DELETE FROM ${PREFIX}quotes WHERE id = ?`, [uuidToBytes(quoteId)]),
    ).rejects.toThrow();
    expect(await row('quotes', quoteId)).toBeDefined();
  });
});

describe('delta and clone quotes (scenario 1)', () => {
  it('a delta needs an accepted parent; a clone needs an existing quote; the parent stays as it was', async () => {
    const parent = await sentQuote();
    const customerId = await insertCompany();
    const base = { opportunityId: newId(), customerId, currency: 'EUR', title: 'Delta' };
    const early = await quoting.open(
      { ...base, quoteId: newId() as never, parentQuoteId: parent },
      { actor },
    );
    expect(!early.ok && early.error.code).toBe('QUOTE_PARENT_NOT_ACCEPTED');
    const missing = await quoting.open(
      { ...base, quoteId: newId() as never, supersedesQuoteId: newId() },
      { actor },
    );
    expect(!missing.ok && missing.error.code).toBe('QUOTE_SUPERSEDED_NOT_FOUND');
    await quoting.accept(acceptInput(parent), { actor });
    const before = await row('quotes', parent);
    const deltaId = newId() as unknown as Commercial.QuoteId;
    const delta = await quoting.open({ ...base, quoteId: deltaId, parentQuoteId: parent }, { actor });
    expect(delta.ok).toBe(true);
    expect((await row('quotes', deltaId))?.['parent_quote_id']).toEqual(uuidToBytes(parent));
    const cloneId = newId() as unknown as Commercial.QuoteId;
    expect((await quoting.open({ ...base, quoteId: cloneId, supersedesQuoteId: parent }, { actor })).ok).toBe(
      true,
    );
    expect(await row('quotes', parent)).toEqual(before);
  });
});

describe('quote_number_sequences table', () => {
  it('20 concurrent allocations give 20 distinct consecutive numbers of the year', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 20 }, () => allocateQuoteNumber(fx.pool, PREFIX, 1999)),
    );
    expect(new Set(numbers).size).toBe(20);
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => Commercial.formatQuoteNumber(1999, i + 1)),
    );
  });
});

describe('sales table and acceptance', () => {
  it('acceptance writes the sale snapshot, the quote acceptance and the due event, in one transaction', async () => {
    const quoteId = await sentQuote();
    const input = acceptInput(quoteId);
    const r = await quoting.accept(input, { actor });
    if (!r.ok || r.value.duplicate) throw new Error('accepted expected');
    expect(r.value.events.map((e) => e.type)).toEqual([
      'quote.accepted',
      'quote.payment_item_due',
      'sale.created',
    ]);
    const sale = await row('sales', input.saleId);
    expect(sale).toMatchObject({ state: 'created', quote_version: 1, currency: 'EUR', sold_minutes: 600 });
    expect([sale?.['sold_value'], sale?.['sold_internal_cost'], sale?.['sold_margin']].map(Number)).toEqual([
      1300_00, 660_00, 640_00,
    ]);
    const loaded = await runtime.unitOfWork.run((s) =>
      s.aggregate(saleDefinition).load(input.saleId as unknown as Uuid),
    );
    expect(loaded.state).toMatchObject({
      status: 'created',
      soldMinutesByRole: { [roleId]: 600 },
      acceptedBy: input.acceptedBy,
    });
    expect(await row('quotes', quoteId)).toMatchObject({ state: 'accepted', accepted_version: 1 });
    await expect(
      fx.pool.query(`DELETE FROM ${PREFIX}sales WHERE id = ?`, [uuidToBytes(input.saleId)]),
    ).rejects.toThrow();
  });

  it('scenario 59: a schedule off by one minor unit blocks send, and nothing is accepted', async () => {
    const quoteId = await sentQuote(1300_01);
    const s = await quoting.handle(quoteId, { type: 'send' }, { actor });
    expect(!s.ok && s.error.code).toBe('QUOTE_NOT_READY');
    const a = await quoting.accept(acceptInput(quoteId), { actor });
    expect(!a.ok && a.error.code).toBe('QUOTE_NOT_SENT');
    expect(await salesOf(quoteId)).toBe(0);
  });

  it('scenario 60 / 1: after acceptance the schedule and lines are immutable; the quote stays readable', async () => {
    const quoteId = await sentQuote();
    await quoting.accept(acceptInput(quoteId), { actor });
    const before = await row('quotes', quoteId);
    const r = await quoting.handle(quoteId, { type: 'define_payment_schedule', items: [] }, { actor });
    expect(!r.ok && r.error.code).toBe('QUOTE_ACCEPTED');
    expect(await row('quotes', quoteId)).toEqual(before);
  });

  it('scenario 46: two concurrent accepts of one quote → exactly one sale, the other QUOTE_ACCEPTED (50 runs)', async () => {
    for (let run = 0; run < 50; run++) {
      const quoteId = await sentQuote();
      const [a, b] = await Promise.all([
        quoting.accept(acceptInput(quoteId), { actor }),
        quoting.accept(acceptInput(quoteId), { actor }),
      ]);
      expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
      const loser = a.ok ? b : a;
      expect(!loser.ok && loser.error.code).toBe('QUOTE_ACCEPTED');
      expect(await salesOf(quoteId)).toBe(1);
    }
  }, 120_000);

  it('a failing extra step rolls the whole acceptance back', async () => {
    const failing = createMysqlQuoting({
      pool: fx.pool,
      prefix: PREFIX,
      runtime,
      acceptanceSteps: [
        {
          name: 'opportunity',
          run: async () => ({ ok: false, error: { code: 'OPPORTUNITY_LOST', message: 'lost' } }),
        },
      ],
    });
    const quoteId = await sentQuote();
    const r = await failing.accept(acceptInput(quoteId), { actor });
    expect(!r.ok && r.error.code).toBe('OPPORTUNITY_LOST');
    expect(await salesOf(quoteId)).toBe(0);
    expect(await row('quotes', quoteId)).toMatchObject({ state: 'open', current_version_state: 'sent' });
  });
});
