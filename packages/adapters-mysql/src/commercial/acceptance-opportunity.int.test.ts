import {
  type CommandMetadata,
  type CommandRuntime,
  Commercial,
  type CurrencyCode,
  createEventRegistry,
  type Instant,
  type Money,
  type Uuid,
} from '@pet-ops/core';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMysqlEventStore } from '../event-store/event-store.js';
import { uuidToBytes } from '../internal/uuid-bytes.js';
import { useFreshDatabase } from '../migration/fresh-database.test.js';
import { systemClock, uuidV7Ids } from '../system.js';
import { installSchema } from '../testing/schema.js';
import { createMysqlUnitOfWork, mysqlScopeQuery } from '../unit-of-work/unit-of-work.js';
import { markOpportunityWon } from './acceptance-opportunity.js';
import { changeLead, changeOpportunity, changeQualification } from './index.js';
import { QUOTING_TABLES } from './quotes-definition.js';
import { createMysqlQuoting, type MysqlQuoting } from './quotes-service.js';
import { LEAD_PIPELINE_TABLES } from './schemas-tables.js';

const P = 'wp_';
let pool: Pool;
let url: string;
useFreshDatabase((fresh) => {
  pool = fresh.pool;
  url = fresh.db.url;
});

let runtime: CommandRuntime;
let quoting: MysqlQuoting;
let customer: Uuid;
const meta: CommandMetadata = { actor: { type: 'employee', id: uuidV7Ids.next() } };
const EUR = 'EUR' as CurrencyCode;
const eur = (amountMinor: number): Money => ({ amountMinor, currency: EUR });
const newId = <T>(): T => uuidV7Ids.next() as string as T;

async function row(table: string, id: string): Promise<RowDataPacket | undefined> {
  const [r] = await pool.query<RowDataPacket[]>(`SELECT * FROM ${P}${table} WHERE id = ?`, [uuidToBytes(id)]);
  return r[0];
}

/** A qualified lead and its open opportunity on `customer`. */
async function openOpportunity(): Promise<Commercial.OpportunityId> {
  const leadId = newId<Commercial.LeadId>();
  const lead = await changeLead(runtime, meta, {
    leadId,
    command: {
      type: 'create',
      leadId,
      source: 'web',
      subject: 'Relaunch',
      description: null,
      customerId: null,
      ownerEmployeeId: null,
      teamId: null,
      schemaVersion: null,
      data: {},
    },
  });
  expect(lead.ok).toBe(true);
  const qualificationId = newId<Commercial.QualificationId>();
  for (const command of [
    { type: 'start', qualificationId, leadId, schemaVersion: null, data: {} },
    { type: 'complete', outcome: 'qualified', opportunityClass: 'gold', reason: null },
  ] as const) {
    expect((await changeQualification(runtime, meta, { qualificationId, command })).ok).toBe(true);
  }
  const opportunityId = newId<Commercial.OpportunityId>();
  const made = await changeOpportunity(runtime, meta, {
    opportunityId,
    command: {
      type: 'create',
      opportunityId,
      leadId,
      customerId: customer as string as Commercial.OpportunityDetails['customerId'],
      probabilityBp: 5000 as Commercial.OpportunityDetails['probabilityBp'],
      estimatedValue: eur(10_000_00),
      ownerEmployeeId: null,
      teamId: null,
    },
  });
  expect(made.ok).toBe(true);
  return opportunityId;
}

/** A sent one-line quote (1 000 €, due at acceptance) on `opportunityId`. */
async function sentQuote(
  opportunityId: string,
  parentQuoteId: string | null = null,
): Promise<Commercial.QuoteId> {
  const quoteId = newId<Commercial.QuoteId>();
  const opened = await quoting.open(
    { quoteId, opportunityId, customerId: customer, currency: 'EUR', title: 'Relaunch', parentQuoteId },
    meta,
  );
  expect(opened.ok ? 'opened' : opened.error.code).toBe('opened');
  const groupId = newId<string>();
  const commands: Parameters<MysqlQuoting['handle']>[1][] = [
    { type: 'add_group', groupId, kind: 'catalog', title: 'Licences', recurring: null },
    {
      type: 'add_line',
      groupId,
      line: {
        lineId: newId(),
        kind: 'product',
        description: 'Licence',
        quantity: 1,
        unitPrice: eur(1_000_00),
        unitCost: eur(400_00),
        minutes: null,
        catalog: { catalogItemId: newId(), sku: 'LIC-1', name: 'Licence' },
        role: null,
        milestone: null,
      },
    },
    {
      type: 'define_payment_schedule',
      items: [{ itemId: newId(), title: 'All', amount: eur(1_000_00), dueDate: null }],
    },
    { type: 'send' },
  ];
  for (const c of commands) {
    const r = await quoting.handle({ quoteId, command: c }, meta);
    expect(r.ok ? c.type : r.error.code).toBe(c.type);
  }
  return quoteId;
}

const accept = (quoteId: Commercial.QuoteId) =>
  quoting.accept(
    {
      quoteId,
      saleId: newId<Commercial.SaleId>(),
      version: 1,
      acceptedBy: 'customer contact',
      acceptedAt: systemClock.now() as Instant,
    },
    meta,
  );

