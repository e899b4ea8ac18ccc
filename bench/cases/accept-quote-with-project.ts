// accept-quote-with-project: N quote acceptances on MariaDB from 4 clients, each with the delivery
// hand-off of a 40-task WBS (4 milestones × 10 labour tasks) in the same transaction.
// lib: `createQuoting({ acceptanceSteps: [deliveryOnAcceptance(…)] }).accept` of `@pet-ops/sql` over
//   `mysqlDialect`: the quote row FOR UPDATE, the core acceptance (sale, due events), then the project,
//   its baseline v1 (sold minutes, value, cost ceiling, margin, the WBS snapshot), its milestones and
//   tasks (one batch each) — one transaction; the unit writes every event in one append before COMMIT
//   (the unit of work's default `appendEvents: 'at-commit'`): 20 statements against the raw script's 13.
// raw: a script writing the same rows in one transaction per acceptance: the quote row FOR UPDATE, the
//   versioned UPDATE of the quote with the values the library writes, multi-row INSERTs of the new rows
//   (sale, project, baseline, milestones, tasks, …) and of their events under the append latch, COMMIT.
//   The rows are those the library wrote for one template acceptance during setup, copied under new ids.
// Setup (not measured, identical for both sides): a customer and N + 1 sent quotes through the library;
// the template quote accepted through the library. (A unit of work may hold two connections at once:
// every pool has room for two per client.)
import { appendLatchName, connectionOptions, uuidV7Ids } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import {
  type CommandRuntime,
  type Commercial,
  type CurrencyCode,
  createPetRegistry,
  type Instant,
  type Money,
} from '@pet-ops/core';
import {
  createCrmCommands,
  createEventStore,
  createQuoting,
  createUnitOfWork,
  defaultRetryPolicy,
  deliveryOnAcceptance,
  type QuoteRequest,
  STATE_TABLES,
} from '@pet-ops/sql';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { openMysqlSeam } from '../kysely.js';

const CLIENTS = 4;
const TASKS = 40;
const args = parseCaseArgs(process.argv);
const url = await freshDatabase(args.url, args.database);
await installSchema(url);

const EUR = 'EUR' as CurrencyCode;
const eur = (amountMinor: number): Money => ({ amountMinor, currency: EUR });
const meta = { actor: { type: 'employee' as const, id: '019b76da-a800-7000-8000-000000300001' } };
const acceptedAt = '2026-04-02T09:00:00.000000Z' as Instant;
const acceptedBy = '019b76da-a800-7000-8000-000000600001';
const bytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');
const registry = createPetRegistry();

async function quotingOn(seam: Awaited<ReturnType<typeof openMysqlSeam>>) {
  const events = createEventStore({ db: seam.db, dialect: seam.dialect, prefix: '' });
  const runtime: CommandRuntime = {
    unitOfWork: createUnitOfWork({ dialect: seam.dialect, prefix: '', events, tables: STATE_TABLES }),
    registry,
    clock: { now: () => acceptedAt },
    ids: uuidV7Ids,
    retry: { ...defaultRetryPolicy, maxAttempts: 20 },
  };
  return {
    runtime,
    quoting: createQuoting({ runtime, acceptanceSteps: [deliveryOnAcceptance({ ids: uuidV7Ids })] }),
  };
}

/** A labour task of the WBS: 30–120 minutes under milestone `m`. */
function labour(i: number, m: number): Commercial.QuoteLine {
  return {
    lineId: uuidV7Ids.next(),
    kind: 'labour_task',
    description: `Task ${i + 1}`,
    quantity: 1,
    unitPrice: null,
    unitCost: null,
    minutes: 30 + (i % 4) * 30,
    catalog: null,
    role: {
      roleId: '019b76da-a800-7000-8000-000000a00001',
      name: 'Developer',
      sellRatePerHour: eur(120_00),
      costRatePerHour: eur(60_00),
      recommendedSellRatePerHour: null,
    },
    milestone: { name: `Milestone ${m}`, sequence: m },
  };
}

