import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.js';
import { useMigratedMysql } from './mysql-fixture.test.js';
import { pet } from './pet-process.test.js';

const prefix = 'cr_';
const { file, run, count, conn, dir } = useMigratedMysql(prefix);

const json = async (...args: string[]) => {
  const r = await run(...args, '--json');
  if (r.code !== EXIT.ok) throw new Error(`pet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

describe('pet crm', () => {
  it('given https://Gamma.com/x, when adding gamma.com and http://www.GAMMA.com/?q=1, then one company keyed by its host', async () => {
    const first = await run('crm', 'company', 'add', '--name', 'Gamma', '--website', 'https://Gamma.com/x');
    expect(first.code).toBe(EXIT.ok);
    expect(first.stdout).toMatch(
      /^created company (CO-\d{8}-\d{6}) with slots SL-\1-CEO, SL-\1-CFO, SL-\1-HR$/m,
    );
    const uid = /CO-\d{8}-\d{6}/.exec(first.stdout)?.[0];
    for (const website of ['gamma.com', 'http://www.GAMMA.com/?q=1']) {
      const again = await run('crm', 'company', 'add', '--name', 'Gamma again', '--website', website);
      expect(again.code).toBe(EXIT.ok);
      expect(again.stdout).toContain(`company ${uid} already exists (matched by website); nothing changed`);
    }
    expect(await count('companies')).toBe(1);
    const [rows] = (await conn().query(`SELECT website FROM \`${prefix}companies\``)) as unknown as [
      Array<{ website: string }>,
    ];
    expect(rows.map((r) => r.website)).toEqual(['gamma.com']);
  });

  it('given a company and two people, when linking by uid, refusing an occupied slot, vacating and linking again, then the slot follows', async () => {
    const company = await json('crm', 'company', 'add', '--name', 'Link Co', '--website', 'link.example');
    const ceo = company.slotUids[0] as string;
    expect(ceo).toBe(`SL-${company.companyUid}-CEO`);
    const ada = await json('crm', 'person', 'add', '--name', 'Ada', '--email', 'Ada@Example.com');
    expect(ada).toMatchObject({ result: 'created', personUid: expect.stringMatching(/^PE-\d{8}-\d{6}$/) });
    const sameAda = await run('crm', 'person', 'add', '--name', 'Ada L.', '--email', 'ada@example.com');
    expect(sameAda.stdout).toContain(`person ${ada.personUid} already exists (same e-mail); nothing changed`);
    const bob = await json('crm', 'person', 'add', '--name', 'Bob', '--linkedin-url', 'linkedin.com/in/bob');

    const linked = await run('crm', 'link', ada.personUid, ceo);
    expect(linked.code).toBe(EXIT.ok);
    expect(linked.stdout).toContain(`linked ${ada.personUid} to ${ceo}`);
    const occupied = await run('crm', 'link', bob.personUid, ceo);
    expect(occupied.code).toBe(EXIT.invalidInput);
    expect(occupied.stderr).toContain('pet: SLOT_ALREADY_FILLED: vacate the slot first');
    const unknown = await run('crm', 'link', 'PE-20200101-000009', ceo);
    expect(unknown.code).toBe(EXIT.notFound);
    expect(unknown.stderr).toContain('PERSON_UID_UNKNOWN');
    const malformed = await run('crm', 'link', 'ada', ceo);
    expect(malformed.code).toBe(EXIT.usage);
    expect(malformed.stderr).toContain('personUid');

    const vacated = await run('crm', 'vacate', ceo);
    expect(vacated.code).toBe(EXIT.ok);
    expect(vacated.stdout).toContain(`vacated ${ceo}`);
    const empty = await run('crm', 'vacate', ceo);
    expect(empty.code).toBe(EXIT.invalidInput);
    expect(empty.stderr).toContain('SLOT_ALREADY_OPEN');
    expect(await json('crm', 'link', bob.personUid, ceo)).toMatchObject({ status: 'filled', changed: true });
  });

  it('given bad company input, when adding, then exit 7 naming the rule and nothing written', async () => {
    const before = await count('companies');
    const r = await run('crm', 'company', 'add', '--name', 'Nowhere', '--website', 'not a site');
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.stderr).toContain('MALFORMED_WEBSITE');
    expect(await count('companies')).toBe(before);
  });
});

const PEOPLE = [
  'name,email,linkedin_url',
  'Cleo,cleo@example.com,https://www.linkedin.com/in/cleo',
  'Dan,,',
  'Eve,eve@example.com,',
  'Eve again,EVE@example.com,',
].join('\n');

