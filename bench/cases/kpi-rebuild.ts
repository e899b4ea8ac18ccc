// kpi-rebuild: every KPI of catalogue v1 + v2 (122 definitions, kpi-execute.ts) rebuilt from N events
// stored in MariaDB, half commercial and half Execute-context (issue 26; catalogue v1 over commercial
// events alone before 2026-12-07). setup: N events written once (raw, not measured). lib: `createKpiRunner(...).rebuild()` —
// stream every event, fold, write all results and the checkpoint, switch the result set; raw: a mysql2
// query stream of the same rows parsing each row's JSON payload and context (reading is the floor any
// KPI job pays); raw-min: the same stream of only the columns a fold needs, folded by the hand-written
// folds of the same KPIs (kpi-hand-fold.ts, kpi-hand-fold-v2.ts), writing nothing — the least a rebuild could do;
// raw-write: raw-min, then its results written as a hand-written rebuild would (one LOAD DATA LOCAL into a
// fresh result set of kpi_results, in a transaction) — the same work as the library's, less the checkpoint.

import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { connect, connectionOptions, createKpiRunner, withDatabase } from '@pet-ops/adapters-mysql';
import { installSchema } from '@pet-ops/adapters-mysql/testing';
import type { Actor, EventContext, Instant, Uuid } from '@pet-ops/core';
import { CATALOGUE_V1_KEYS, CATALOGUE_V2_KEYS } from '@pet-ops/kpi';
import { KPI_RESULT_COLUMNS } from '@pet-ops/sql';
import { createConnection } from 'mysql2';
import { createConnection as createPromiseConnection, type ResultSetHeader } from 'mysql2/promise';
import { emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';
import { readAllRaw } from '../read-all-sides.js';
import { benchDefinitionsV1V2 } from './kpi-execute.js';
import { createHandFold } from './kpi-hand-fold.js';
import { createHandFoldV2 } from './kpi-hand-fold-v2.js';
import { writeMixedEvents } from './kpi-mysql.js';
import { BENCH_TIME_ZONE, benchOrgVersions } from './kpi-shared.js';

interface RawRow {
  position: string;
  event_type: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string;
  context: string;
  payload: string;
}

/** raw-min's work: the KPI columns streamed by mysql2 and folded by the hand-written folds. */
async function handReadAndFold(url: string) {
  const conn = createConnection(connectionOptions(url));
  const hand = createHandFold();
  const handV2 = createHandFoldV2();
  let read = 0;
  await new Promise<void>((resolve, reject) => {
    conn
      .query(
        'SELECT position, event_type, occurred_at, actor_type, actor_id, context, payload FROM domain_events ORDER BY position',
      )
      .stream({ highWaterMark: 1000 })
      .on('data', (row: RawRow) => {
        const event = {
          position: BigInt(row.position),
          eventId: '' as Uuid,
          type: row.event_type,
          occurredAt: `${row.occurred_at.slice(0, 10)}T${row.occurred_at.slice(11)}Z` as Instant,
          actor: { type: row.actor_type, id: row.actor_id } as Actor,
          context: JSON.parse(row.context) as EventContext,
          payload: JSON.parse(row.payload) as unknown,
        };
        hand.apply(event);
        handV2.apply(event);
        read++;
      })
      .on('end', () => resolve())
      .on('error', reject);
  });
  conn.end();
  return { hand, handV2, read };
}

interface HandCellNumbers {
  readonly k: number;
  readonly s: number;
  readonly n: number;
  readonly d: number;
}

/** The first day of the month after `ps` (`YYYY-MM-01`). */
function monthAfter(ps: string): string {
  const y = Number(ps.slice(0, 4));
  const m = Number(ps.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * The hand folds' cells as `kpi_results` rows in LOAD DATA text, chunked: the columns a rebuild writes,
 * with an id, a value and a classification reason of the same shape and about the same bytes.
 */
function* handResultText(
  folds: readonly { keys: readonly string[]; cells: Map<string, HandCellNumbers> }[],
  watermark: bigint,
  computedAt: string,
  counted: { n: number },
): Generator<Buffer> {
  let chunk = '';
  for (const { keys, cells } of folds) {
    for (const [key, c] of cells) {
      const [slot, scopeType, id, ps] = key.split('|') as [string, string, string, string];
      const definitionKey = keys[Number(slot)] ?? slot;
      const value = c.d !== 0 ? Math.round((c.n * 10_000) / c.d) : c.s;
      counted.n++;
      chunk += `${definitionKey}@1/${scopeType}:${id}/${ps}\t${definitionKey}\t1\t${scopeType}\t${id}\t${ps}\t${monthAfter(ps)}\tbp\t${value}\t${c.n}\t${c.d === 0 ? '\\N' : c.d}\t\\N\tunclassified\tversion 1 defines no thresholds\t1\t${watermark}\t${c.k}\t${computedAt}\n`;
      if (chunk.length >= 1 << 16) {
        yield Buffer.from(chunk, 'utf8');
        chunk = '';
      }
    }
  }
  if (chunk.length > 0) yield Buffer.from(chunk, 'utf8');
}

/**
 * raw-write's last step: the hand folds' results written as a hand-written rebuild would, into a fresh
 * result set of `kpi_results` in one transaction with one `LOAD DATA LOCAL` (what the library's MariaDB
 * writer does too). Returns the rows written.
 */
async function writeHandResults(
  url: string,
  hand: ReturnType<typeof createHandFold>,
  handV2: ReturnType<typeof createHandFoldV2>,
  watermark: bigint,
): Promise<number> {
  const conn = await createPromiseConnection(connectionOptions(url));
  const counted = { n: 0 };
  const computedAt = new Date().toISOString().replace('T', ' ').replace('Z', '000');
  const folds = [
    { keys: CATALOGUE_V1_KEYS, cells: hand.cells() },
    { keys: Object.values(CATALOGUE_V2_KEYS).flat(), cells: handV2.cells() },
  ];
  await conn.query('START TRANSACTION');
  const [header] = await conn.query<ResultSetHeader>({
    sql: `LOAD DATA LOCAL INFILE 'hand-results' INTO TABLE kpi_results CHARACTER SET utf8mb4 (${KPI_RESULT_COLUMNS.slice(1).join(', ')}) SET result_set_id = UNHEX('${randomBytes(16).toString('hex')}')`,
    infileStreamFactory: () => Readable.from(handResultText(folds, watermark, computedAt, counted)),
  } as never);
  await conn.query('COMMIT');
  await conn.end();
  if (header.affectedRows !== counted.n || header.warningStatus !== 0) {
    throw new Error(
      `LOAD DATA wrote ${header.affectedRows} of ${counted.n} rows, ${header.warningStatus} warnings`,
    );
  }
  return counted.n;
}

const args = parseCaseArgs(process.argv);
const phase = process.argv[process.argv.indexOf('--phase') + 1];

if (phase === 'setup') {
  const url = await freshDatabase(args.url, args.database);
  await installSchema(url);
  await writeMixedEvents(url, args.size, 0);
  emit({ value: args.size, unit: 'events', rssPeakMb: peakRssMb() });
} else if (phase === 'run') {
  const url = withDatabase(args.url, args.database);
  const t0 = performance.now();
  let count = 0;
  let extra: Record<string, unknown> | undefined;
  if (args.mode === 'lib') {
    const pool = await connect({ url, connectionLimit: 4 });
    const runner = createKpiRunner({
      pool,
      definitions: benchDefinitionsV1V2,
      orgTimeZone: BENCH_TIME_ZONE,
      orgVersions: benchOrgVersions,
    });
    const summary = await runner.rebuild();
    count = summary.eventsRead;
    // The run's own split: reading and folding, then writing results and the checkpoint (which raw-min
    // does not do at all).
    extra = {
      results: summary.resultsWritten,
      definitions: benchDefinitionsV1V2.length,
      foldSeconds: summary.foldMs / 1000,
      writeSeconds: summary.writeMs / 1000,
    };
    await pool.end();
  } else if (args.mode === 'raw-min' || args.mode === 'raw-write') {
    const { hand, handV2, read } = await handReadAndFold(url);
    count = read;
    if (hand.cells().size === 0 || handV2.cells().size === 0) throw new Error('nothing folded');
    if (args.mode === 'raw-write') {
      const written = await writeHandResults(url, hand, handV2, BigInt(read));
      extra = { results: written };
    }
  } else {
    count = await readAllRaw(url);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (count < args.size) throw new Error(`read ${count} events, expected at least ${args.size}`);
  emit({
    value: count / seconds,
    unit: 'events/s',
    rssPeakMb: peakRssMb(),
    ...(extra === undefined ? {} : { extra }),
  });
}
