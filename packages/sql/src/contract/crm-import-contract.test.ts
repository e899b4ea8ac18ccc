/**
 * The CRM CSV import's contract on the seam, written once and run against every database (not a test file
 * itself: each adapter's import runner calls {@link describeCrmImportContract}).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { IdGenerator } from '@pet-ops/core';
import { fixedClock } from '@pet-ops/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmCommands, crmRepository } from '../contexts/crm.js';
import {
  type ImportProgress,
  type ImportRowOutcome,
  importCompaniesCsv,
  importPeopleCsv,
} from '../contexts/crm-import.js';
import {
  companyWithoutSlots,
  countWhere,
  legacyWebsite,
  runtimeOn,
  type SeamClient,
  type SeamTarget,
  unitOfWorkOn,
} from './crm-contract.test.js';
import { caught, newId } from './event-store-contract.test.js';

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

const TABLES = [
  'companies',
  'company_slots',
  'domain_events',
  'crm_dead_letters',
  'crm_import_runs',
  'uid_sequences',
];
const ids: IdGenerator = { next: newId };

/**
 * Declares the CRM import contract tests for one database (a fresh one: the counts are exact).
 *
 * @example
 * ```ts
 * describeCrmImportContract('sqlite', async () => ({ db, dialect, prefix: 'pet_', client, close }));
 * ```
 */
