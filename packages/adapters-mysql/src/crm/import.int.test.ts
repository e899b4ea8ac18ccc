import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Crm } from '@pet-ops/core';
import { fixedClock, sequentialIds } from '@pet-ops/core/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { caught, countRows } from '../event-store/fixtures.test.js';
import { type CrmFixture, companyWithoutSlots, openCrmFixture, PREFIX } from './fixtures.test.js';
import { type ImportProgress, type ImportRowOutcome, importCompaniesCsv } from './import.js';
import { createCrmCommands } from './workflows.js';

let fx: CrmFixture;
let dir: string;
let seed = 100;

beforeAll(async () => {
  fx = await openCrmFixture(inject('mysqlUrl'));
  dir = await mkdtemp(join(tmpdir(), 'pet-import-'));
});
afterAll(async () => {
  await fx?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function csv(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function run(
  file: string,
  extra: {
    dryRun?: boolean;
    batchSize?: number;
    onRow?: (r: ImportRowOutcome) => void;
    onProgress?: (p: ImportProgress) => void;
  } = {},
) {
  return importCompaniesCsv({
    pool: fx.pool,
    prefix: PREFIX,
    file,
    clock: fixedClock('2026-11-22T09:00:00.000000Z', 1),
    ids: sequentialIds(seed++),
    ...extra,
  });
}

async function q(sql: string, values: unknown[] = []): Promise<RowDataPacket[]> {
  const [rows] = await fx.pool.query<RowDataPacket[]>(sql, values);
  return rows;
}

const MIXED = [
  'Name,Website,External ID,EIN',
  'Acme,https://www.acme.test/,ap-1,11-1',
  ',nameless.test,,', // line 3: missing name
  'Badsite,not a website,,', // line 4: malformed website
  'Nokey,,,', // line 5: neither website nor external id
  'Acme again,ACME.test,,', // line 6: duplicate of line 2 in the file
  '"Multi',
  'line Ltd",multi.test,ap-2,', // lines 7-8: one record over two lines
  'Too,many,fields,here,extra', // line 9: unparseable (field count)
  'Beta,beta.test,,22-2',
  'Gamma,,ap-3,',
].join('\n');

describe('importCompaniesCsv', () => {
  it('dry run: reports created | exists | rejected per row and writes nothing', async () => {
    const file = await csv('dry.csv', MIXED);
    const before = await Promise.all(
      [
        'companies',
        'company_slots',
        'domain_events',
        'crm_dead_letters',
        'crm_import_runs',
        'uid_sequences',
      ].map((t) => countRows(fx.pool, `${PREFIX}${t}`)),
    );
    const rows: ImportRowOutcome[] = [];
    const report = await run(file, { dryRun: true, onRow: (r) => rows.push(r) });
    expect(report).toMatchObject({
      dryRun: true,
      rows: 9,
      created: 4,
      exists: 0,
      rejected: 5,
      fileName: 'dry.csv',
    });
    expect(
      rows
        .filter((r) => r.outcome === 'rejected')
        .map((r) => [r.row, r.reason])
        .sort(),
    ).toEqual([
      [3, 'MISSING_NAME'],
      [4, 'MALFORMED_WEBSITE'],
      [5, 'MISSING_KEY'],
      [6, 'DUPLICATE_IN_FILE'],
      [9, 'UNPARSEABLE_LINE'],
    ]);
    expect(
      rows
        .filter((r) => r.outcome === 'created')
        .map((r) => r.row)
        .sort((a, b) => a - b),
    ).toEqual([2, 7, 10, 11]);
    const after = await Promise.all(
      [
        'companies',
        'company_slots',
        'domain_events',
        'crm_dead_letters',
        'crm_import_runs',
        'uid_sequences',
      ].map((t) => countRows(fx.pool, `${PREFIX}${t}`)),
    );
    expect(after).toEqual(before);
  });

  it('commit: creates companies with three slots and their events, dead-letters exactly the bad rows, records the run; a re-run creates nothing new', async () => {
    const file = await csv('mixed.csv', MIXED);
    const progress: ImportProgress[] = [];
    const report = await run(file, { batchSize: 2, onProgress: (p) => progress.push(p) });
    expect(report).toMatchObject({ dryRun: false, rows: 9, created: 4, exists: 0, rejected: 5 });
    expect(report.rejections.map((r) => r.row)).toEqual([3, 4, 5, 6, 9]);
    expect(progress.at(-1)).toMatchObject({
      rowsRead: 9,
      created: 4,
      rejected: 5,
      bytesRead: MIXED.length,
      totalBytes: MIXED.length,
    });
    const companies = await q(
      `SELECT company_uid, name, website, external_id, ein_raw FROM ${PREFIX}companies ORDER BY company_uid`,
    );
    expect(companies.map((c) => [c['name'], c['website'], c['external_id']])).toEqual([
      ['Acme', 'acme.test', 'ap-1'],
      ['Multi\nline Ltd', 'multi.test', 'ap-2'],
      ['Beta', 'beta.test', null],
      ['Gamma', null, 'ap-3'],
    ]);
    expect(companies.map((c) => c['company_uid'])).toEqual([
      'CO-20261122-000001',
      'CO-20261122-000002',
      'CO-20261122-000003',
      'CO-20261122-000004',
    ]);
    expect(await countRows(fx.pool, `${PREFIX}company_slots`)).toBe(12);
    const events = await q(
      `SELECT event_type, COUNT(*) AS n FROM ${PREFIX}domain_events WHERE stream_type IN ('company', 'company_slot') GROUP BY event_type ORDER BY event_type`,
    );
    expect(events.map((e) => [e['event_type'], Number(e['n'])]).sort()).toEqual([
      ['company.created', 4],
      ['company_slot.opened', 12],
    ]);
    const letters = await q(
      `SELECT source_row, raw_text, reason, file_name FROM ${PREFIX}crm_dead_letters WHERE run_id = UNHEX(REPLACE(?, '-', '')) ORDER BY source_row`,
      [report.runId],
    );
    expect(letters.map((l) => [Number(l['source_row']), l['reason'], l['raw_text'], l['file_name']])).toEqual(
      [
        [3, 'MISSING_NAME', ',nameless.test,,', 'mixed.csv'],
        [4, 'MALFORMED_WEBSITE', 'Badsite,not a website,,', 'mixed.csv'],
        [5, 'MISSING_KEY', 'Nokey,,,', 'mixed.csv'],
        [6, 'DUPLICATE_IN_FILE', 'Acme again,ACME.test,,', 'mixed.csv'],
        [9, 'UNPARSEABLE_LINE', 'Too,many,fields,here,extra', 'mixed.csv'],
      ],
    );
    const [runRow] = await q(
      `SELECT state, mode, rows_total, rows_created, rows_existing, rows_rejected, file_sha256, finished_at FROM ${PREFIX}crm_import_runs WHERE id = UNHEX(REPLACE(?, '-', ''))`,
      [report.runId],
    );
    expect(runRow).toMatchObject({
      state: 'completed',
      mode: 'commit',
      rows_total: 9,
      rows_created: 4,
      rows_existing: 0,
      rows_rejected: 5,
      file_sha256: report.fileSha256,
    });

    // The company is found through the library's own look-ups, with its slots.
    const crm = createCrmCommands({ runtime: fx.runtime(seed++), prefix: PREFIX });
    const acme = await fx.unitOfWork.run(async (s) => {
      const c = await crm.repository.companyByWebsite(s, 'https://acme.test');
      return { c, slots: c === null ? [] : await crm.repository.slotsOfCompany(s, c.companyId) };
    });
    expect(acme.c).toMatchObject({
      status: 'active',
      companyUid: 'CO-20261122-000001',
      einRaw: '11-1',
      version: 1,
    });
    expect(acme.slots.map((s) => [s.slotUid, s.status, s.version])).toEqual([
      ['SL-CO-20261122-000001-CEO', 'open', 1],
      ['SL-CO-20261122-000001-CFO', 'open', 1],
      ['SL-CO-20261122-000001-HR', 'open', 1],
    ]);

    const stored = await countRows(fx.pool, `${PREFIX}crm_dead_letters`);
    const again = await run(file);
    expect(again).toMatchObject({ rows: 9, created: 0, exists: 4, rejected: 5, deadLettersWritten: 0 });
    expect(await countRows(fx.pool, `${PREFIX}crm_dead_letters`)).toBe(stored);
    expect(await countRows(fx.pool, `${PREFIX}companies`)).toBe(4);
    expect(await countRows(fx.pool, `${PREFIX}company_slots`)).toBe(12);
    const dry = await run(file, { dryRun: true });
    expect(dry).toMatchObject({ created: 0, exists: 4, rejected: 5 });
  });

  it('finds companies without slots (written through the company binding alone), and opens their slots', async () => {
    const uid = await companyWithoutSlots(fx.runtime(seed++), 'Delta', 'delta.test');
    const file = await csv('delta.csv', 'name,website\nDelta,https://delta.test\nEpsilon,epsilon.test\n');
    const rows: ImportRowOutcome[] = [];
    const report = await run(file, { onRow: (x) => rows.push(x) });
    expect(report).toMatchObject({ created: 1, exists: 1, rejected: 0 });
    expect(rows.find((x) => x.row === 2)).toMatchObject({ outcome: 'exists', companyUid: uid });
    const slots = await q(`SELECT role FROM ${PREFIX}company_slots WHERE company_uid = ? ORDER BY role`, [
      uid,
    ]);
    expect(slots.map((x) => x['role'])).toEqual(['CEO', 'CFO', 'HR']);
  });

  it('refuses a file without a name column or a missing file (typed, naming the field) and records nothing', async () => {
    const runs = await countRows(fx.pool, `${PREFIX}crm_import_runs`);
    const noName = await csv('noname.csv', 'website\nx.test\n');
    const e = await caught(run(noName, { dryRun: true }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toContain('no name column');
    const missing = await caught(run(join(dir, 'absent.csv')));
    expect(missing.code).toBe('VALIDATION_FAILED');
    expect(missing.message).toContain('file');
    expect(await countRows(fx.pool, `${PREFIX}crm_import_runs`)).toBe(runs);
  });

  it('dead letters are append-only (the database refuses UPDATE)', async () => {
    const e = await fx.pool.query(`UPDATE ${PREFIX}crm_dead_letters SET reason = 'X'`).then(
      () => null,
      (err: unknown) => err as { errno?: number },
    );
    expect(e?.errno).toBe(1644);
  });

  it('uid sequences continue across import and single inserts without duplicates', async () => {
    const uids = (await q(`SELECT company_uid FROM ${PREFIX}companies`)).map(
      (r) => String(r['company_uid']) as Crm.CompanyUid,
    );
    expect(new Set(uids).size).toBe(uids.length);
  });
});
