import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type EventDraft, isPetError, type StoredEvent } from '@pet-ops/core';
import { type Contribution, catalogueV1, createKpiEngine, type KpiResult, parseResultId } from '@pet-ops/kpi';
import { lockName } from '@pet-ops/sql';
import type { Connection, Pool, RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMysqlEventStore } from '../event-store/event-store.js';
import { useFreshDatabase } from '../migration/fresh-database.test.js';
import { installSchema } from '../testing/schema.js';
import type { TestDatabase } from '../testing/test-database.js';
import { commercialDrafts, fixtureId } from './fixtures.test.js';
import { createKpiRunner, type KpiRunnerOptions } from './runner.js';

let db: TestDatabase;
let pool: Pool;
let conn: Connection;
useFreshDatabase((fresh) => {
  ({ db, pool, conn } = fresh);
});

const definitions = catalogueV1({ currency: 'EUR', scopes: ['org', 'employee'] });
const options = (): KpiRunnerOptions => ({ pool, definitions, orgTimeZone: 'Europe/Berlin' });
let streams = 0;

async function append(drafts: readonly EventDraft[]): Promise<void> {
  const store = createMysqlEventStore({ pool, prefix: '' });
  for (let i = 0; i < drafts.length; i += 100) {
    await store.append(fixtureId(0xa00, streams++), 'no_stream', drafts.slice(i, i + 100));
  }
}

/** The pure engine over everything stored: what the tables must equal. */
async function expected(): Promise<KpiResult[]> {
  const engine = createKpiEngine({ definitions, orgTimeZone: 'Europe/Berlin', orgVersions: [] });
  const events: StoredEvent[] = [];
  for await (const e of createMysqlEventStore({ pool, prefix: '' }).readAll({ after: 0n })) events.push(e);
  const state = await engine.run(engine.initialState(), events);
  return engine.results(state).sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function setStates(): Promise<string[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT state FROM kpi_result_sets ORDER BY created_at, id',
  );
  return rows.map((r) => r['state'] as string);
}

/** The active set's stored fold state: base checkpoint (watermark, digest) and its delta chain. */
interface Stored {
  base: string;
  checkpoint: string;
  deltas: number;
  head: string;
}

async function stored(): Promise<Stored> {
  const [[r]] = await conn.query<RowDataPacket[]>(
    `SELECT c.watermark,
       (SELECT MD5(GROUP_CONCAT(d.body ORDER BY d.part SEPARATOR '')) FROM kpi_checkpoint_parts d WHERE d.result_set_id = s.id AND d.seq = 0) AS digest,
       (SELECT COUNT(DISTINCT d.seq) FROM kpi_checkpoint_parts d WHERE d.result_set_id = s.id AND d.seq > 0) AS deltas,
       (SELECT MAX(d.watermark) FROM kpi_checkpoint_parts d WHERE d.result_set_id = s.id AND d.seq > 0) AS last
     FROM kpi_result_sets s JOIN kpi_checkpoints c ON c.result_set_id = s.id WHERE s.state = 'active'`,
  );
  return {
    base: String(r?.['watermark']),
    checkpoint: String(r?.['digest']),
    deltas: Number(r?.['deltas']),
    head: String(r?.['last'] ?? r?.['watermark']),
  };
}

/** Every column, index and trigger of the database, as text: what a schema rewrite would change. */
async function schemaText(): Promise<string> {
  const [rows] = await conn.query<RowDataPacket[]>(
    `SELECT CONCAT_WS('|', 'c', TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, IFNULL(COLUMN_DEFAULT, '-')) AS x
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
     UNION ALL SELECT CONCAT_WS('|', 'i', TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE)
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
     UNION ALL SELECT CONCAT_WS('|', 't', EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_STATEMENT)
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
     ORDER BY x`,
  );
  return rows.map((r) => String(r['x'])).join('\n');
}

