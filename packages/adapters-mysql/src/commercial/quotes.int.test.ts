import {
  type CommandRuntime,
  Commercial,
  createEventRegistry,
  type Instant,
  ok,
  PetError,
  replay,
  type Uuid,
} from '@pet-ops/core';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMysqlEventStore } from '../event-store/event-store.js';
import { caught, countRows, draft, type Fixture, newId, openFixture } from '../event-store/fixtures.test.js';
import { bytesToUuid, uuidToBytes } from '../internal/uuid-bytes.js';
import { systemClock, uuidV7Ids } from '../system.js';
import { createMysqlUnitOfWork } from '../unit-of-work/unit-of-work.js';
import { QUOTING_TABLES, quoteDefinition, saleDefinition } from './quotes-definition.js';

/** JSON columns come back as text on MariaDB (JSON = LONGTEXT) and parsed on MySQL 8. */
const jsonColumn = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

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
    const r = await quoting.handle({ quoteId, command: c }, { actor });
    if (!r.ok) throw new Error(r.error.code);
  }
  if (scheduleTotal === 1300_00) {
    const s = await quoting.handle({ quoteId, command: { type: 'send' } }, { actor });
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

  it('given the deprecated positional handle(quoteId, command, metadata), when a draft changes, then it works as the request form does', async () => {
    const quoteId = await sentQuote(1200_00); // a schedule short of the total: still a draft
    const r = await quoting.handle(quoteId, { type: 'change_details', title: 'Renamed' }, { actor });
    expect(r.ok).toBe(true);
    expect((await row('quotes', quoteId))?.['title']).toBe('Renamed');
    const again = await quoting.handle(
      { quoteId, command: { type: 'change_details', title: 'Again' } },
      { actor },
    );
    expect(again.ok).toBe(true);
    expect((await row('quotes', quoteId))?.['title']).toBe('Again');
  });

  it('a sent version cannot change (QUOTE_VERSION_LOCKED) and the row stays as it was', async () => {
    const quoteId = await sentQuote();
    const before = await row('quotes', quoteId);
    const r = await quoting.handle(
      { quoteId, command: { type: 'change_details', title: 'other' } },
      { actor },
    );
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
    const s = await quoting.handle({ quoteId, command: { type: 'send' } }, { actor });
    expect(!s.ok && s.error.code).toBe('QUOTE_NOT_READY');
    const a = await quoting.accept(acceptInput(quoteId), { actor });
    expect(!a.ok && a.error.code).toBe('QUOTE_NOT_SENT');
    expect(await salesOf(quoteId)).toBe(0);
  });

  it('scenario 60 / 1: after acceptance the schedule and lines are immutable; the quote stays readable', async () => {
    const quoteId = await sentQuote();
    await quoting.accept(acceptInput(quoteId), { actor });
    const before = await row('quotes', quoteId);
    const r = await quoting.handle(
      { quoteId, command: { type: 'define_payment_schedule', items: [] } },
      { actor },
    );
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

const events = () => countRows(fx.pool, `${PREFIX}domain_events`);
const streamOf = (id: string) =>
  createMysqlEventStore({ pool: fx.pool, prefix: PREFIX }).readStream(id as unknown as Uuid);
const versionsOf = (r: RowDataPacket | undefined) => jsonColumn<Commercial.QuoteVersion[]>(r?.['versions']);

/** Everything an accepted quote owns in the database: its row, its sale's row, its stream and the log size. */
async function acceptedSnapshot(quoteId: string, saleId: string) {
  return {
    quote: await row('quotes', quoteId),
    sale: await row('sales', saleId),
    stream: await streamOf(quoteId),
    events: await events(),
  };
}

describe('scenario 1: an accepted quote is immutable; corrections are new quotes that reference it', () => {
  it('given an accepted quote, when its header, lines or schedule are edited, then QUOTE_ACCEPTED every time and no row or event changes', async () => {
    const quoteId = await sentQuote();
    const input = acceptInput(quoteId);
    expect((await quoting.accept(input, { actor })).ok).toBe(true);
    const before = await acceptedSnapshot(quoteId, input.saleId);
    const [group] = versionsOf(before.quote)[0]?.groups ?? [];
    const lineId = group?.lines[0]?.lineId;
    if (group === undefined || lineId === undefined) throw new Error('the accepted version has no line');

    const edits: Parameters<MysqlQuoting['handle']>[1][] = [
      // header
      { type: 'change_details', title: 'Relaunch (corrected)' },
      { type: 'change_details', validUntil: '2100-01-01' },
      // lines
      { type: 'add_group', groupId: newId(), kind: 'adjustment', title: 'Discount', recurring: null },
      {
        type: 'add_line',
        groupId: group.groupId,
        line: {
          lineId: newId(),
          kind: 'product',
          description: 'Second licence',
          quantity: 1,
          unitPrice: eur(100_00),
          unitCost: eur(60_00),
          minutes: null,
          catalog: { catalogItemId: newId(), sku: 'LIC-2', name: 'Licence' },
          role: null,
          milestone: null,
        },
      },
      { type: 'remove_line', lineId },
      // schedule (a valid one: it still settles the total)
      {
        type: 'define_payment_schedule',
        items: [{ itemId: newId(), title: 'All at once', amount: eur(1300_00), dueDate: null }],
      },
      { type: 'define_payment_schedule', items: [] },
      // a new version of it
      { type: 'revise' },
    ];
    for (const command of edits) {
      const r = await quoting.handle({ quoteId, command }, { actor });
      expect(r.ok ? `${command.type} went through` : r.error).toMatchObject({
        code: 'QUOTE_ACCEPTED',
        details: { acceptedVersion: 1, quoteNumber: before.quote?.['quote_number'] },
      });
    }
    expect(await acceptedSnapshot(quoteId, input.saleId)).toEqual(before);
  });

  it('given an accepted quote, when a clone supersedes it and a delta corrects it, then each references it (supersedes_quote_id / parent_quote_id) and the original stays readable and unchanged', async () => {
    const original = await sentQuote();
    const input = acceptInput(original);
    expect((await quoting.accept(input, { actor })).ok).toBe(true);
    const before = await acceptedSnapshot(original, input.saleId);
    const loadedBefore = await runtime.unitOfWork.run((s) =>
      s.aggregate(quoteDefinition).load(original as unknown as Uuid),
    );
    const customerId = bytesToUuid(before.quote?.['customer_id'] as Uint8Array);
    const base = { opportunityId: newId(), customerId, currency: 'EUR', title: 'Relaunch (corrected)' };

    const cloneId = newId() as unknown as Commercial.QuoteId;
    const clone = await quoting.open({ ...base, quoteId: cloneId, supersedesQuoteId: original }, { actor });
    expect(clone.ok ? 'opened' : clone.error.code).toBe('opened');
    const deltaId = newId() as unknown as Commercial.QuoteId;
    const delta = await quoting.open({ ...base, quoteId: deltaId, parentQuoteId: original }, { actor });
    expect(delta.ok ? 'opened' : delta.error.code).toBe('opened');

    const cloneRow = await row('quotes', cloneId);
    expect(cloneRow?.['supersedes_quote_id']).toEqual(uuidToBytes(original));
    expect(cloneRow?.['parent_quote_id']).toBeNull();
    expect(cloneRow).toMatchObject({ state: 'open', current_version: 1, current_version_state: 'draft' });
    expect(cloneRow?.['quote_number']).not.toBe(before.quote?.['quote_number']);
    const deltaRow = await row('quotes', deltaId);
    expect(deltaRow?.['parent_quote_id']).toEqual(uuidToBytes(original));
    expect(deltaRow?.['supersedes_quote_id']).toBeNull();

    // The reference is in the stored event and in the loaded aggregate, not only in the row.
    const [cloneCreated] = await streamOf(cloneId);
    expect(cloneCreated?.type).toBe('quote.created');
    expect(cloneCreated?.payload).toMatchObject({ supersedesQuoteId: original, parentQuoteId: null });
    const [deltaCreated] = await streamOf(deltaId);
    expect(deltaCreated?.payload).toMatchObject({ parentQuoteId: original, supersedesQuoteId: null });
    const loadedClone = await runtime.unitOfWork.run((s) =>
      s.aggregate(quoteDefinition).load(cloneId as unknown as Uuid),
    );
    expect(loadedClone.state).toMatchObject({ supersedesQuoteId: original, parentQuoteId: null });

    // The original: readable, still accepted with its sale, and byte for byte as it was.
    const after = await acceptedSnapshot(original, input.saleId);
    expect({ ...after, events: undefined }).toEqual({ ...before, events: undefined });
    expect(after.events).toBe(before.events + 2); // the two quote.created events, nothing else
    const loadedAfter = await runtime.unitOfWork.run((s) =>
      s.aggregate(quoteDefinition).load(original as unknown as Uuid),
    );
    expect(loadedAfter).toEqual(loadedBefore);
    expect(loadedAfter.state).toMatchObject({
      status: 'accepted',
      acceptance: { version: 1, saleId: input.saleId },
    });
  });
});

describe('scenario 11: the sale carries the canonical payment schedule of the accepted version', () => {
  it('given an accepted quote, then the sale row, its sale.created event and the loaded sale hold exactly the accepted version’s schedule', async () => {
    const quoteId = await sentQuote();
    const input = acceptInput(quoteId);
    expect((await quoting.accept(input, { actor })).ok).toBe(true);
    const schedule = versionsOf(await row('quotes', quoteId)).find((v) => v.version === 1)?.schedule;
    expect(schedule?.map((i) => [i.title, i.amount.amountMinor, i.dueDate])).toEqual([
      ['Deposit', 300_00, null],
      ['Rest', 1000_00, '2099-01-01'],
    ]);

    const sale = await row('sales', input.saleId);
    expect(jsonColumn<Commercial.PaymentItem[]>(sale?.['payment_schedule_json'])).toEqual(schedule);
    const saleEvents = await streamOf(input.saleId);
    expect(saleEvents.map((e) => e.type)).toEqual(['sale.created']);
    expect(saleEvents[0]?.payload).toHaveProperty('paymentSchedule', schedule);
    const loaded = await runtime.unitOfWork.run((s) =>
      s.aggregate(saleDefinition).load(input.saleId as unknown as Uuid),
    );
    expect(loaded.state).toMatchObject({ paymentSchedule: schedule });
  });

  it('given version 1 sent and revised into a version 2 with another schedule, when version 2 is accepted, then the sale holds version 2’s schedule, not version 1’s', async () => {
    const quoteId = await sentQuote();
    const v2Schedule: Commercial.PaymentItem[] = [
      { itemId: newId(), title: 'Kick-off', amount: eur(650_00), dueDate: null },
      { itemId: newId(), title: 'Launch', amount: eur(400_00), dueDate: '2099-03-01' },
      { itemId: newId(), title: 'Hand-over', amount: eur(250_00), dueDate: '2099-06-01' },
    ];
    for (const command of [
      { type: 'revise' },
      { type: 'define_payment_schedule', items: v2Schedule },
      { type: 'send' },
    ] as const) {
      const r = await quoting.handle({ quoteId, command }, { actor });
      expect(r.ok ? command.type : r.error.code).toBe(command.type);
    }
    const input = { ...acceptInput(quoteId), version: 2 };
    expect((await quoting.accept(input, { actor })).ok).toBe(true);
    const versions = versionsOf(await row('quotes', quoteId));
    const accepted = versions.find((v) => v.version === 2)?.schedule;
    expect(accepted).toEqual(v2Schedule);
    expect(versions.find((v) => v.version === 1)?.schedule).not.toEqual(v2Schedule);

    const sale = await row('sales', input.saleId);
    expect(sale?.['quote_version']).toBe(2);
    expect(jsonColumn<Commercial.PaymentItem[]>(sale?.['payment_schedule_json'])).toEqual(v2Schedule);
    const [created] = await streamOf(input.saleId);
    expect(created?.payload).toHaveProperty('paymentSchedule', v2Schedule);
  });
});

describe('scenario 47: an acceptance step that throws rolls the whole acceptance back', () => {
  /** A quoting service whose one extra step first appends an event of its own, then throws `error`. */
  function throwingQuoting(error: Error, calls: { n: number }, stream: string): MysqlQuoting {
    return createMysqlQuoting({
      pool: fx.pool,
      prefix: PREFIX,
      runtime,
      acceptanceSteps: [
        {
          name: 'listener',
          run: async ({ workflow }) => {
            calls.n++;
            await workflow.scope.append(stream as unknown as Uuid, 'no_stream', [draft()]);
            throw error;
          },
        },
      ],
    });
  }

  it.each([
    ['a plain Error', new Error('listener failed')],
    ['a non-retryable PetError', new PetError('NOT_FOUND', 'listener lost its target')],
  ])(
    'given a step that throws %s after the quote was accepted, the sale created and an event appended, then that very error surfaces and nothing is written',
    async (_, error) => {
      const quoteId = await sentQuote();
      const input = acceptInput(quoteId);
      const stepStream = newId();
      const calls = { n: 0 };
      const quoteBefore = await row('quotes', quoteId);
      const streamBefore = await streamOf(quoteId);
      const eventsBefore = await events();

      await expect(throwingQuoting(error, calls, stepStream).accept(input, { actor })).rejects.toBe(error);

      expect(calls.n).toBe(1); // not retried
      expect(await row('quotes', quoteId)).toEqual(quoteBefore);
      expect(await streamOf(quoteId)).toEqual(streamBefore);
      expect(await row('sales', input.saleId)).toBeUndefined();
      expect(await salesOf(quoteId)).toBe(0);
      expect(await streamOf(input.saleId)).toEqual([]);
      expect(await streamOf(stepStream)).toEqual([]);
      expect(await events()).toBe(eventsBefore);
      // The quote is untouched: it can still be accepted normally.
      expect((await quoting.accept(acceptInput(quoteId), { actor })).ok).toBe(true);
    },
  );

  it('given a step that throws a retryable error on its first attempt only, then the first attempt leaves nothing and the retry commits exactly one acceptance', async () => {
    const quoteId = await sentQuote();
    const input = acceptInput(quoteId);
    const streams = [newId(), newId()];
    let attempt = 0;
    const flaky = createMysqlQuoting({
      pool: fx.pool,
      prefix: PREFIX,
      runtime,
      acceptanceSteps: [
        {
          name: 'flaky listener',
          run: async ({ workflow }) => {
            const stream = streams[attempt++] as unknown as Uuid;
            await workflow.scope.append(stream, 'no_stream', [draft()]);
            if (attempt === 1) {
              throw new PetError('CONCURRENCY_CONFLICT', 'listener raced', { retryable: true });
            }
            return ok(null);
          },
        },
      ],
    });
    const eventsBefore = await events();
    const r = await flaky.accept(input, { actor });
    if (!r.ok || r.value.duplicate) throw new Error('accepted expected');
    expect(attempt).toBe(2);
    expect(await streamOf(streams[0] as string)).toEqual([]);
    expect(await streamOf(streams[1] as string)).toHaveLength(1);
    expect(await salesOf(quoteId)).toBe(1);
    expect((await streamOf(quoteId)).filter((e) => e.type === 'quote.accepted')).toHaveLength(1);
    // quote.accepted + quote.payment_item_due + sale.created + the step's one event of the second attempt.
    expect(await events()).toBe(eventsBefore + 4);
  });
});
