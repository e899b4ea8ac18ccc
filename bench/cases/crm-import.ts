// crm-import: a generated CSV of N company rows with 1 % bad rows (missing name, malformed website,
// duplicate within the file, unparseable line), imported in commit mode.
// lib: importCompaniesCsv (streams the file, validates, dead-letters the bad rows, allocates uids,
//   writes each company, its three slots and their four events in multi-row batches of 1000 rows);
//   then checks that exactly the bad rows were dead-lettered and every good row created.
// raw: a script that reads the same file, skips the rows it knows to be bad and sends multi-row
//   INSERTs of the same rows the library writes (companies, slots, events, dead letters), one
//   transaction per 1000 rows.
// raw-min: the same script inserting only the company rows (the least an import could write).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, connectionOptions, importCompaniesCsv, uuidV7Ids } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import { emit, freshDatabase, parseCaseArgs, peakRssMb, seeded } from '../harness.js';

const args = parseCaseArgs(process.argv);
const url = await freshDatabase(args.url, args.database);
await installSchema(url);

/** The generated file: its text, the lines of the bad rows, and the good rows. */
interface Generated {
  readonly text: string;
  readonly badLines: readonly number[];
  readonly good: readonly { name: string; website: string; externalId: string; ein: string }[];
}

function generate(n: number): Generated {
  const rand = seeded(7);
  const lines = ['name,website,external_id,ein'];
  const badLines: number[] = [];
  const good: { name: string; website: string; externalId: string; ein: string }[] = [];
  for (let i = 1; i <= n; i++) {
    const line = i + 1; // the header is line 1
    const ein = `${Math.floor(rand() * 90 + 10)}-${Math.floor(rand() * 9_000_000 + 1_000_000)}`;
    if (i % 100 === 50) {
      badLines.push(line);
      switch (((i / 100) % 4) | 0) {
        case 0:
          lines.push(`,nameless${i}.example,ext-${i},${ein}`);
          break;
        case 1:
          lines.push(`Bad Site ${i},not a website ${i},ext-${i},${ein}`);
          break;
        case 2:
          // The same website as row 1 (which is good).
          lines.push(`Duplicate ${i},https://www.company1.example/,ext-${i},${ein}`);
          break;
        default:
          lines.push(`Broken ${i},broken${i}.example,ext-${i},${ein},surplus`);
      }
      continue;
    }
    const row = { name: `Company ${i}`, website: `company${i}.example`, externalId: `ext-${i}`, ein };
    good.push(row);
    lines.push(`${row.name},https://www.${row.website}/,${row.externalId},${row.ein}`);
  }
  return { text: `${lines.join('\n')}\n`, badLines, good };
}

const gen = generate(args.size);
const dir = await mkdtemp(join(tmpdir(), 'pet-bench-crm-'));
const file = join(dir, 'companies.csv');
await writeFile(file, gen.text);

const bytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');
// Time-ordered ids like the library's: random (v4) keys would make the baseline pay for B-tree page splits.
const randomUUID = (): string => uuidV7Ids.next();
const BATCH = 1000;