export function describeCrmImportContract(name: string, open: () => Promise<SeamTarget>): void {
  describe(`CRM CSV import contract (${name})`, () => {
    let t: SeamTarget;
    let dir: string;
    const clients: SeamClient[] = [];
    beforeAll(async () => {
      t = await open();
      dir = await mkdtemp(join(tmpdir(), 'pet-import-'));
    });
    afterAll(async () => {
      for (const c of clients) await c.close();
      await t?.close();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    async function csv(file: string, text: string): Promise<string> {
      const path = join(dir, file);
      await writeFile(path, text);
      return path;
    }
    const run = async (
      file: string,
      extra: {
        dryRun?: boolean;
        batchSize?: number;
        onRow?: (r: ImportRowOutcome) => void;
        onProgress?: (p: ImportProgress) => void;
      } = {},
      on: SeamClient = t,
      importer: typeof importCompaniesCsv = importCompaniesCsv,
    ) => {
      const totalBytes = await stat(file).then(
        (s) => s.size,
        () => 0,
      );
      // The stream is made in the call: made before the `await`, a missing file's ENOENT could come
      // before the import listens, as an unhandled 'error' event.
      return importer({
        db: on.db,
        dialect: on.dialect,
        prefix: t.prefix,
        source: createReadStream(file),
        fileName: basename(file),
        totalBytes,
        clock: fixedClock('2026-11-22T09:00:00.000000Z', 1),
        ids,
        ...extra,
      });
    };
    const counts = () => Promise.all(TABLES.map((table) => countWhere(t, table)));
    const rows = async (query: ReturnType<typeof sql>) =>
      (await query.execute(t.db)).rows as Record<string, unknown>[];

    it('given a mixed file, when run dry, then each row is reported created | exists | rejected and nothing is written', async () => {
      const file = await csv('dry.csv', MIXED);
      const before = await counts();
      const outcomes: ImportRowOutcome[] = [];
      const report = await run(file, { dryRun: true, onRow: (r) => outcomes.push(r) });
      expect(report).toMatchObject({
        dryRun: true,
        rows: 9,
        created: 4,
        exists: 0,
        rejected: 5,
        fileName: 'dry.csv',
      });
      expect(outcomes.filter((r) => r.outcome === 'rejected').map((r) => [r.row, r.reason])).toEqual([
        [3, 'MISSING_NAME'],
        [4, 'MALFORMED_WEBSITE'],
        [5, 'MISSING_KEY'],
        [6, 'DUPLICATE_IN_FILE'],
        [9, 'UNPARSEABLE_LINE'],
      ]);
      expect(outcomes.filter((r) => r.outcome === 'created').map((r) => r.row)).toEqual([2, 7, 10, 11]);
      expect(await counts()).toEqual(before);
    });

    it('given a mixed file, when committed, then companies with three slots and their events, exactly the bad rows dead-lettered, the run recorded; a re-run creates nothing new', async () => {
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
      const companies = await rows(
        sql`SELECT company_uid, name, website, external_id FROM ${sql.table(`${t.prefix}companies`)} ORDER BY company_uid`,
      );
      expect(
        companies.map((c) => [
          c['company_uid'],
          c['name'],
          c['website'],
          c['external_id'] === null ? null : String(c['external_id']),
        ]),
      ).toEqual([
        ['CO-20261122-000001', 'Acme', 'acme.test', 'ap-1'],
        ['CO-20261122-000002', 'Multi\nline Ltd', 'multi.test', 'ap-2'],
        ['CO-20261122-000003', 'Beta', 'beta.test', null],
        ['CO-20261122-000004', 'Gamma', null, 'ap-3'],
      ]);
      expect(await countWhere(t, 'company_slots')).toBe(12);
      const events = await rows(
        sql`SELECT event_type, COUNT(*) AS n FROM ${sql.table(`${t.prefix}domain_events`)} WHERE stream_type IN (${'company'}, ${'company_slot'}) GROUP BY event_type ORDER BY event_type`,
      );
      expect(events.map((e) => [e['event_type'], Number(e['n'])]).sort()).toEqual([
        ['company.created', 4],
        ['company_slot.opened', 12],
      ]);
      const letters = await rows(
        sql`SELECT source_row, raw_text, reason, file_name FROM ${sql.table(`${t.prefix}crm_dead_letters`)} WHERE run_id = ${t.dialect.codecs.encodeId(report.runId)} ORDER BY source_row`,
      );
      expect(
        letters.map((l) => [Number(l['source_row']), l['reason'], l['raw_text'], l['file_name']]),
      ).toEqual([
        [3, 'MISSING_NAME', ',nameless.test,,', 'mixed.csv'],
        [4, 'MALFORMED_WEBSITE', 'Badsite,not a website,,', 'mixed.csv'],
        [5, 'MISSING_KEY', 'Nokey,,,', 'mixed.csv'],
        [6, 'DUPLICATE_IN_FILE', 'Acme again,ACME.test,,', 'mixed.csv'],
        [9, 'UNPARSEABLE_LINE', 'Too,many,fields,here,extra', 'mixed.csv'],
      ]);
      const [runRow] = await rows(
        sql`SELECT state, mode, rows_total, rows_created, rows_existing, rows_rejected, file_sha256 FROM ${sql.table(`${t.prefix}crm_import_runs`)} WHERE id = ${t.dialect.codecs.encodeId(report.runId)}`,
      );
      expect({
        ...runRow,
        rows_total: Number(runRow?.['rows_total']),
        rows_created: Number(runRow?.['rows_created']),
        rows_existing: Number(runRow?.['rows_existing']),
        rows_rejected: Number(runRow?.['rows_rejected']),
      }).toEqual({
        state: 'completed',
        mode: 'commit',
        rows_total: 9,
        rows_created: 4,
        rows_existing: 0,
        rows_rejected: 5,
        file_sha256: report.fileSha256,
      });
      // The company is found through the seam's own look-ups, with its slots.
      const uow = unitOfWorkOn(t, t.prefix);
      const acme = await uow.run(async (s) => {
        const c = await crmRepository.companyByWebsite(s, 'https://acme.test');
        return { c, slots: c === null ? [] : await crmRepository.slotsOfCompany(s, c.companyId) };
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
      expect(report.deadLettersWritten).toBe(5);
      const again = await run(file);
      expect(again).toMatchObject({ rows: 9, created: 0, exists: 4, rejected: 5, deadLettersWritten: 0 });
      expect(await countWhere(t, 'crm_dead_letters')).toBe(5);
      expect(await countWhere(t, 'companies')).toBe(4);
      expect(await countWhere(t, 'company_slots')).toBe(12);
      expect(await run(file, { dryRun: true })).toMatchObject({ created: 0, exists: 4, rejected: 5 });
    });

    it('given a company without slots (written through the company binding alone), when the import meets it, then exists and its slots are opened; new uids follow on', async () => {
      const uid = (await companyWithoutSlots(unitOfWorkOn(t, t.prefix), 'Delta', 'delta.test')).companyUid;
      const file = await csv('delta.csv', 'name,website\nDelta,https://delta.test\nEpsilon,epsilon.test\n');
      const outcomes: ImportRowOutcome[] = [];
      const report = await run(file, { onRow: (x) => outcomes.push(x) });
      expect(report).toMatchObject({ created: 1, exists: 1, rejected: 0 });
      expect(outcomes).toEqual([
        { row: 2, outcome: 'exists', companyUid: uid },
        { row: 3, outcome: 'created', companyUid: 'CO-20261122-000006' },
      ]);
      const roles = await t.db
        .selectFrom(`${t.prefix}company_slots`)
        .select('role')
        .where('company_uid', '=', uid)
        .orderBy('role')
        .execute();
      expect(roles.map((x) => x.role)).toEqual(['CEO', 'CFO', 'HR']);
    });

    it('given spellings of one host in a file and a company stored with a legacy key (with a path), when imported, then one company per host, the legacy one found and kept as stored', async () => {
      const crm = createCrmCommands({ runtime: runtimeOn(unitOfWorkOn(t, t.prefix)) });
      const old = await crm.insertCompanyWithSlots(
        { name: 'Old', website: 'old-host.test' },
        { actor: { type: 'system', id: null } },
      );
      if (!old.ok) throw new Error(old.error.code);
      await legacyWebsite(t, old.value.companyUid, 'old-host.test/en/home');
      const file = await csv(
        'hosts.csv',
        'name,website\nGamma,https://Gamma-imp.test/x\nGamma 2,gamma-imp.test\nGamma 3,http://www.GAMMA-imp.test/?q=1\nOld,https://www.old-host.test/\n',
      );
      const outcomes: ImportRowOutcome[] = [];
      const report = await run(file, { onRow: (x) => outcomes.push(x) });
      expect(report).toMatchObject({ created: 1, exists: 1, rejected: 2 });
      expect(outcomes.map((o) => [o.row, o.outcome, o.reason ?? null])).toEqual([
        [3, 'rejected', 'DUPLICATE_IN_FILE'],
        [4, 'rejected', 'DUPLICATE_IN_FILE'],
        [2, 'created', null],
        [5, 'exists', null],
      ]);
      expect(outcomes.find((o) => o.row === 5)?.companyUid).toBe(old.value.companyUid);
      const stored = await rows(
        sql`SELECT website FROM ${sql.table(`${t.prefix}companies`)} WHERE website LIKE ${'%host.test%'} OR website LIKE ${'gamma-imp%'} ORDER BY website`,
      );
      expect(stored.map((r) => r['website'])).toEqual(['gamma-imp.test', 'old-host.test/en/home']);
      expect(await run(file, { dryRun: true })).toMatchObject({ created: 0, exists: 2, rejected: 2 });
    });

    it('given a people file, when run dry, committed and re-run, then people keyed by e-mail, bad rows dead-lettered once, nothing duplicated', async () => {
      const PEOPLE = [
        'Name,Email,LinkedIn URL',
        'Ada Lovelace,Ada@Example.test,https://www.linkedin.com/in/ada', // 2
        ',nameless@example.test,', // 3: missing name
        'No Mail,,', // 4: missing key
        'Bad Mail,bad@@mail,', // 5: malformed e-mail
        'Bad Link,link@example.test,https://evil.test/in/x', // 6: malformed LinkedIn URL
        'Ada Again,ada@example.TEST,', // 7: duplicate of line 2
        'Bob,bob@example.test,', // 8
        'Too,many,fields,here', // 9: unparseable
      ].join('\n');
      const file = await csv('people.csv', PEOPLE);
      const before = await countWhere(t, 'people');
      const dry = await run(file, { dryRun: true }, t, importPeopleCsv);
      expect(dry).toMatchObject({
        dryRun: true,
        rows: 8,
        created: 2,
        exists: 0,
        rejected: 6,
        deadLettersWritten: 0,
      });
      expect(await countWhere(t, 'people')).toBe(before);
      const outcomes: ImportRowOutcome[] = [];
      const progress: ImportProgress[] = [];
      const report = await run(
        file,
        { batchSize: 2, onRow: (x) => outcomes.push(x), onProgress: (p) => progress.push(p) },
        t,
        importPeopleCsv,
      );
      expect(report).toMatchObject({ rows: 8, created: 2, exists: 0, rejected: 6, deadLettersWritten: 6 });
      expect(progress.at(-1)).toMatchObject({ rowsRead: 8, created: 2, rejected: 6 });
      expect(outcomes.filter((o) => o.outcome === 'rejected').map((o) => [o.row, o.reason])).toEqual([
        [3, 'MISSING_NAME'],
        [4, 'MISSING_KEY'],
        [5, 'MALFORMED_EMAIL'],
        [6, 'MALFORMED_LINKEDIN_URL'],
        [7, 'DUPLICATE_IN_FILE'],
        [9, 'UNPARSEABLE_LINE'],
      ]);
      const created = outcomes.filter((o) => o.outcome === 'created');
      expect(created.map((o) => o.personUid)).toEqual([
        expect.stringMatching(/^PE-20261122-\d{6}$/),
        expect.stringMatching(/^PE-20261122-\d{6}$/),
      ]);
      const ada = await unitOfWorkOn(t, t.prefix).run((s) =>
        crmRepository.personByEmail(s, 'ada@example.test'),
      );
      expect(ada).toMatchObject({
        name: 'Ada Lovelace',
        linkedinUrl: 'https://www.linkedin.com/in/ada',
        personUid: created[0]?.personUid,
      });
      const events = await rows(
        sql`SELECT COUNT(*) AS n FROM ${sql.table(`${t.prefix}domain_events`)} WHERE event_type = ${'person.created'}`,
      );
      const peopleEvents = Number(events[0]?.['n']);
      const letters = await countWhere(t, 'crm_dead_letters');
      const again = await run(file, {}, t, importPeopleCsv);
      expect(again).toMatchObject({ created: 0, exists: 2, rejected: 6, deadLettersWritten: 0 });
      expect(await countWhere(t, 'people')).toBe(before + 2);
      expect(await countWhere(t, 'crm_dead_letters')).toBe(letters);
      const eventsAfter = await rows(
        sql`SELECT COUNT(*) AS n FROM ${sql.table(`${t.prefix}domain_events`)} WHERE event_type = ${'person.created'}`,
      );
      expect(Number(eventsAfter[0]?.['n'])).toBe(peopleEvents);
      // The same bad line in another file (or a companies file) is another dead letter.
      const renamed = await csv('people-2.csv', PEOPLE);
      expect(await run(renamed, {}, t, importPeopleCsv)).toMatchObject({ deadLettersWritten: 6, exists: 2 });
    });

    it('given dead letters written before they were keyed (duplicates, NULL key), when a keyed import runs, then they stay and do not collide', async () => {
      const legacy = (n: number) => ({
        id: t.dialect.codecs.encodeId(newId()),
        run_id: t.dialect.codecs.encodeId(newId()),
        file_name: 'old.csv',
        source_row: 2,
        raw_text: ',old.test',
        reason: 'MISSING_NAME',
        detail: `old run ${n}`,
      });
      await t.db
        .insertInto(`${t.prefix}crm_dead_letters`)
        .values([legacy(1), legacy(2)])
        .execute();
      const file = await csv('old.csv', 'name,website\n,old.test\n');
      expect(await run(file)).toMatchObject({ rejected: 1, deadLettersWritten: 1 });
      expect(await run(file)).toMatchObject({ rejected: 1, deadLettersWritten: 0 });
      const kept = await rows(
        sql`SELECT letter_key FROM ${sql.table(`${t.prefix}crm_dead_letters`)} WHERE file_name = ${'old.csv'} ORDER BY letter_key`,
      );
      expect(kept.map((r) => (r['letter_key'] === null ? 'legacy' : 'keyed')).sort()).toEqual([
        'keyed',
        'legacy',
        'legacy',
      ]);
    });

    it('given two clients importing the same file at once, then each company exists once with three slots', async () => {
      const lines = Array.from({ length: 60 }, (_, i) => `Race ${i},race${i}.test`);
      const file = await csv('race.csv', ['name,website', ...lines].join('\n'));
      const [a, b] = [t.client(), t.client()];
      clients.push(a, b);
      const reports = await Promise.all([run(file, { batchSize: 7 }, a), run(file, { batchSize: 11 }, b)]);
      expect(reports.reduce((n, r) => n + r.created, 0)).toBe(60);
      expect(reports.reduce((n, r) => n + r.exists, 0)).toBe(60);
      const raced = await rows(
        sql`SELECT COUNT(*) AS n FROM ${sql.table(`${t.prefix}companies`)} WHERE website LIKE ${'race%.test'}`,
      );
      expect(Number(raced[0]?.['n'])).toBe(60);
      const slots = await rows(
        sql`SELECT COUNT(*) AS n FROM ${sql.table(`${t.prefix}company_slots`)} s JOIN ${sql.table(`${t.prefix}companies`)} c ON c.id = s.company_id WHERE c.website LIKE ${'race%.test'}`,
      );
      expect(Number(slots[0]?.['n'])).toBe(180);
    });

    it('given a file without a name column or a missing file, then VALIDATION_FAILED naming the file and no run is recorded', async () => {
      const runs = await countWhere(t, 'crm_import_runs');
      const noName = await csv('noname.csv', 'website\nx.test\n');
      const e = await caught(run(noName, { dryRun: true }));
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.message).toContain('no name column');
      const missing = await caught(run(join(dir, 'absent.csv')));
      expect(missing.code).toBe('VALIDATION_FAILED');
      expect(missing.message).toContain('source');
      expect(missing.message).toContain('ENOENT');
      const badOptions = await caught(run(noName, { batchSize: 0 }));
      expect(badOptions.code).toBe('VALIDATION_FAILED');
      expect(await countWhere(t, 'crm_import_runs')).toBe(runs);
    });

    it('given an import that stops in the middle of a file (onRow throws), then it fails and its file stream is destroyed, a later error of it absorbed', async () => {
      const file = await csv(
        'stops.csv',
        ['name,website', ...Array.from({ length: 40 }, (_, i) => `Stop ${i},stop${i}.test`)].join('\n'),
      );
      for (const dryRun of [true, false]) {
        const source = createReadStream(file, { highWaterMark: 64 }); // many chunks: most still unread
        const failed = await importCompaniesCsv({
          db: t.db,
          dialect: t.dialect,
          prefix: t.prefix,
          source,
          fileName: 'stops.csv',
          dryRun,
          batchSize: 5,
          onRow: () => {
            throw new Error('the host gave up');
          },
        }).catch((e: unknown) => e);
        expect(failed).toBeInstanceOf(Error);
        expect(source.destroyed).toBe(true);
        expect(() => source.emit('error', new Error('late'))).not.toThrow();
      }
    });

    it('given a source of 100 chunks, when the first batch is written, then only its chunks have been pulled (the source is streamed, not read whole)', async () => {
      let pulled = 0;
      async function* source(): AsyncGenerator<Uint8Array> {
        const utf8 = new TextEncoder();
        yield utf8.encode('name,website\n');
        for (let i = 0; i < 100; i++) {
          pulled++;
          yield utf8.encode(`Stream ${i},stream${i}.test\n`);
        }
      }
      const pulledAtFirstRow: number[] = [];
      const report = await importCompaniesCsv({
        db: t.db,
        dialect: t.dialect,
        prefix: t.prefix,
        source: source(),
        fileName: 'stream.csv',
        batchSize: 10,
        onRow: () => {
          if (pulledAtFirstRow.length === 0) pulledAtFirstRow.push(pulled);
        },
      });
      expect(report).toMatchObject({ rows: 100, created: 100 });
      expect(pulledAtFirstRow[0]).toBeLessThanOrEqual(11);
    });

    it('given a file of 3000 rows, when imported in batches of 250, then every row lands and progress is reported per batch (streamed, not loaded whole)', async () => {
      const lines = Array.from({ length: 3000 }, (_, i) => `Bulk ${i},bulk${i}.test,bulk-${i},`);
      const text = ['name,website,external_id,ein', ...lines].join('\n');
      const file = await csv('bulk.csv', text);
      const progress: ImportProgress[] = [];
      const report = await run(file, { batchSize: 250, onProgress: (p) => progress.push(p) });
      expect(report).toMatchObject({ rows: 3000, created: 3000, rejected: 0 });
      expect(progress.length).toBeGreaterThanOrEqual(12);
      expect(progress.at(-1)).toMatchObject({ bytesRead: text.length, totalBytes: text.length });
    });
  });
}
