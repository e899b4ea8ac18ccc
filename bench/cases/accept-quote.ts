// accept-quote: quote acceptance workflows from 8 concurrent clients. Each acceptance, in one
// transaction, loads the quote row FOR UPDATE, writes it back accepted (versioned UPDATE) with its
// events (quote.accepted + the due event of the undated payment item), loads the (absent) sale row and
// inserts it with its sale.created event.
// lib: `createMysqlQuoting(...).accept` (core's acceptance workflow over the MySQL unit of work).
// raw: the same statements by hand with mysql2 `query` (READ COMMITTED, row lock, versioned UPDATE, the
// accepted version's quote_versions row, the append latch around each event INSERT, INSERT of the sale row
// with its commercial snapshot, COMMIT), computing the new state itself.
// Setup (not measured, identical for both): `size` sent quotes opened through the library.
import {
  appendLatchName,
  connect,
  connectionOptions,
  createMysqlQuoting,
  createMysqlUnitOfWork,
  QUOTING_TABLES,
  systemClock,
  uuidV7Ids,
} from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import { Commercial, createEventRegistry, type EventDraft, type Instant, type Uuid } from '@pet-ops/core';
import { derivedId } from '@pet-ops/sql';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { benchUuid } from '../events.js';
import { emit, freshDatabase, parseCaseArgs, peakRssMb, seeded } from '../harness.js';
import { insertSql, rowParams } from '../rows.js';

const CLIENTS = 8;
const args = parseCaseArgs(process.argv);
const url = await freshDatabase(args.url, args.database);
await installSchema(url);

const bytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (b: unknown): string => {
  const h = Buffer.from(b as Buffer).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const rand = seeded(5);
const actor = { type: 'employee' as const, id: '019b76da-a800-7000-8000-000000300001' };
const eur = (n: number) => ({ amountMinor: n, currency: 'EUR' }) as Commercial.PaymentItem['amount'];
const quoteIds = Array.from(
  { length: args.size },
  (_, i) => benchUuid(rand, i) as unknown as Commercial.QuoteId,
);
const saleIds = Array.from({ length: args.size }, (_, i) => benchUuid(rand, 1_000_000 + i));
const acceptedAt = '2026-11-22T10:00:00.000000Z' as Instant;
const acceptedBy = '019b76da-a800-7000-8000-000000600001';

// Setup: one customer, `size` sent quotes (a product and a 10 h task; deposit due at acceptance).
{
  const pool = await connect({ url, connectionLimit: CLIENTS });
  const customerId = benchUuid(rand, 2_000_000);
  await pool.query(
    "INSERT INTO companies (id, version, state, company_uid, name) VALUES (?, 1, 'active', 'CO-20261122-000001', 'Acme')",
    [bytes(customerId)],
  );
  const runtime = {
    unitOfWork: createMysqlUnitOfWork({ pool, prefix: '', tables: QUOTING_TABLES }),
    registry: createEventRegistry({ events: Commercial.quotingEventDefinitions }),
    clock: systemClock,
    ids: uuidV7Ids,
  };
  const quoting = createMysqlQuoting({ pool, prefix: '', runtime });
  const must = <T extends { ok: boolean }>(r: T): T => {
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r;
  };
  const open = async (quoteId: Commercial.QuoteId): Promise<void> => {
    const g1 = uuidV7Ids.next();
    const g2 = uuidV7Ids.next();
    must(
      await quoting.open(
        { quoteId, opportunityId: uuidV7Ids.next(), customerId, currency: 'EUR', title: 'Relaunch' },
        { actor },
      ),
    );
    const commands: Parameters<typeof quoting.handle>[1][] = [
      { type: 'add_group', groupId: g1, kind: 'catalog', title: 'Licences', recurring: null },
      {
        type: 'add_line',
        groupId: g1,
        line: {
          lineId: uuidV7Ids.next(),
          kind: 'product',
          description: 'Licence',
          quantity: 1,
          unitPrice: eur(100_00),
          unitCost: eur(60_00),
          minutes: null,
          catalog: { catalogItemId: uuidV7Ids.next(), sku: 'LIC-1', name: 'Licence' },
          role: null,
          milestone: null,
        },
      },
      { type: 'add_group', groupId: g2, kind: 'implementation', title: 'Build', recurring: null },
      {
        type: 'add_line',
        groupId: g2,
        line: {
          lineId: uuidV7Ids.next(),
          kind: 'labour_task',
          description: 'Build it',
          quantity: 1,
          unitPrice: null,
          unitCost: null,
          minutes: 600,
          catalog: null,
          role: {
            roleId: '019b76da-a800-7000-8000-000000a00001',
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
          { itemId: uuidV7Ids.next(), title: 'Deposit', amount: eur(300_00), dueDate: null },
          { itemId: uuidV7Ids.next(), title: 'Rest', amount: eur(1000_00), dueDate: '2099-01-01' },
        ],
      },
      { type: 'send' },
    ];
    for (const c of commands) must(await quoting.handle(quoteId, c, { actor }));
  };
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, k) => {
      for (let i = k; i < quoteIds.length; i += CLIENTS) await open(quoteIds[i] as Commercial.QuoteId);
    }),
  );
  await pool.end();
}