/** The event log's size, last position and a digest of its ids: equal before and after means untouched. */
async function eventLog(): Promise<{ count: number; last: bigint; digest: string }> {
  const [[r]] = await conn.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n, MAX(position) AS last, MD5(GROUP_CONCAT(HEX(event_id) ORDER BY position SEPARATOR '')) AS d
       FROM domain_events`,
  );
  return { count: Number(r?.['n']), last: BigInt(String(r?.['last'])), digest: String(r?.['d']) };
}

beforeAll(async () => {
  await conn.query('SET SESSION group_concat_max_len = 1048576');
  await installSchema(db.url);
  await append(commercialDrafts(60));
});

describe('KPI runner on MariaDB', () => {
  it('given stored events, when rebuilt, then the active results equal the pure fold', async () => {
    const summary = await createKpiRunner(options()).rebuild();
    expect(summary.mode).toBe('rebuild');
    expect(summary.resultsWritten).toBeGreaterThan(10);
    expect(await createKpiRunner(options()).results()).toEqual(await expected());
    expect(await setStates()).toEqual(['active']);
  });

  it('given new events, when caught up, then only changed results are written and all equal a rebuild', async () => {
    await append(commercialDrafts(20, 60));
    const runner = createKpiRunner({ ...options(), batchSize: 37 });
    const summary = await runner.catchUp();
    expect(summary.mode).toBe('catch-up');
    expect(summary.eventsRead).toBeGreaterThan(37);
    const all = await expected();
    expect(summary.resultsWritten).toBeLessThan(all.length);
    expect(await runner.results()).toEqual(all);
    expect((await runner.catchUp()).eventsRead).toBe(0);
  });

  it('a rebuild builds a fresh set and retires the old one (kept with its results; only its fold state is dropped)', async () => {
    const runner = createKpiRunner(options());
    // Scenario 8: a rebuild deletes no fact and rewrites no schema; its results carry their lineage.
    const schemaBefore = await schemaText();
    const logBefore = await eventLog();
    await runner.rebuild();
    expect(await schemaText()).toBe(schemaBefore);
    expect(await eventLog()).toEqual(logBefore);
    const results = await runner.results();
    // Lineage: each result names the last event that touched it; the set, the last event it read.
    expect(results.every((r) => r.watermark > 0n && r.watermark <= logBefore.last)).toBe(true);
    expect((await stored()).base).toBe(String(logBefore.last));
    expect(await setStates()).toEqual(['retired', 'active']);
    expect(results).toEqual(await expected());
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT s.state, (SELECT COUNT(*) FROM kpi_results r WHERE r.result_set_id = s.id) AS results,
         (SELECT COUNT(*) FROM kpi_checkpoint_parts p WHERE p.result_set_id = s.id) AS parts
       FROM kpi_result_sets s ORDER BY s.created_at, s.id`,
    );
    const [retired, active] = rows;
    expect(Number(retired?.['results'])).toBeGreaterThan(0);
    expect(Number(retired?.['parts'])).toBe(0);
    expect(Number(active?.['parts'])).toBeGreaterThan(0);
  });

  it('filters results and explains one with its contributing events', async () => {
    const runner = createKpiRunner(options());
    const rows = await runner.results({
      definitionKey: 'sales.win-rate',
      periodFrom: '2026-03-01',
      periodTo: '2026-06-01',
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.definitionKey === 'sales.win-rate' && r.periodStart >= '2026-03-01')).toBe(
      true,
    );
    const target = rows[0] as KpiResult;
    const x = await runner.explain(target.id);
    let n = 0;
    for await (const e of x.contributing) {
      expect(e.position <= target.watermark).toBe(true);
      n++;
    }
    expect(n).toBe(target.contributingEventCount);
    expect(x.why).toContain(target.classificationReason);
    await expect(runner.explain('sales.win-rate@1/org:org/1999-01-01')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('explains every result with exactly the contributions the full engine observes up to its watermark', async () => {
    // Given the oracle: the full engine over every stored event, each contribution kept with the position of the event that made it
    const engine = createKpiEngine({ definitions, orgTimeZone: 'Europe/Berlin', orgVersions: [] });
    const seen: { at: bigint; c: Contribution }[] = [];
    const state = engine.initialState();
    for await (const e of createMysqlEventStore({ pool, prefix: '' }).readAll({ after: 0n })) {
      engine.apply(state, e, (c) => seen.push({ at: e.position, c }));
    }
    const runner = createKpiRunner(options());
    await runner.rebuild();
    const all = await runner.results();
    // Every definition has results to explain: windowed spans, conversions, ratios and levels
    expect(new Set(all.map((r) => r.definitionKey))).toEqual(new Set(definitions.map((d) => d.key)));
    for (const r of all) {
      // When the runner explains the result (one definition, payloads of its event types only)
      const x = await runner.explain(r.id);
      const listed: Contribution[] = [];
      for await (const c of x.contributing) listed.push(c);
      // Then it lists what the oracle saw for it, in the same order
      const { versionId, scopeType, scopeId, periodStart } = parseResultId(r.id);
      const prefix = `${versionId}/${scopeType}:${scopeId}/`;
      const level = x.definition.measure.kind === 'level';
      const mine = (id: string): boolean =>
        level ? id.startsWith(prefix) && id.slice(prefix.length) <= periodStart : id === r.id;
      expect(listed).toEqual(seen.filter((s) => s.at <= r.watermark && mine(s.c.resultId)).map((s) => s.c));
    }
  });

  it('a stored definition version is immutable: other content under the same key@version is refused, the table is guarded', async () => {
    const changed = definitions.map((d) => (d.key === 'sales.win-rate' ? { ...d, target: 9000 } : d));
    const error = await createKpiRunner({ ...options(), definitions: changed })
      .rebuild()
      .catch((e: unknown) => e);
    expect(isPetError(error, 'IMMUTABLE_ROW')).toBe(true);
    await expect(
      conn.query(
        "UPDATE kpi_definition_versions SET version_number = 9 WHERE definition_key = 'sales.win-rate'",
      ),
    ).rejects.toThrow();
    await expect(conn.query('DELETE FROM kpi_definition_versions')).rejects.toThrow();
    // A new version is accepted, and the old version's results stay as they were.
    const v2 = [
      ...definitions,
      {
        ...(definitions.find((d) => d.key === 'sales.win-rate') as (typeof definitions)[number]),
        version: 2,
        target: 9000,
      },
    ];
    const before = (await createKpiRunner(options()).results({ definitionKey: 'sales.win-rate' })).filter(
      (r) => r.definitionVersion === 1,
    );
    await createKpiRunner({ ...options(), definitions: v2 }).catchUp();
    const after = await createKpiRunner({ ...options(), definitions: v2 }).results({
      definitionKey: 'sales.win-rate',
    });
    expect(after.filter((r) => r.definitionVersion === 1)).toEqual(before);
    expect(after.some((r) => r.definitionVersion === 2)).toBe(true);
    await createKpiRunner(options()).rebuild();
  });
});

describe('the runner lock', () => {
  it('is named by database and prefix: the same prefix in another database does not block a rebuild, this database does', async () => {
    const other = await pool.getConnection();
    try {
      const [[here]] = await conn.query<RowDataPacket[]>('SELECT DATABASE() AS db');
      const own = lockName(String(here?.['db']), '', 'kpi-runner');
      await other.query('SELECT GET_LOCK(?, 0)', [lockName('some_other_database', '', 'kpi-runner')]);
      await createKpiRunner(options()).rebuild();
      await other.query('SELECT RELEASE_ALL_LOCKS()');
      await other.query('SELECT GET_LOCK(?, 0)', [own]);
      let done = false;
      const run = createKpiRunner(options())
        .rebuild()
        .finally(() => {
          done = true;
        });
      // A synchronisation point, not a timing assertion: the rebuild must be queued behind the lock.
      for (let i = 0; i < 100; i++) {
        const [[w]] = await conn.query<RowDataPacket[]>('SELECT IS_USED_LOCK(?) AS holder', [own]);
        const [[waiting]] = await conn.query<RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT GET_LOCK(%' AND DB = DATABASE()",
        );
        if (w?.['holder'] !== null && Number(waiting?.['n']) > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(done).toBe(false);
      await other.query('SELECT RELEASE_ALL_LOCKS()');
      await run;
      expect(done).toBe(true);
    } finally {
      other.release();
    }
  });
});

describe('checkpoint deltas and the warm state', () => {
  it('given a rebuilt set, when caught up several times, then each batch stores a delta row and the base checkpoint stays as it was; a new runner restores them cold and ends equal to a rebuild', async () => {
    // A base (compressed) large enough that three small deltas stay under a quarter of it.
    await append(commercialDrafts(300, 2000));
    const runner = createKpiRunner(options());
    expect((await runner.rebuild()).restored).toBe('none');
    const before = await stored();
    expect(before.deltas).toBe(0);
    for (let i = 0; i < 3; i++) {
      await append(commercialDrafts(2, 300 + 2 * i));
      const summary = await runner.catchUp();
      expect(summary).toMatchObject({ mode: 'catch-up', restored: 'warm' });
      expect(summary.eventsRead).toBeGreaterThan(0);
      expect(await stored()).toEqual({
        base: before.base,
        checkpoint: before.checkpoint,
        deltas: i + 1,
        head: summary.watermark.toString(),
      });
    }
    expect(await runner.results()).toEqual(await expected());

    await append(commercialDrafts(2, 310));
    const cold = createKpiRunner(options());
    const summary = await cold.catchUp();
    expect(summary).toMatchObject({ mode: 'catch-up', restored: 'cold' });
    expect(summary.eventsRead).toBeGreaterThan(0);
    expect(await cold.results()).toEqual(await expected());
    expect(await stored()).toMatchObject({ checkpoint: before.checkpoint, deltas: 4 });
  });

  it('given checkpoint parts smaller than the state, when rebuilt and caught up, then the base and deltas span many parts and a cold restore joins them back equal to a rebuild', async () => {
    const small = { ...options(), checkpointPartSize: 500 };
    await createKpiRunner(small).rebuild();
    await append(commercialDrafts(3, 330));
    expect((await createKpiRunner(small).catchUp()).restored).toBe('cold');
    const [[counts]] = await conn.query<RowDataPacket[]>(
      `SELECT SUM(p.seq = 0) AS base_parts, SUM(p.seq > 0) AS delta_parts, MAX(CHAR_LENGTH(p.body)) AS longest
       FROM kpi_checkpoint_parts p JOIN kpi_result_sets s ON s.id = p.result_set_id WHERE s.state = 'active'`,
    );
    expect(Number(counts?.['base_parts'])).toBeGreaterThan(10);
    expect(Number(counts?.['delta_parts'])).toBeGreaterThan(1);
    expect(Number(counts?.['longest'])).toBeLessThanOrEqual(500);
    await append(commercialDrafts(2, 340));
    const cold = createKpiRunner(small);
    expect((await cold.catchUp()).restored).toBe('cold');
    expect(await cold.results()).toEqual(await expected());
    expect(() => createKpiRunner({ ...options(), checkpointPartSize: 1 })).toThrowError(/checkpointPartSize/);
  });

  it('given something that is not a pool, or a pool of one connection, when a runner is created, then a ValidationError names the pool', () => {
    const refused = (pool: unknown): unknown => {
      try {
        createKpiRunner({ ...options(), pool: pool as Pool });
      } catch (e) {
        return e;
      }
      return undefined;
    };
    for (const bad of [
      {},
      { getConnection: () => undefined, execute: () => undefined, pool: { config: { connectionLimit: 1 } } },
    ]) {
      expect(refused(bad)).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [expect.objectContaining({ field: 'pool' })] },
      });
    }
  });

  it('given keepState false, when a runner catches up twice, then it restores from the tables both times (only what the new events read)', async () => {
    const runner = createKpiRunner({ ...options(), keepState: false });
    await append(commercialDrafts(1, 320));
    expect((await runner.catchUp()).restored).toBe('partial');
    await append(commercialDrafts(1, 321));
    expect((await runner.catchUp()).restored).toBe('partial');
    expect(await runner.results()).toEqual(await expected());
  });

  /** Catches up with a tiny batch size, recording the stored state after every committed batch. */
  async function catchUpInSmallBatches(
    batchSize: number,
  ): Promise<{ restored: string; commits: { watermark: string; stored: Stored }[] }> {
    const commits: { watermark: string; stored: Stored }[] = [];
    const runner = createKpiRunner({
      ...options(),
      batchSize,
      onCommit: async (w) => {
        commits.push({ watermark: w.toString(), stored: await stored() });
      },
    });
    const { restored } = await runner.catchUp();
    expect(await runner.results()).toEqual(await expected());
    return { restored, commits };
  }

  it('given deltas outweighing a quarter of the base checkpoint, when the next batch commits, then it rewrites the base and drops the delta rows, and the results still equal a rebuild', async () => {
    await createKpiRunner(options()).rebuild();
    const before = await stored();
    await append(commercialDrafts(40, 400));
    const { restored, commits } = await catchUpInSmallBatches(5);
    expect(restored).toBe('cold');
    expect(commits.length).toBeGreaterThanOrEqual(32);
    // This base is small next to what 5 events change: the size rule fires long before 32 deltas.
    const first = commits.findIndex((c) => c.stored.deltas === 0);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(31);
    for (const c of commits.filter((c) => c.stored.deltas === 0)) {
      expect(c.stored.base).toBe(c.watermark);
      expect(c.stored.checkpoint).not.toBe(before.checkpoint);
    }
    const cold = createKpiRunner(options());
    expect(await cold.catchUp()).toMatchObject({ restored: 'cold', eventsRead: 0 });
    expect(await cold.results()).toEqual(await expected());
  });

  it('given a large base and 32 stored deltas, when the 33rd batch commits, then it rewrites the base and drops the delta rows, and the results still equal a rebuild', async () => {
    // Large enough (compressed) that 32 one-event deltas stay well under a quarter of it: the count rule fires first.
    await append(commercialDrafts(1600, 3000));
    await createKpiRunner(options()).rebuild();
    const before = await stored();
    await append(commercialDrafts(10, 440));
    const { commits } = await catchUpInSmallBatches(1);
    expect(commits.length).toBeGreaterThan(33);
    expect(commits.slice(0, 32).map((c) => c.stored.deltas)).toEqual(
      Array.from({ length: 32 }, (_, i) => i + 1),
    );
    const compacted = commits[32] as (typeof commits)[number];
    expect(compacted.stored).toEqual({
      base: compacted.watermark,
      checkpoint: expect.not.stringMatching(`^${before.checkpoint}$`),
      deltas: 0,
      head: compacted.watermark,
    });
    expect(commits[33]?.stored.deltas).toBe(1);
    const cold = createKpiRunner(options());
    expect(await cold.catchUp()).toMatchObject({ restored: 'cold', eventsRead: 0 });
    expect(await cold.results()).toEqual(await expected());
  });

  it('given a damaged stored checkpoint, when a new runner catches up, then it rebuilds (the chain is a cache of the log) and ends equal to a rebuild', async () => {
    await createKpiRunner(options()).rebuild();
    await conn.query(
      `UPDATE kpi_checkpoint_parts p JOIN kpi_result_sets s ON s.id = p.result_set_id SET p.body = '~AAAA' WHERE s.state = 'active' AND p.seq = 0 AND p.part = 0`,
    );
    await append(commercialDrafts(2, 470));
    const summary = await createKpiRunner(options()).catchUp();
    expect(summary).toMatchObject({ mode: 'rebuild', restored: 'none' });
    expect(await createKpiRunner(options()).results()).toEqual(await expected());
    expect((await stored()).deltas).toBe(0);
  });

  it('given a warm runner, when another runner advanced or rebuilt its set meanwhile, then it notices (cold restore) and still ends equal to a rebuild', async () => {
    const a = createKpiRunner(options());
    await append(commercialDrafts(2, 500));
    expect((await a.catchUp()).restored).toBe('cold');
    await append(commercialDrafts(2, 502));
    expect((await a.catchUp()).restored).toBe('warm');

    await append(commercialDrafts(2, 504));
    const b = createKpiRunner(options());
    expect((await b.catchUp()).restored).toBe('cold');
    await append(commercialDrafts(2, 506));
    const advanced = await a.catchUp();
    expect(advanced.restored).toBe('cold');
    expect(advanced.eventsRead).toBeGreaterThan(0);
    expect(await a.results()).toEqual(await expected());

    await b.rebuild();
    await append(commercialDrafts(2, 508));
    expect((await a.catchUp()).restored).toBe('cold');
    expect(await a.results()).toEqual(await expected());
    await append(commercialDrafts(1, 510));
    expect((await a.catchUp()).restored).toBe('warm');
    expect((await b.catchUp()).restored).toBe('cold');
    expect(await b.results()).toEqual(await expected());
  });
});