beforeAll(async () => {
  await installSchema(url, P);
  runtime = {
    unitOfWork: createMysqlUnitOfWork({
      pool,
      prefix: P,
      tables: { ...LEAD_PIPELINE_TABLES, ...QUOTING_TABLES },
    }),
    registry: createEventRegistry({ events: Commercial.commercialEventDefinitions }),
    clock: systemClock,
    ids: uuidV7Ids,
  };
  quoting = createMysqlQuoting({ pool, prefix: P, runtime, acceptanceSteps: [markOpportunityWon] });
  customer = uuidV7Ids.next();
  await pool.query(
    `INSERT INTO ${P}companies (id, version, state, company_uid, name) VALUES (?, 1, 'active', 'CO-20261122-000001', 'Acme')`,
    [uuidToBytes(customer)],
  );
});

describe('acceptance step: the opportunity is won in the acceptance transaction', () => {
  it('given an open opportunity and its sent quote, when the quote is accepted, then the opportunity is won with the quote id', async () => {
    const opportunityId = await openOpportunity();
    const quoteId = await sentQuote(opportunityId);
    const r = await accept(quoteId);
    expect(r.ok).toBe(true);
    expect((await row('opportunities', opportunityId))?.['stage']).toBe('won');
    const events = await createMysqlEventStore({ pool, prefix: P }).readStream(
      opportunityId as string as Uuid,
    );
    const won = events.at(-1);
    expect([won?.type, (won?.payload as { quoteId?: string } | undefined)?.quoteId]).toEqual([
      'opportunity.won',
      quoteId,
    ]);
  });

  it('given a won opportunity, when a delta quote on it is accepted, then the opportunity stays won and nothing is appended to it', async () => {
    const opportunityId = await openOpportunity();
    const parent = await sentQuote(opportunityId);
    expect((await accept(parent)).ok).toBe(true);
    const store = createMysqlEventStore({ pool, prefix: P });
    const before = (await store.readStream(opportunityId as string as Uuid)).length;
    const delta = await sentQuote(opportunityId, parent);
    expect((await accept(delta)).ok).toBe(true);
    expect((await store.readStream(opportunityId as string as Uuid)).length).toBe(before);
    expect((await row('opportunities', opportunityId))?.['stage']).toBe('won');
  });

  it('given a lost opportunity, when its quote is accepted, then OPPORTUNITY_CLOSED and no sale, no accepted quote', async () => {
    const opportunityId = await openOpportunity();
    const quoteId = await sentQuote(opportunityId);
    const lost = await changeOpportunity(runtime, meta, {
      opportunityId,
      command: {
        type: 'lose',
        reason: 'budget cut',
      },
    });
    expect(lost.ok).toBe(true);
    const r = await accept(quoteId);
    expect(r.ok ? 'accepted' : r.error.code).toBe('OPPORTUNITY_CLOSED');
    const [sales] = await pool.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM ${P}sales WHERE quote_id = ?`,
      [uuidToBytes(quoteId)],
    );
    expect(Number(sales[0]?.['n'])).toBe(0);
    expect((await row('quotes', quoteId))?.['state']).toBe('open');
    expect((await row('opportunities', opportunityId))?.['stage']).toBe('lost');
  });
});

describe('scenario 47: a step that throws after the opportunity step rolls back the opportunity too', () => {
  it('given markOpportunityWon then a step that throws, when the quote is accepted, then the thrown error surfaces and the opportunity, quote, sale and event log are as before', async () => {
    const opportunityId = await openOpportunity();
    const quoteId = await sentQuote(opportunityId);
    const boom = new Error('listener after opportunity-won failed');
    let wonInside: unknown;
    const throwing = createMysqlQuoting({
      pool,
      prefix: P,
      runtime,
      acceptanceSteps: [
        markOpportunityWon,
        {
          name: 'throwing listener',
          run: async ({ workflow }) => {
            // Inside the transaction the opportunity is already won…
            const q = mysqlScopeQuery(workflow.scope);
            const rows = await q<RowDataPacket[]>(`SELECT stage FROM ${P}opportunities WHERE id = ?`, [
              uuidToBytes(opportunityId),
            ]);
            wonInside = rows[0]?.['stage'];
            // …when this step throws (it does not return a rejection).
            throw boom;
          },
        },
      ],
    });
    const store = createMysqlEventStore({ pool, prefix: P });
    const opportunityBefore = await row('opportunities', opportunityId);
    const quoteBefore = await row('quotes', quoteId);
    const streamBefore = await store.readStream(opportunityId as string as Uuid);
    const [[countBefore]] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${P}domain_events`);

    const saleId = newId<Commercial.SaleId>();
    await expect(
      throwing.accept(
        {
          quoteId,
          saleId,
          version: 1,
          acceptedBy: 'customer contact',
          acceptedAt: systemClock.now() as Instant,
        },
        meta,
      ),
    ).rejects.toBe(boom);

    expect(wonInside).toBe('won');
    expect(await row('opportunities', opportunityId)).toEqual(opportunityBefore);
    expect(opportunityBefore?.['stage']).not.toBe('won');
    expect(await store.readStream(opportunityId as string as Uuid)).toEqual(streamBefore);
    expect(await row('quotes', quoteId)).toEqual(quoteBefore);
    expect(await row('sales', saleId)).toBeUndefined();
    const [[countAfter]] = await pool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${P}domain_events`);
    expect(Number(countAfter?.['n'])).toBe(Number(countBefore?.['n']));
  });
});
