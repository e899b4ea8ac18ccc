// submit-time-8-clients: 8 clients submitting N draft time entries (support time on 64 open support
// tickets) on MariaDB, each submission with the full check chain.
// lib: the time context's command handler on the seam (`timeBindings.timeEntry` over `mysqlDialect`):
//   the entry row FOR UPDATE, the work context read in the same transaction (the ticket row FOR UPDATE:
//   exists, is a leaf, is not closed; its project when it has one), the lock-period check (Europe/Berlin,
//   closed through February), the versioned UPDATE and the `time_entry.submitted` event through the
//   event store.
// raw: the same reads and writes by hand with mysql2 `query` (READ COMMITTED, both rows FOR UPDATE, the
//   checks in the script, versioned UPDATE, the event under the append latch, COMMIT).
// Setup (not measured, identical for both): 64 tickets through the library, N drafts through
// `importTimeCsv`.
import { appendLatchName, connectionOptions, uuidV7Ids } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import { type CommandRuntime, createCommandHandler, type Instant, Support, Time } from '@pet-ops/core';
import {
  createEventStore,
  createUnitOfWork,
  defaultRetryPolicy,
  importTimeCsv,
  STATE_TABLES,
  supportBindings,
  timeBindings,
} from '@pet-ops/sql';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { openMysqlSeam } from '../kysely.js';

const CLIENTS = 8;
const TICKETS = 64;
const args = parseCaseArgs(process.argv);
const url = await freshDatabase(args.url, args.database);
await installSchema(url);