describe('pet import people', () => {
  it('given a people file, when run dry, committed and re-run, then people keyed by e-mail and dead letters written once', async () => {
    const path = file('people.csv', PEOPLE);
    const before = await count('people');
    const dry = await run('import', 'people', path, '--dry-run');
    expect(dry.code).toBe(EXIT.ok);
    expect(dry.stdout).toContain(
      'dry run of people.csv: 4 row(s) — 2 would create, 0 already there, 2 would be rejected; nothing was written',
    );
    expect(dry.stdout).toContain('line 3: MISSING_KEY');
    expect(dry.stdout).toContain('line 5: DUPLICATE_IN_FILE');
    expect(await count('people')).toBe(before);

    const first = await run('import', 'people', path);
    expect(first.stdout).toContain(
      'imported people.csv: 4 row(s) — 2 created, 0 already there, 2 rejected (kept as dead letters)',
    );
    expect(await count('people')).toBe(before + 2);
    const letters = await count('crm_dead_letters');
    const again = await run('import', 'people', path);
    expect(again.stdout).toContain(
      'imported people.csv: 4 row(s) — 0 created, 2 already there, 2 rejected (kept as dead letters) (2 already kept by an earlier run)',
    );
    expect(await count('people')).toBe(before + 2);
    expect(await count('crm_dead_letters')).toBe(letters);
  });

  it('given a companies file run twice, then its dead letters are written once', async () => {
    const path = file('co.csv', 'name,website\nZeta,zeta.example\n,nameless.example\n');
    const first = await json('import', 'companies', path);
    expect(first).toMatchObject({ created: 1, rejected: 1, deadLettersWritten: 1 });
    const letters = await count('crm_dead_letters');
    expect(await json('import', 'companies', path)).toMatchObject({
      exists: 1,
      rejected: 1,
      deadLettersWritten: 0,
    });
    expect(await count('crm_dead_letters')).toBe(letters);
  });

  it('given a people file without an email column header, then exit 7 naming the people columns', async () => {
    const r = await run('import', 'people', file('no-name.csv', 'mail\nx@example.com\n'));
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.stderr).toContain('is not a usable people CSV: the header row has no name column');
    expect(r.stderr).toContain('name (required), email (required), linkedin_url');
  });

  it('--help of the CRM commands names their arguments and rules', async () => {
    // Help is wrapped to the terminal width: compare with the line breaks folded.
    const flat = (s: string): string => s.replace(/\s+/g, ' ');
    const people = await pet(['import', 'people', '--help']);
    expect(people.stdout).toContain('Usage: pet import people [options] <file.csv>');
    expect(flat(people.stdout)).toContain('dead letters (once: a re-run adds none)');
    const link = await pet(['crm', 'link', '--help']);
    expect(link.stdout).toContain('Usage: pet crm link [options] <person_uid> <slot_uid>');
    const company = await pet(['crm', 'company', 'add', '--help']);
    expect(company.stdout).toContain('--website <url>');
    expect(flat(company.stdout)).toContain('the key is the host');
  });
});

describe('pet crm and pet import people on SQLite', () => {
  it('given a migrated SQLite file, when importing people, adding a company and linking by uid, then it works as on MariaDB', async () => {
    const url = `sqlite:${join(dir(), 'crm.db')}`;
    expect((await pet(['migrate', 'up', '--url', url])).code).toBe(EXIT.ok);
    const people = file('sqlite-people.csv', 'name,email\nIda,ida@example.com\n,nobody@example.com\n');
    const onSqlite = async (...args: string[]) => {
      const r = await pet([...args, '--url', url, '--json']);
      if (r.code !== EXIT.ok) throw new Error(`pet ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout);
    };
    const imported = await onSqlite('import', 'people', people);
    expect(imported).toMatchObject({ created: 1, rejected: 1, deadLettersWritten: 1 });
    expect(await onSqlite('import', 'people', people)).toMatchObject({ exists: 1, deadLettersWritten: 0 });
    const ida = await onSqlite('crm', 'person', 'add', '--name', 'Ida', '--email', 'IDA@example.com');
    expect(ida.result).toBe('exists');
    const company = await onSqlite(
      'crm',
      'company',
      'add',
      '--name',
      'Lite',
      '--website',
      'https://www.lite.example/x',
    );
    expect(await onSqlite('crm', 'link', ida.personUid, company.slotUids[1])).toMatchObject({
      status: 'filled',
    });
    expect(await onSqlite('crm', 'vacate', company.slotUids[1])).toMatchObject({ status: 'open' });
  });
});