// ---- setup: a customer, N + 1 sent quotes, the template accepted --------------------------------------
const quoteIds: Commercial.QuoteId[] = [];
let template: Commercial.QuoteId;
{
  const seam = await openMysqlSeam(url, 2 * CLIENTS);
  const { runtime, quoting } = await quotingOn(seam);
  const company = await createCrmCommands({ runtime }).insertCompanyWithSlots(
    { name: 'Acme', website: 'acme-bench.example' },
    meta,
  );
  if (!company.ok) throw new Error(company.error.code);
  const customerId = company.value.companyId;
  const sent = async (): Promise<Commercial.QuoteId> => {
    const quoteId = uuidV7Ids.next() as string as Commercial.QuoteId;
    const opened = await quoting.open(
      {
        quoteId,
        opportunityId: uuidV7Ids.next(),
        customerId,
        currency: 'EUR',
        title: 'Relaunch',
        validUntil: '2099-12-31',
      },
      meta,
    );
    if (!opened.ok) throw new Error(opened.error.code);
    const groupId = uuidV7Ids.next();
    const lines = Array.from({ length: TASKS }, (_, i) => labour(i, Math.floor(i / 10) + 1));
    const total = lines.reduce((s, l) => s + ((l.minutes ?? 0) * 120_00) / 60, 0);
    const commands: QuoteRequest['command'][] = [
      { type: 'add_group', groupId, kind: 'implementation', title: 'Build', recurring: null },
      ...lines.map((line) => ({ type: 'add_line' as const, groupId, line })),
      {
        type: 'define_payment_schedule',
        items: [{ itemId: uuidV7Ids.next(), title: 'All', amount: eur(total), dueDate: null }],
      },
      { type: 'send' },
    ];
    for (const command of commands) {
      const r = await quoting.handle({ quoteId, command }, meta);
      if (!r.ok) throw new Error(`${command.type}: ${r.error.code}`);
    }
    return quoteId;
  };
  template = await sent();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, k) => {
      for (let i = k; i < args.size; i += CLIENTS) quoteIds[i] = await sent();
    }),
  );
  await seam.close();
}

// What one acceptance writes: the template accepted through the library, its rows read back.
const setup = await createConnection(connectionOptions(url));
const q = async (text: string, params: unknown[] = []): Promise<RowDataPacket[]> =>
  (await setup.query<RowDataPacket[]>(text, params))[0];
const [{ database }] = (await q('SELECT DATABASE() AS `database`')) as [{ database: string }];
const tables = (
  await q('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = ?', [
    database,
    'BASE TABLE',
  ])
).map((r) => String(r['t']));
const counts = async (): Promise<Map<string, number>> => {
  const out = new Map<string, number>();
  for (const t of tables) out.set(t, Number((await q(`SELECT COUNT(*) AS n FROM \`${t}\``))[0]?.['n']));
  return out;
};
const before = await counts();
const lastPosition = Number((await q('SELECT COALESCE(MAX(position), 0) AS p FROM domain_events'))[0]?.['p']);
const quoteBefore = (await q('SELECT * FROM quotes WHERE id = ?', [bytes(template)]))[0] as RowDataPacket;
{
  const seam = await openMysqlSeam(url, 4);
  const { quoting } = await quotingOn(seam);
  const r = await quoting.accept(
    {
      quoteId: template,
      saleId: uuidV7Ids.next() as string as Commercial.SaleId,
      version: 1,
      acceptedBy,
      acceptedAt,
    },
    meta,
  );
  if (!r.ok) throw new Error(`template accept: ${r.error.code}`);
  await seam.close();
}
const after = await counts();
const quoteAfter = (await q('SELECT * FROM quotes WHERE id = ?', [bytes(template)]))[0] as RowDataPacket;
const quoteChanged = Object.keys(quoteAfter).filter(
  (k) => k !== 'id' && JSON.stringify(quoteAfter[k]) !== JSON.stringify(quoteBefore[k]),
);
// Tables the acceptance inserted into (other than the log): empty before it, so every row is the template's.
const newRows = new Map<string, RowDataPacket[]>();
for (const t of tables) {
  if (t === 'domain_events' || t === 'quotes') continue;
  if ((after.get(t) ?? 0) > (before.get(t) ?? 0)) {
    if ((before.get(t) ?? 0) !== 0) throw new Error(`setup: ${t} had rows before the template acceptance`);
    newRows.set(t, await q(`SELECT * FROM \`${t}\``));
  }
}
const templateEvents = await q('SELECT * FROM domain_events WHERE position > ? ORDER BY position', [
  lastPosition,
]);
// Every id the acceptance made (ids of the new rows and of the streams it wrote), to be replaced per quote.
const madeIds = new Set<string>();
for (const rows of newRows.values())
  for (const r of rows) if (Buffer.isBuffer(r['id'])) madeIds.add((r['id'] as Buffer).toString('hex'));
