// sla-evaluate: N open SLA clocks on MariaDB, all past their response warning, evaluated in one pass.
// lib: `evaluateDue` of `@pet-ops/sql` over `mysqlDialect` (selects the due clocks 500 at a time; each
//   clock in its own unit of work: row FOR UPDATE, the decider, versioned UPDATE, its `sla_events` row
//   and its `sla.warning` event through the event store; then its `last_evaluated_at`). Checks that every
//   clock fired exactly one warning.
// raw: a script that selects the due clocks the same way and, per clock in one transaction, locks the
//   row, writes the same column values the library writes (versioned UPDATE), the same `sla_events` row
//   and the same event (under the append latch, as every writer of the log must), then stamps
//   `last_evaluated_at` — the values taken from one clock the library evaluated during setup.
// Setup (not measured, identical for both sides): one SLA and two template clocks bound through the
// library, the first evaluated (to learn what an evaluation writes); then N copies of the second clock's
// row and `sla.bound` event under new ids, with multi-row INSERTs.
import { appendLatchName, connectionOptions, systemClock, uuidV7Ids } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import {
  type Calendar,
  type CommandRuntime,
  createCommandHandler,
  type Instant,
  Support,
} from '@pet-ops/core';
import {
  createEventStore,
  createUnitOfWork,
  defaultRetryPolicy,
  evaluateDue,
  STATE_TABLES,
  supportBindings,
} from '@pet-ops/sql';
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { openMysqlSeam } from '../kysely.js';

const args = parseCaseArgs(process.argv);
const url = await freshDatabase(args.url, args.database);
await installSchema(url);

const startedAt = '2026-03-02T09:00:00.000000Z' as Instant;
const now = '2026-03-02T09:50:00.000000Z' as Instant; // past the response warning (48), before the breach (60)
const metadata = { actor: { type: 'system' as const, id: null } };
const bytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');