const at = '2026-03-10T18:00:00.000000Z' as Instant;
const lockPeriod = { timeZone: 'Europe/Berlin', closedThrough: '2026-02-28' };
const bytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (b: unknown): string => {
  const h = Buffer.from(b as Buffer).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const employees = Array.from({ length: CLIENTS }, () => uuidV7Ids.next());

// ---- setup ------------------------------------------------------------------------------------------
const entries: { id: string; employee: string }[] = [];
{
  const seam = await openMysqlSeam(url, 2);
  const events = createEventStore({ db: seam.db, dialect: seam.dialect, prefix: '' });
  const runtime: CommandRuntime = {
    unitOfWork: createUnitOfWork({ dialect: seam.dialect, prefix: '', events, tables: STATE_TABLES }),
    registry: Support.supportEventRegistry,
    clock: { now: () => at },
    ids: uuidV7Ids,
    retry: defaultRetryPolicy,
  };
  const ticket = createCommandHandler(runtime, supportBindings.ticket);
  const tickets: string[] = [];
  for (let i = 0; i < TICKETS; i++) {
    const ticketId = uuidV7Ids.next() as string as Support.TicketId;
    const r = await ticket({
      streamId: ticketId,
      command: {
        type: 'create',
        ticketId,
        owner: 'support',
        customerId: uuidV7Ids.next() as string as Support.CustomerId,
        siteId: null,
        projectId: null,
        subject: `Ticket ${i}`,
        priority: 'medium',
        kind: 'incident',
        soldMinutes: null,
        sla: { mode: 'inherit' },
        parentTicketId: null,
        at,
      },
      metadata: { actor: { type: 'system', id: null } },
    });
    if (!r.ok) throw new Error(`setup ticket: ${r.error.code}`);
    tickets.push(ticketId);
  }
  async function* csv(): AsyncGenerator<Uint8Array> {
    yield Buffer.from('employee_id,start,end,description,billable,work_type,ticket_id\n');
    for (let i = 0; i < args.size; i++) {
      const start = Date.UTC(2026, 2, 2, 8) + Math.floor(i / CLIENTS) * 3_600_000;
      yield Buffer.from(
        `${employees[i % CLIENTS]},${new Date(start).toISOString()},${new Date(start + 45 * 60_000).toISOString()},Support work ${i},yes,support,${tickets[i % TICKETS]}\n`,
      );
    }
  }
  const report = await importTimeCsv({
    db: seam.db,
    dialect: seam.dialect,
    prefix: '',
    source: csv(),
    fileName: 'setup.csv',
  });
  if (report.created !== args.size) throw new Error(`setup: ${JSON.stringify(report)}`);
  const rows = (await seam.db
    .selectFrom('time_entries')
    .select(['id', 'employee_id'])
    .orderBy('id')
    .execute()) as { id: unknown; employee_id: unknown }[];
  for (const r of rows) entries.push({ id: uuidOf(r.id), employee: uuidOf(r.employee_id) });
  await seam.close();
}
const plan = Array.from({ length: CLIENTS }, (_, k) => entries.filter((e) => e.employee === employees[k]));

/** The local date of an instant in Europe/Berlin (the raw script's work date). */
const berlinDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' });

let seconds: number;
if (args.mode === 'lib') {
  const seam = await openMysqlSeam(url, 2 * CLIENTS);
  const t0 = performance.now();
  await Promise.all(
    plan.map(async (items) => {
      const events = createEventStore({ db: seam.db, dialect: seam.dialect, prefix: '' });
      const handle = createCommandHandler(
        {
          unitOfWork: createUnitOfWork({ dialect: seam.dialect, prefix: '', events, tables: STATE_TABLES }),
          registry: Time.timeEventRegistry,
          clock: { now: () => at },
          ids: uuidV7Ids,
          retry: defaultRetryPolicy,
        },
        timeBindings.timeEntry,
      );
      for (const e of items) {
        const r = await handle({
          streamId: e.id as Time.TimeEntryId,
          command: {
            type: 'submit',
            actorId: e.employee as Time.TimeEntryContent['employeeId'],
            attest: true,
            at,
          },
          metadata: { actor: { type: 'employee', id: e.employee } },
          loadFacts: Time.timeEntryFactsLoader(timeBindings.workContextSources, { lockPeriod }),
        });
        if (!r.ok) throw new Error(`submit refused: ${r.error.code} ${r.error.message}`);
      }
    }),
  );
  seconds = (performance.now() - t0) / 1000;
  await seam.close();
} else {
  const latch = appendLatchName(args.database, 'domain_events');
  const sqlAt = `${at.slice(0, 10)} ${at.slice(11, 26)}`;
  const t0 = performance.now();
  await Promise.all(
    plan.map(async (items) => {
      const conn = await createConnection(connectionOptions(url));
      await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      for (const e of items) {
        await conn.query('START TRANSACTION');
        const [rows] = await conn.query<RowDataPacket[]>(
          'SELECT * FROM time_entries WHERE id = ? FOR UPDATE',
          [bytes(e.id)],
        );
        const row = rows[0] as RowDataPacket;
        if (row['state'] !== 'draft' || uuidOf(row['employee_id']) !== e.employee)
          throw new Error('not a draft');
        const [tickets] = await conn.query<RowDataPacket[]>('SELECT * FROM tickets WHERE id = ? FOR UPDATE', [
          row['ticket_id'],
        ]);
        const t = tickets[0] as RowDataPacket | undefined;
        if (t === undefined || t['state'] === 'closed') throw new Error('ticket missing or closed');
        if (row['work_type'] === null || row['is_billable'] === null) throw new Error('unclassified');
        const start = new Date(`${String(row['start_time']).replace(' ', 'T')}Z`);
        const workDate = berlinDate.format(
          Number.isNaN(start.getTime()) ? (row['start_time'] as Date) : start,
        );
        if (workDate <= lockPeriod.closedThrough) throw new Error('period closed');
        const version = Number(row['version']);
        await conn.query(
          `UPDATE time_entries SET state = 'submitted', project_id = NULL, work_date = ?, attested_by_employee_id = ?,
           submitted_at = ?, version = ? WHERE id = ? AND version = ?`,
          [workDate, bytes(e.employee), sqlAt, version + 1, bytes(e.id), version],
        );
        await conn.query(
          'SELECT GET_LOCK(?, ?) AS latched, (SELECT CAST(COALESCE(MAX(stream_version), 0) AS CHAR) FROM domain_events WHERE stream_id = ?) AS head',
          [latch, 10, bytes(e.id)],
        );
        await conn.query(
          `INSERT INTO domain_events (event_id, event_type, schema_version, stream_type, stream_id, stream_version,
           occurred_at, actor_type, actor_id, context, payload) VALUES (?, 'time_entry.submitted', 1, 'time_entry', ?, ?, ?, 'employee', ?, '{}', ?)`,
          [
            bytes(uuidV7Ids.next()),
            bytes(e.id),
            version + 1,
            sqlAt,
            e.employee,
            JSON.stringify({
              timeEntryId: e.id,
              employeeId: e.employee,
              minutes: Number(row['duration_minutes']),
              ticketId: uuidOf(row['ticket_id']),
              projectId: null,
              workDate,
              attestedBy: e.employee,
              submittedAt: at,
            }),
          ],
        );
        await conn.query('COMMIT');
        await conn.query('DO RELEASE_LOCK(?)', [latch]);
      }
      await conn.end();
    }),
  );
  seconds = (performance.now() - t0) / 1000;
}
emit({ value: args.size / seconds, unit: 'submissions/s', rssPeakMb: peakRssMb() });
