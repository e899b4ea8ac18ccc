// The commercial context's persistence (malleable schemas, leads, qualifications, opportunities, quotes,
// sales, quote numbers) and the acceptance hand-off to delivery on MariaDB through mysqlDialect: the same
// contract that runs on SQLite, with concurrent clients on their own pooled connections. The adapter's
// names (createMysqlUnitOfWork, createMysqlQuoting, quoteDefinition, saleDefinition) are thin delegates to
// the seam: a quote they write loads through the seam's declaration with the same state, and the sale the
// seam's acceptance writes loads through saleDefinition with the same state.
import type { Commercial, Crm, Instant, Uuid } from '@pet-ops/core';
import {
  aggregateOf,
  createCrmCommands,
  createEventStore,
  createQuoting,
  createUnitOfWork,
  quotesTable,
  STATE_TABLES,
  salesTable,
} from '@pet-ops/sql';
import { Kysely } from 'kysely';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeCommercialContract } from '../../sql/src/contract/commercial-contract.test.js';
import { runtimeOn } from '../../sql/src/contract/crm-contract.test.js';
import { newId } from '../../sql/src/contract/event-store-contract.test.js';
import { QUOTING_TABLES, quoteDefinition, saleDefinition } from './commercial/quotes-definition.js';
import { createMysqlQuoting } from './commercial/quotes-service.js';
import { LEAD_PIPELINE_TABLES } from './commercial/schemas-tables.js';
import { type Fixture, openFixture } from './event-store/fixtures.test.js';
import { uuidToBytes } from './internal/uuid-bytes.js';
import { mysqlDialect } from './pet-dialect.js';
import { createMysqlUnitOfWork } from './unit-of-work/unit-of-work.js';

const PREFIX = 'pet_';
let shared: Promise<Fixture> | undefined;
/** The file's one fresh database, shared by the contract and the interop tests. */
const fixture = (): Promise<Fixture> => {
  shared ??= openFixture(inject('mysqlUrl'), PREFIX, 20);
  return shared;
};
afterAll(async () => {
  await (await shared)?.close();
});

describeCommercialContract('mariadb', async () => {
  const fx = await fixture();
  const dialect = mysqlDialect({ pool: fx.pool });
  // Kysely's end() would end the pool: the fixture ends it (after every describe).
  const db = new Kysely<never>({ dialect: dialect.kysely });
  return {
    db,
    dialect,
    prefix: PREFIX,
    client: () => ({ db, dialect, close: async () => undefined }),
    close: async () => undefined,
  };
});

describe('the adapter’s quoting names delegate to the seam (mariadb)', () => {
  let fx: Fixture;
  const meta = { actor: { type: 'employee' as const, id: newId() } };
  const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' }) as never;
  beforeAll(async () => {
    fx = await fixture();
  });
  const oldRuntime = () =>
    runtimeOn(
      createMysqlUnitOfWork({
        pool: fx.pool,
        prefix: PREFIX,
        tables: { ...QUOTING_TABLES, ...LEAD_PIPELINE_TABLES },
      }),
      '2026-04-01T10:00:00.000000Z',
    );
  const seamRuntime = () => {
    const dialect = mysqlDialect({ pool: fx.pool });
    const db = new Kysely<never>({ dialect: dialect.kysely });
    return runtimeOn(
      createUnitOfWork({
        dialect,
        prefix: PREFIX,
        events: createEventStore({ db, dialect, prefix: PREFIX }),
        tables: STATE_TABLES,
      }),
      '2026-04-01T10:00:00.000000Z',
    );
  };

  it('given a quote written by createMysqlQuoting and accepted through the seam, then each side loads the other’s rows with identical state', async () => {
    const c = await createCrmCommands({ runtime: seamRuntime() }).insertCompanyWithSlots(
      { name: 'Interop', website: `interop-${newId().slice(-8)}.example` },
      meta,
    );
    if (!c.ok) throw new Error(c.error.code);
    const customerId: Crm.CompanyId = c.value.companyId;
    const old = createMysqlQuoting({ runtime: oldRuntime() });
    const quoteId = newId() as string as Commercial.QuoteId;
    const opened = await old.open(
      {
        quoteId,
        opportunityId: newId(),
        customerId,
        currency: 'EUR',
        title: 'Interop',
        validUntil: '2099-12-31',
      },
      meta,
    );
    if (!opened.ok) throw new Error(opened.error.code);
    const groupId = newId();
    for (const command of [
      { type: 'add_group', groupId, kind: 'implementation', title: 'Build', recurring: null },
      {
        type: 'add_line',
        groupId,
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
            roleId: newId(),
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
        items: [{ itemId: newId(), title: 'All', amount: eur(1200_00), dueDate: null }],
      },
      { type: 'send' },
    ] as const) {
      // The deprecated positional form still works for the first command.
      const r =
        command.type === 'add_group'
          ? await old.handle(quoteId, command, meta)
          : await old.handle({ quoteId, command: command as never }, meta);
      if (!r.ok) throw new Error(r.error.code);
    }
    const id = quoteId as string as Uuid;
    // The adapter's quoting saves through the seam's unit of work: the quote's part rows are written too.
    const parts = async (table: string): Promise<number> => {
      const [rows] = await fx.pool.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM ${PREFIX}${table} WHERE quote_id = ?`,
        [uuidToBytes(id)],
      );
      return Number(rows[0]?.['n']);
    };
    expect([
      await parts('quote_versions'),
      await parts('quote_line_groups'),
      await parts('quote_lines'),
    ]).toEqual([1, 1, 1]);
    // old → seam: the quote the adapter wrote.
    const oldQuote = await oldRuntime().unitOfWork.run((s) => s.aggregate(quoteDefinition).load(id));
    const seamQuote = await seamRuntime().unitOfWork.run((s) =>
      s.aggregate(aggregateOf(quotesTable)).load(id),
    );
    expect(seamQuote).toEqual(oldQuote);
    expect(seamQuote.state).toMatchObject({ status: 'open', quoteId, customerId });
    // seam → old: the acceptance the seam wrote (quote row updated, sale row created).
    const saleId = newId() as string as Commercial.SaleId;
    const accepted = await createQuoting({ runtime: seamRuntime() }).accept(
      {
        quoteId,
        saleId,
        version: 1,
        acceptedBy: newId(),
        acceptedAt: '2026-04-02T09:00:00.000000Z' as Instant,
      },
      meta,
    );
    expect(accepted.ok).toBe(true);
    const sid = saleId as string as Uuid;
    const seamSale = await seamRuntime().unitOfWork.run((s) =>
      s.aggregate(aggregateOf(salesTable)).load(sid),
    );
    const oldSale = await oldRuntime().unitOfWork.run((s) => s.aggregate(saleDefinition).load(sid));
    expect(oldSale).toEqual(seamSale);
    expect(oldSale.state).toMatchObject({ status: 'created', quoteId, total: { amountMinor: 1200_00 } });
    const afterOld = await oldRuntime().unitOfWork.run((s) => s.aggregate(quoteDefinition).load(id));
    const afterSeam = await seamRuntime().unitOfWork.run((s) =>
      s.aggregate(aggregateOf(quotesTable)).load(id),
    );
    expect(afterOld).toEqual(afterSeam);
    expect(afterOld.state).toMatchObject({ status: 'accepted', acceptance: { saleId } });
  });
});