/** Binds two template clocks through the library; evaluates the first. Returns their ids. */
async function templates(): Promise<{ evaluated: string; fresh: string }> {
  const seam = await openMysqlSeam(url, 2);
  const events = createEventStore({ db: seam.db, dialect: seam.dialect, prefix: '' });
  const runtime: CommandRuntime = {
    unitOfWork: createUnitOfWork({ dialect: seam.dialect, prefix: '', events, tables: STATE_TABLES }),
    registry: Support.supportEventRegistry,
    clock: { now: () => startedAt },
    ids: uuidV7Ids,
    retry: defaultRetryPolicy,
  };
  const sla = createCommandHandler(runtime, supportBindings.slaDefinition);
  const ticket = createCommandHandler(runtime, supportBindings.ticket);
  const clock = createCommandHandler(runtime, supportBindings.slaAssignment);
  const calendar: Calendar.BusinessCalendar = {
    calendarId: uuidV7Ids.next() as string as Calendar.CalendarId,
    version: 1,
    timeZone: 'Europe/Berlin',
    windows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday: weekday as Calendar.Weekday,
      startMinute: 0,
      endMinute: 1440,
    })),
    holidays: [],
  };
  const slaId = uuidV7Ids.next() as string as Support.SlaDefinitionId;
  const must = (r: { ok: boolean }, what: string): void => {
    if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r)}`);
  };
  must(
    await sla({
      streamId: slaId,
      command: {
        type: 'create',
        slaDefinitionId: slaId,
        versionNumber: 1,
        terms: {
          name: 'Gold',
          tier: 'gold',
          responseTargetMinutes: 60,
          resolutionTargetMinutes: 480,
          warningThresholdBp: 8_000,
          calendarId: calendar.calendarId,
          escalationRules: [
            {
              thresholdBp: 10_000,
              action: 'notify_manager',
              notifyMethod: 'internal',
              escalationRoleId: null,
              enabled: true,
            },
          ],
        },
        at: startedAt,
      },
      metadata,
      loadFacts: supportBindings.slaDefinitionFacts({ name: 'Gold', previousVersionId: null }),
    }),
    'sla',
  );
  must(await sla({ streamId: slaId, command: { type: 'publish', at: startedAt }, metadata }), 'publish');
  const bind = async (): Promise<string> => {
    const ticketId = uuidV7Ids.next() as string as Support.TicketId;
    must(
      await ticket({
        streamId: ticketId,
        command: {
          type: 'create',
          ticketId,
          owner: 'support',
          customerId: uuidV7Ids.next() as string as Support.CustomerId,
          siteId: null,
          projectId: null,
          subject: 'Printer on fire',
          priority: 'high',
          kind: 'incident',
          soldMinutes: null,
          sla: { mode: 'inherit' },
          parentTicketId: null,
          at: startedAt,
        },
        metadata,
      }),
      'ticket',
    );
    const assignmentId = uuidV7Ids.next() as string as Support.SlaAssignmentId;
    must(
      await clock({
        streamId: assignmentId,
        command: {
          type: 'bind',
          assignmentId,
          ticketId,
          contractId: null,
          source: 'explicit',
          startedAt,
          at: startedAt,
        },
        metadata,
        loadFacts: supportBindings.slaBindFacts(slaId, calendar),
      }),
      'bind',
    );
    return assignmentId;
  };
  // The first template is evaluated (what an evaluation writes); the second is bound after that, so it
  // stays as binding left it (it is one of the N due clocks).
  const evaluated = await bind();
  const r = await evaluateDue({ db: seam.db, dialect: seam.dialect, prefix: '', events, now });
  if (r.fired['sla.warning'] !== 1) throw new Error(`setup: ${JSON.stringify(r)}`);
  const fresh = await bind();
  await seam.close();
  return { evaluated, fresh };
}

const tpl = await templates();
const setup = await createConnection({ ...connectionOptions(url), multipleStatements: false });
const one = async (sqlText: string, params: unknown[]): Promise<RowDataPacket> => {
  const [rows] = await setup.query<RowDataPacket[]>(sqlText, params);
  return rows[0] as RowDataPacket;
};
// What an evaluation writes (the evaluated template) and what binding leaves (the fresh one).
const after = await one('SELECT * FROM sla_assignments WHERE id = ?', [bytes(tpl.evaluated)]);
const boundEvent = await one('SELECT * FROM domain_events WHERE stream_id = ? AND stream_version = 1', [
  bytes(tpl.fresh),
]);
const warningEvent = await one('SELECT * FROM domain_events WHERE stream_id = ? AND stream_version = 2', [
  bytes(tpl.evaluated),
]);
const slaEvent = await one('SELECT * FROM sla_events WHERE sla_assignment_id = ?', [bytes(tpl.evaluated)]);
// The columns an evaluation changes (besides version and last_evaluated_at).
const freshRow = await one('SELECT * FROM sla_assignments WHERE id = ?', [bytes(tpl.fresh)]);
const changed = Object.keys(after).filter(
  (k) =>
    k !== 'id' &&
    k !== 'version' &&
    k !== 'last_evaluated_at' &&
    k !== 'created_at' &&
    k !== 'ticket_id' &&
    k !== 'active_ticket_id' &&
    JSON.stringify(after[k]) !== JSON.stringify(freshRow[k]),
);
// Seed N − 1 more bound clocks (the fresh template is the N-th): rows and `sla.bound` events copied
// under new ids.
{
  const rowColumns = Object.keys(freshRow).filter((k) => k !== 'last_evaluated_at');
  const eventColumns = Object.keys(boundEvent).filter((k) => k !== 'position');
  const CHUNK = 1000;
  for (let at = 1; at < args.size; at += CHUNK) {
    const rows: unknown[][] = [];
    const evs: unknown[][] = [];
    for (let i = at; i < Math.min(args.size, at + CHUNK); i++) {
      const id = uuidV7Ids.next();
      const ticket = bytes(uuidV7Ids.next());
      rows.push(
        rowColumns.map((k) =>
          k === 'id'
            ? bytes(id)
            : k === 'ticket_id' || k === 'active_ticket_id'
              ? ticket
              : k === 'version'
                ? 1
                : freshRow[k],
        ),
      );
      evs.push(
        eventColumns.map((k) =>
          k === 'event_id' ? bytes(uuidV7Ids.next()) : k === 'stream_id' ? bytes(id) : boundEvent[k],
        ),
      );
    }
    await setup.query(`INSERT INTO sla_assignments (${rowColumns.join(', ')}) VALUES ?`, [rows]);
    await setup.query(`INSERT INTO domain_events (${eventColumns.join(', ')}) VALUES ?`, [evs]);
  }
}
const dueCount = Number(
  (
    await one('SELECT COUNT(*) AS n FROM sla_assignments WHERE is_active = 1 AND next_check_at <= ?', [
      `${now.slice(0, 10)} ${now.slice(11, 26)}`,
    ])
  )['n'],
);
if (dueCount !== args.size) throw new Error(`setup: ${dueCount} clocks due, expected ${args.size}`);
await setup.end();

const sqlNow = `${now.slice(0, 10)} ${now.slice(11, 26)}`;

async function raw(conn: Connection): Promise<number> {
  await conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  const latch = appendLatchName(args.database, 'domain_events');
  const slaEventColumns = Object.keys(slaEvent);
  const eventColumns = Object.keys(warningEvent).filter((k) => k !== 'position' && k !== 'recorded_at');
  let fired = 0;
  for (;;) {
    const [due] = await conn.query<RowDataPacket[]>(
      'SELECT id FROM sla_assignments WHERE is_active = 1 AND next_check_at <= ? ORDER BY next_check_at LIMIT 500',
      [sqlNow],
    );
    if (due.length === 0) return fired;
    for (const d of due) {
      const id = d['id'] as Buffer;
      await conn.query('START TRANSACTION');
      const [locked] = await conn.query<RowDataPacket[]>(
        'SELECT * FROM sla_assignments WHERE id = ? FOR UPDATE',
        [id],
      );
      const row = locked[0] as RowDataPacket;
      const version = Number(row['version']);
      await conn.query(
        `UPDATE sla_assignments SET ${changed.map((k) => `${k} = ?`).join(', ')}, version = ? WHERE id = ? AND version = ?`,
        [...changed.map((k) => after[k]), version + 1, id, version],
      );
      const eventId = bytes(uuidV7Ids.next());
      await conn.query(`INSERT INTO sla_events (${slaEventColumns.join(', ')}) VALUES (?)`, [
        slaEventColumns.map((k) =>
          k === 'id' || k === 'domain_event_id'
            ? eventId
            : k === 'sla_assignment_id'
              ? id
              : k === 'ticket_id'
                ? row['ticket_id']
                : slaEvent[k],
        ),
      ]);
      await conn.query(
        'SELECT GET_LOCK(?, ?) AS latched, (SELECT CAST(COALESCE(MAX(stream_version), 0) AS CHAR) FROM domain_events WHERE stream_id = ?) AS head',
        [latch, 10, id],
      );
      await conn.query(`INSERT INTO domain_events (${eventColumns.join(', ')}) VALUES (?)`, [
        eventColumns.map((k) =>
          k === 'event_id'
            ? eventId
            : k === 'stream_id'
              ? id
              : k === 'stream_version'
                ? version + 1
                : k === 'occurred_at'
                  ? systemClock.now().replace('T', ' ').slice(0, 26)
                  : warningEvent[k],
        ),
      ]);
      await conn.query('COMMIT');
      await conn.query('DO RELEASE_LOCK(?)', [latch]);
      await conn.query('UPDATE sla_assignments SET last_evaluated_at = ? WHERE id = ?', [sqlNow, id]);
      fired++;
    }
  }
}

let seconds: number;
let extra: Record<string, unknown> | undefined;
if (args.mode === 'lib') {
  const seam = await openMysqlSeam(url, 2);
  const events = createEventStore({ db: seam.db, dialect: seam.dialect, prefix: '' });
  const t0 = performance.now();
  const report = await evaluateDue({ db: seam.db, dialect: seam.dialect, prefix: '', events, now });
  seconds = (performance.now() - t0) / 1000;
  if (report.evaluated !== args.size || report.fired['sla.warning'] !== args.size || report.failedCount !== 0)
    throw new Error(`unexpected report: ${JSON.stringify({ ...report, failed: report.failed.slice(0, 3) })}`);
  extra = { evaluated: report.evaluated, batches: report.batches, changedColumns: changed };
  await seam.close();
} else {
  const conn = await createConnection(connectionOptions(url));
  const t0 = performance.now();
  const fired = await raw(conn);
  seconds = (performance.now() - t0) / 1000;
  if (fired !== args.size) throw new Error(`raw fired ${fired}, expected ${args.size}`);
  await conn.end();
}
emit({
  value: args.size / seconds,
  unit: 'clocks/s',
  rssPeakMb: peakRssMb(),
  ...(extra === undefined ? {} : { extra }),
});