describe('a failed catch-up transaction', () => {
  it('given a warm runner whose delta write fails, when it catches up again, then it drops the state that ran ahead and restores cold', async () => {
    const runner = createKpiRunner(options());
    await append(commercialDrafts(1, 520));
    await runner.catchUp();
    await conn.query(
      "CREATE TRIGGER kpi_delta_refused BEFORE INSERT ON kpi_checkpoint_parts FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'",
    );
    const before = await stored();
    try {
      await append(commercialDrafts(1, 521));
      await expect(runner.catchUp()).rejects.toThrow();
    } finally {
      await conn.query('DROP TRIGGER kpi_delta_refused');
    }
    expect(await stored()).toEqual(before);
    const summary = await runner.catchUp();
    expect(summary.restored).toBe('cold');
    expect(summary.eventsRead).toBeGreaterThan(0);
    expect(await runner.results()).toEqual(await expected());
  });
});

describe('a failed rebuild', () => {
  it('given an active set, when a rebuild fails loading its results, then it rejects with a typed error, readers keep the active set, and the next rebuild abandons the half-built one', async () => {
    const runner = createKpiRunner(options());
    await runner.rebuild();
    const before = { states: await setStates(), stored: await stored(), results: await runner.results() };
    await conn.query(
      "CREATE TRIGGER kpi_results_refused BEFORE INSERT ON kpi_results FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'",
    );
    let failure: unknown;
    try {
      failure = await runner.rebuild().then(
        () => undefined,
        (e: unknown) => e,
      );
    } finally {
      await conn.query('DROP TRIGGER kpi_results_refused');
    }
    expect(isPetError(failure)).toBe(true);
    expect(await setStates()).toEqual([...before.states, 'building']);
    expect(await stored()).toEqual(before.stored);
    expect(await runner.results()).toEqual(before.results);
    const [[building]] = await conn.query<RowDataPacket[]>(
      `SELECT (SELECT COUNT(*) FROM kpi_results r WHERE r.result_set_id = s.id) AS results,
         (SELECT COUNT(*) FROM kpi_checkpoint_parts p WHERE p.result_set_id = s.id) AS parts
       FROM kpi_result_sets s WHERE s.state = 'building'`,
    );
    expect([Number(building?.['results']), Number(building?.['parts'])]).toEqual([0, 0]);

    await runner.rebuild();
    expect((await setStates()).slice(-3)).toEqual(['retired', 'abandoned', 'active']);
    expect(await runner.results()).toEqual(await expected());
  });
});

describe('crash during catch-up', () => {
  it('given a catch-up SIGKILLed after its second commit, when a catch-up resumes, then it ends equal to a full rebuild', async () => {
    await append(commercialDrafts(40, 200));
    const script = fileURLToPath(new URL('./kpi-child.test.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@pet-ops/source', script], {
      env: { ...process.env, KPI_URL: db.url, KPI_BATCH: '40', PAUSE_AFTER: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const paused = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('paused '));
        if (line !== undefined) resolve(line);
      });
      child.stderr.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('close', () => reject(new Error(`child exited without pausing:\n${out}`)));
    });
    const line = await paused;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, s) => resolve(s)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // The stored state (base checkpoint and its deltas) ends at the last committed batch.
    expect((await stored()).head).toBe(line.slice('paused '.length));

    const runner = createKpiRunner(options());
    const resumed = await runner.catchUp();
    expect(resumed.mode).toBe('catch-up');
    expect(resumed.eventsRead).toBeGreaterThan(0);
    expect(await runner.results()).toEqual(await expected());
  });
});
