// time-import: a generated timesheet CSV of N rows (1 % bad: no employee, a malformed start, an end
// before the start, a duplicated row), imported in commit mode on MariaDB.
// lib: `importTimeCsv` of `@pet-ops/sql` over `mysqlDialect` (streams the file, validates each row,
//   derives each entry's id from the row, looks the batch up, writes the drafts with multi-row INSERTs
//   and their `time_entry.created` events through the event store, one transaction per 1000 rows); then
//   checks that exactly the bad rows were rejected and every good row created.
// raw: a script that streams the same file line by line, skips the rows it knows to be bad and sends
//   multi-row INSERTs of the same rows (time_entries, domain_events), one transaction per 1000 rows.
// The file is written line by line and both sides stream it, so peak RSS compares across sizes (it
// should stay flat from 10k to 100k rows).
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connectionOptions, uuidV7Ids } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import { importTimeCsv } from '@pet-ops/sql';
import { createConnection } from 'mysql2/promise';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { openMysqlSeam } from '../kysely.js';

const args = parseCaseArgs(process.argv);
const url = await freshDatabase(args.url, args.database);
await installSchema(url);

const EMPLOYEES = Array.from(
  { length: 50 },
  (_, i) => `019b76da-a800-7000-8000-${String(0xe00000 + i).padStart(12, '0')}`,
);
const dir = await mkdtemp(join(tmpdir(), 'pet-bench-time-'));
const file = join(dir, 'timesheets.csv');
const base = Date.UTC(2026, 0, 5, 8);
const iso = (ms: number): string => new Date(ms).toISOString();

/** Writes the file line by line; returns the lines of the bad rows. */
async function generate(n: number): Promise<number[]> {
  const out = createWriteStream(file);
  const write = (s: string): Promise<void> =>
    out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r()));
  await write('external_id,employee_id,start,end,description,billable,work_type\n');
  const bad: number[] = [];
  for (let i = 1; i <= n; i++) {
    const line = i + 1;
    const employee = EMPLOYEES[i % EMPLOYEES.length] as string;
    const start = base + Math.floor(i / EMPLOYEES.length) * 3_600_000;
    const good = `TS-${i},${employee},${iso(start)},${iso(start + 45 * 60_000)},"Work on item ${i}, part ${i % 7}",${i % 3 === 0 ? 'no' : 'yes'},${i % 2 === 0 ? 'project' : 'support'}\n`;
    if (i % 100 === 50) {
      bad.push(line);
      switch (((i / 100) % 4) | 0) {
        case 0:
          await write(`TS-${i},,${iso(start)},${iso(start + 60_000)},no employee,,\n`);
          break;
        case 1:
          await write(`TS-${i},${employee},yesterday,${iso(start)},bad start,,\n`);
          break;
        case 2:
          await write(`TS-${i},${employee},${iso(start)},${iso(start - 60_000)},backwards,,\n`);
          break;
        default:
          await write(`TS-1,${EMPLOYEES[1]},${iso(base)},${iso(base + 45 * 60_000)},duplicate of row 1,,\n`);
      }
      continue;
    }
    await write(good);
  }
  await new Promise<void>((r) => out.end(() => r()));
  return bad;
}

const badLines = await generate(args.size);
const good = args.size - badLines.length;
const bytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');
const sql = (instant: string): string => `${instant.slice(0, 10)} ${instant.slice(11, 23)}000`;
const BATCH = 1000;

/** The hand-written import: stream, split, skip the known bad rows, multi-row INSERTs per 1000. */
async function rawImport(): Promise<number> {
  const conn = await createConnection(connectionOptions(url));
  const bad = new Set(badLines);
  const now = new Date().toISOString();
  let entries: unknown[][] = [];
  let events: unknown[][] = [];
  let written = 0;
  const flush = async (): Promise<void> => {
    if (entries.length === 0) return;
    await conn.beginTransaction();
    await conn.query(
      'INSERT INTO time_entries (id, version, state, employee_id, start_time, end_time, duration_minutes, is_billable, work_type, description, net_minutes, adjustments_json, created_at) VALUES ?',
      [entries],
    );
    await conn.query(
      'INSERT INTO domain_events (event_id, event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, recorded_at, actor_type, actor_id, context, payload) VALUES ?',
      [events],
    );
    await conn.commit();
    written += entries.length;
    entries = [];
    events = [];
  };
  let line = 0;
  for await (const text of createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    line++;
    if (line === 1 || text === '' || bad.has(line)) continue;
    const quote = text.indexOf('"');
    const [, employeeId = '', start = '', end = ''] = text.slice(0, quote).split(',');
    const close = text.indexOf('"', quote + 1);
    const description = text.slice(quote + 1, close);
    const [, billable = '', workType = ''] = text.slice(close + 1).split(',');
    const id = uuidV7Ids.next();
    const minutes = Math.ceil((Date.parse(end) - Date.parse(start)) / 60_000);
    const startI = start.replace('Z', '000Z');
    const endI = end.replace('Z', '000Z');
    entries.push([
      bytes(id),
      1,
      'draft',
      bytes(employeeId),
      sql(startI),
      sql(endI),
      minutes,
      billable === 'yes' ? 1 : 0,
      workType,
      description,
      minutes,
      '[]',
      sql(now),
    ]);
    events.push([
      bytes(uuidV7Ids.next()),
      'time_entry.created',
      1,
      'time_entry',
      bytes(id),
      1,
      sql(now),
      sql(now),
      'integration',
      'time-import',
      '{}',
      JSON.stringify({
        timeEntryId: id,
        employeeId,
        start: startI,
        end: endI,
        minutes,
        description,
        billable: billable === 'yes',
        workType,
        ticketId: null,
        taskId: null,
        bucketId: null,
        createdAt: now,
      }),
    ]);
    if (entries.length >= BATCH) await flush();
  }
  await flush();
  await conn.end();
  return written;
}

let seconds: number;
let extra: Record<string, unknown> | undefined;
if (args.mode === 'lib') {
  const { db, dialect, close } = await openMysqlSeam(url, 2);
  const rejected: number[] = [];
  const t0 = performance.now();
  const report = await importTimeCsv({
    db,
    dialect,
    prefix: '',
    source: createReadStream(file),
    fileName: 'timesheets.csv',
    totalBytes: (await stat(file)).size,
    onRejection: (l) => rejected.push(l.row),
  });
  seconds = (performance.now() - t0) / 1000;
  if (JSON.stringify(rejected) !== JSON.stringify(badLines) || report.created !== good || report.exists !== 0)
    throw new Error(
      `unexpected report: ${JSON.stringify({ ...report, rejections: undefined })}, ${rejected.length} rejected`,
    );
  extra = { rows: report.rows, created: report.created, rejected: report.rejected };
  await close();
} else {
  const t0 = performance.now();
  const written = await rawImport();
  seconds = (performance.now() - t0) / 1000;
  if (written !== good) throw new Error(`raw wrote ${written}, expected ${good}`);
}
await rm(dir, { recursive: true, force: true });
emit({
  value: args.size / seconds,
  unit: 'rows/s',
  rssPeakMb: peakRssMb(),
  ...(extra === undefined ? {} : { extra }),
});