for (const e of templateEvents) madeIds.add((e['stream_id'] as Buffer).toString('hex'));
madeIds.delete(bytes(template).toString('hex'));
await setup.end();
const rowCount = [...newRows.values()].reduce((n, r) => n + r.length, 0);

let seconds: number;
const plan = Array.from({ length: CLIENTS }, (_, k) => quoteIds.filter((_, i) => i % CLIENTS === k));
if (args.mode === 'lib') {
  const seam = await openMysqlSeam(url, 2 * CLIENTS);
  const { quoting } = await quotingOn(seam);
  const t0 = performance.now();
  await Promise.all(
    plan.map(async (items) => {
      for (const quoteId of items) {
        const r = await quoting.accept(
          {
            quoteId,
            saleId: uuidV7Ids.next() as string as Commercial.SaleId,
            version: 1,
            acceptedBy,
            acceptedAt,
          },
          meta,
        );
        if (!r.ok) throw new Error(`accept: ${r.error.code}`);
      }
    }),
  );
  seconds = (performance.now() - t0) / 1000;
  await seam.close();
} else {
  const latch = appendLatchName(args.database, 'domain_events');
  const eventColumns = Object.keys(templateEvents[0] as RowDataPacket).filter(
    (k) => k !== 'position' && k !== 'recorded_at',
  );
  const t0 = performance.now();
  await Promise.all(
    plan.map(async (items) => {
      const conn = await createConnection(connectionOptions(url));
      await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      for (const quoteId of items) {
        const quote = bytes(quoteId);
        const ids = new Map<string, Buffer>([[bytes(template).toString('hex'), quote]]);
        const remap = (v: unknown): unknown => {
          if (!Buffer.isBuffer(v) || v.length !== 16) return v;
          const key = v.toString('hex');
          if (!madeIds.has(key) && !ids.has(key)) return v;
          let mapped = ids.get(key);
          if (mapped === undefined) {
            mapped = bytes(uuidV7Ids.next());
            ids.set(key, mapped);
          }
          return mapped;
        };
        await conn.query('START TRANSACTION');
        const [locked] = await conn.query<RowDataPacket[]>('SELECT * FROM quotes WHERE id = ? FOR UPDATE', [
          quote,
        ]);
        const version = Number((locked[0] as RowDataPacket)['version']);
        await conn.query(
          `UPDATE quotes SET ${quoteChanged.map((k) => `\`${k}\` = ?`).join(', ')} WHERE id = ? AND version = ?`,
          [...quoteChanged.map((k) => remap(quoteAfter[k])), quote, version],
        );
        for (const [table, rows] of newRows) {
          const columns = Object.keys(rows[0] as RowDataPacket);
          await conn.query(
            `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`,
            [rows.map((r) => columns.map((c) => remap(r[c])))],
          );
        }
        await conn.query('SELECT GET_LOCK(?, ?) AS latched', [latch, 10]);
        await conn.query(`INSERT INTO domain_events (${eventColumns.join(', ')}) VALUES ?`, [
          templateEvents.map((e) =>
            eventColumns.map((c) => (c === 'event_id' ? bytes(uuidV7Ids.next()) : remap(e[c]))),
          ),
        ]);
        await conn.query('COMMIT');
        await conn.query('DO RELEASE_LOCK(?)', [latch]);
      }
      await conn.end();
    }),
  );
  seconds = (performance.now() - t0) / 1000;
}
emit({
  value: args.size / seconds,
  unit: 'acceptances/s',
  rssPeakMb: peakRssMb(),
  extra: {
    rowsPerAcceptance: rowCount,
    eventsPerAcceptance: templateEvents.length,
    tables: [...newRows.keys()],
  },
});