async function rawImport(conn: Connection, full: boolean): Promise<void> {
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  const bad = new Set(gen.badLines);
  const now = new Date().toISOString();
  const sqlNow = `${now.slice(0, 10)} ${now.slice(11, 23)}000`;
  const day = now.slice(0, 10).replaceAll('-', '');
  const runId = bytes(randomUUID());
  let seq = 0;
  let companies: unknown[][] = [];
  let slots: unknown[][] = [];
  let events: unknown[][] = [];
  let letters: unknown[][] = [];
  const flush = async (): Promise<void> => {
    await conn.beginTransaction();
    if (companies.length > 0)
      await conn.query(
        'INSERT INTO companies (id, version, state, company_uid, name, website, external_id, ein_raw, created_at) VALUES ?',
        [companies],
      );
    if (full) {
      if (slots.length > 0)
        await conn.query(
          'INSERT INTO company_slots (id, version, state, slot_uid, company_id, company_uid, role) VALUES ?',
          [slots],
        );
      for (let at = 0; at < events.length; at += BATCH)
        await conn.query(
          'INSERT INTO domain_events (event_id, event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, recorded_at, actor_type, actor_id, correlation_id, context, payload) VALUES ?',
          [events.slice(at, at + BATCH)],
        );
      if (letters.length > 0)
        await conn.query(
          'INSERT INTO crm_dead_letters (id, run_id, file_name, source_row, raw_text, reason) VALUES ?',
          [letters],
        );
    }
    await conn.commit();
    companies = [];
    slots = [];
    events = [];
    letters = [];
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    if (bad.has(i + 1)) {
      letters.push([bytes(randomUUID()), runId, 'companies.csv', i + 1, line, 'BAD']);
      continue;
    }
    const [name = '', site = '', externalId = '', ein = ''] = line.split(',');
    const website = site.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, '');
    const id = randomUUID();
    const uid = `CO-${day}-${String(++seq).padStart(6, '0')}`;
    companies.push([bytes(id), 1, 'active', uid, name, website, externalId, ein, sqlNow]);
    if (full) {
      const ev = (streamId: string, type: string, streamType: string, payload: unknown): unknown[] => [
        bytes(randomUUID()),
        type,
        1,
        streamType,
        bytes(streamId),
        1,
        sqlNow,
        sqlNow,
        'integration',
        'crm-import',
        runId,
        '{}',
        JSON.stringify(payload),
      ];
      events.push(
        ev(id, 'company.created', 'company', {
          companyId: id,
          companyUid: uid,
          createdAt: now,
          name,
          website,
          externalId,
          einRaw: ein,
        }),
      );
      for (const role of ['CEO', 'CFO', 'HR']) {
        const slotId = randomUUID();
        const slotUid = `SL-${uid}-${role}`;
        slots.push([bytes(slotId), 1, 'open', slotUid, bytes(id), uid, role]);
        events.push(
          ev(slotId, 'company_slot.opened', 'company_slot', {
            slotId,
            slotUid,
            companyId: id,
            companyUid: uid,
            role,
          }),
        );
      }
    }
    if (companies.length >= BATCH) await flush();
  }
  await flush();
}

let seconds: number;
let extra: Record<string, unknown> | undefined;
if (args.mode === 'lib') {
  const pool = await connect({ url, connectionLimit: 2 });
  const t0 = performance.now();
  const report = await importCompaniesCsv({ pool, prefix: '', file });
  seconds = (performance.now() - t0) / 1000;
  // Exactly the bad rows are dead-lettered, every good row is created.
  const [letters] = await pool.query<RowDataPacket[]>(
    'SELECT source_row FROM crm_dead_letters ORDER BY source_row',
  );
  const got = letters.map((l) => Number(l['source_row']));
  if (JSON.stringify(got) !== JSON.stringify(gen.badLines)) {
    throw new Error(`dead letters differ from the bad rows: ${got.length} vs ${gen.badLines.length}`);
  }
  if (report.created !== gen.good.length || report.rejected !== gen.badLines.length || report.exists !== 0) {
    throw new Error(`unexpected report: ${JSON.stringify({ ...report, rejections: undefined })}`);
  }
  extra = { rows: report.rows, created: report.created, deadLettered: got.length };
  await pool.end();
} else {
  const conn = await createConnection(connectionOptions(url));
  const t0 = performance.now();
  await rawImport(conn, args.mode === 'raw');
  seconds = (performance.now() - t0) / 1000;
  await conn.end();
}
await rm(dir, { recursive: true, force: true });
emit({
  value: args.size / seconds,
  unit: 'rows/s',
  rssPeakMb: peakRssMb(),
  ...(extra === undefined ? {} : { extra }),
});