const plan = Array.from({ length: CLIENTS }, (_, k) =>
  quoteIds.map((q, i) => ({ quoteId: q, saleId: saleIds[i] as string })).filter((_, i) => i % CLIENTS === k),
);

function draft(
  type: string,
  streamType: string,
  payload: unknown,
  context: Record<string, unknown>,
): EventDraft {
  return {
    eventId: uuidV7Ids.next(),
    type,
    schemaVersion: 1,
    streamType,
    occurredAt: systemClock.now(),
    actor,
    context,
    correlationId: null,
    causationId: null,
    payload,
  };
}

const t0 = performance.now();
if (args.mode === 'lib') {
  const pool = await connect({ url, connectionLimit: CLIENTS });
  const runtime = {
    unitOfWork: createMysqlUnitOfWork({ pool, prefix: '', tables: QUOTING_TABLES }),
    registry: createEventRegistry({ events: Commercial.quotingEventDefinitions }),
    clock: systemClock,
    ids: uuidV7Ids,
  };
  const quoting = createMysqlQuoting({ pool, prefix: '', runtime });
  await Promise.all(
    plan.map(async (items) => {
      for (const { quoteId, saleId } of items) {
        const r = await quoting.accept(
          { quoteId, saleId: saleId as Commercial.SaleId, version: 1, acceptedBy, acceptedAt },
          { actor },
        );
        if (!r.ok) throw new Error(r.error.code);
      }
    }),
  );
  await pool.end();
} else {
  const latch = appendLatchName(args.database, 'domain_events');
  await Promise.all(
    plan.map(async (items) => {
      const conn = await createConnection(connectionOptions(url));
      await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      const append = async (streamId: string, first: number, events: EventDraft[]): Promise<void> => {
        await conn.query(
          'SELECT GET_LOCK(?, ?) AS latched, (SELECT CAST(COALESCE(MAX(stream_version), 0) AS CHAR) FROM domain_events WHERE stream_id = ?) AS head',
          [latch, 10, bytes(streamId)],
        );
        await conn.query(
          insertSql('domain_events', events.length),
          rowParams(streamId as Uuid, first, events),
        );
        await conn.query('DO RELEASE_LOCK(?)', [latch]);
      };
      for (const { quoteId, saleId } of items) {
        await conn.query('START TRANSACTION');
        const [rows] = await conn.query<RowDataPacket[]>('SELECT * FROM quotes WHERE id = ? FOR UPDATE', [
          bytes(quoteId),
        ]);
        const q = rows[0] as RowDataPacket;
        const versions = JSON.parse(String(q['versions'])) as Commercial.QuoteVersion[];
        const v = versions[0] as Commercial.QuoteVersion;
        const accepted = versions.map((x) => ({ ...x, state: 'accepted' }));
        const minutes: Record<string, number> = {};
        for (const g of v.groups) {
          for (const l of g.lines) {
            if (l.role !== null && l.minutes !== null)
              minutes[l.role.roleId] = (minutes[l.role.roleId] ?? 0) + l.minutes * l.quantity;
          }
        }
        const due = (v.schedule ?? []).filter((i) => i.dueDate === null);
        const version = Number(q['version']);
        const customerId = uuidOf(q['customer_id']);
        const opportunityId = uuidOf(q['opportunity_id']);
        const totalSell = eur(Number(q['total_sell']));
        const totalCost = eur(Number(q['total_cost']));
        const at = `${acceptedAt.slice(0, 10)} ${acceptedAt.slice(11, 26)}`;
        // The sale's commercial snapshot: the accepted version's content as sold.
        const snapshot = {
          quoteNumber: String(q['quote_number']),
          title: v.title,
          currency: 'EUR',
          validUntil: v.validUntil,
          groups: v.groups,
          totals: {
            sell: totalSell,
            cost: totalCost,
            margin: eur(totalSell.amountMinor - totalCost.amountMinor),
          },
        };
        await conn.query(
          `UPDATE quotes SET state = 'accepted', current_version_state = 'accepted', accepted_version = 1, sale_id = ?,
           accepted_by = ?, accepted_at = ?, versions = ?, due_item_ids = ?, version = ? WHERE id = ? AND version = ?`,
          [
            bytes(saleId),
            acceptedBy,
            at,
            JSON.stringify(accepted),
            JSON.stringify(due.map((i) => i.itemId)),
            version + 1 + due.length,
            bytes(quoteId),
            version,
          ],
        );
        // The accepted version's row in quote_versions (content rows, issue 22): its state and acceptance stamp.
        await conn.query(
          "UPDATE quote_versions SET state = 'accepted', accepted_at = ?, accepted_by = ? WHERE id = ?",
          [at, acceptedBy, bytes(derivedId('quote_versions', quoteId, 1))],
        );
        const context = { quoteId, customerId };
        await append(quoteId, version + 1, [
          draft(
            'quote.accepted',
            'quote',
            {
              quoteId,
              version: 1,
              opportunityId,
              customerId,
              saleId,
              totalSell,
              totalCost,
              acceptedBy,
              acceptedAt,
            },
            context,
          ),
          ...due.map((i) =>
            draft('quote.payment_item_due', 'quote', { quoteId, ...i, dueDate: '2026-11-22' }, context),
          ),
        ]);
        await conn.query('SELECT * FROM sales WHERE id = ? FOR UPDATE', [bytes(saleId)]);
        await conn.query(
          `INSERT INTO sales (id, version, state, sale_id, quote_id, quote_version, opportunity_id, customer_id, currency,
           sold_value, sold_internal_cost, sold_margin, sold_minutes, sold_minutes_by_role, payment_schedule_json,
           accepted_by, accepted_at, fulfilled_at, commercial_snapshot_json)
           VALUES (?, 1, 'created', ?, ?, 1, ?, ?, 'EUR', ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
          [
            bytes(saleId),
            bytes(saleId),
            bytes(quoteId),
            q['opportunity_id'],
            q['customer_id'],
            totalSell.amountMinor,
            totalCost.amountMinor,
            totalSell.amountMinor - totalCost.amountMinor,
            Object.values(minutes).reduce((a, b) => a + b, 0),
            JSON.stringify(minutes),
            JSON.stringify(v.schedule),
            acceptedBy,
            at,
            JSON.stringify(snapshot),
          ],
        );
        await append(saleId, 1, [
          draft(
            'sale.created',
            'sale',
            {
              saleId,
              quoteId,
              quoteVersion: 1,
              total: totalSell,
              totalCost,
              soldMinutesByRole: minutes,
              acceptedBy,
              acceptedAt,
              paymentSchedule: v.schedule,
              commercialSnapshot: snapshot,
            },
            context,
          ),
        ]);
        await conn.query('COMMIT');
      }
      await conn.end();
    }),
  );
}
const seconds = (performance.now() - t0) / 1000;
emit({ value: args.size / seconds, unit: 'acceptances/s', rssPeakMb: peakRssMb() });
