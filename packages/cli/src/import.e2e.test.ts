import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.js';
import { useMigratedMysql } from './mysql-fixture.test.js';
import { pet } from './pet-process.test.js';

const prefix = 'im_';
const { file, run, count, dir, db } = useMigratedMysql(prefix);

const CSV = [
  'name,website,external_id,ein',
  'Acme GmbH,https://www.acme.example/,A-1,',
  '"Beta, Ltd",beta.example,,',
  ',nowhere.example,,',
  'Gamma AG,gamma.example,G-1,',
  '"Broken,quote',
].join('\n');

describe('pet import companies', () => {
  it('--dry-run reports per row and writes nothing', async () => {
    const r = await run('import', 'companies', file('dry.csv', CSV), '--dry-run');
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain(
      'dry run of dry.csv: 5 row(s) — 3 would create, 0 already there, 2 would be rejected; nothing was written',
    );
    expect(r.stdout).toContain('line 4: MISSING_NAME');
    expect(r.stdout).toContain('line 6: UNPARSEABLE_LINE');
    expect(await count('companies')).toBe(0);
    expect(await count('crm_dead_letters')).toBe(0);
    expect(await count('crm_import_runs')).toBe(0);
  });

  it('imports the good rows, dead-letters the bad ones, and a re-run creates nothing new', async () => {
    const path = file('companies.csv', CSV);
    const first = await run('import', 'companies', path);
    expect(first.code).toBe(EXIT.ok);
    expect(first.stdout).toContain(
      'imported companies.csv: 5 row(s) — 3 created, 0 already there, 2 rejected (kept as dead letters)',
    );
    expect(await count('companies')).toBe(3);
    expect(await count('company_slots')).toBe(9);
    expect(await count('crm_dead_letters')).toBe(2);

    const again = JSON.parse((await run('import', 'companies', path, '--json')).stdout);
    expect(again).toMatchObject({
      fileName: 'companies.csv',
      rows: 5,
      created: 0,
      exists: 3,
      rejected: 2,
      dryRun: false,
    });
    expect(again.rejections.map((x: { row: number; reason: string }) => [x.row, x.reason])).toEqual([
      [4, 'MISSING_NAME'],
      [6, 'UNPARSEABLE_LINE'],
    ]);
    expect(await count('companies')).toBe(3);
  });

  it('a missing file: exit 6 naming the file', async () => {
    const r = await run('import', 'companies', join(dir(), 'nope.csv'));
    expect(r.code).toBe(EXIT.notFound);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      `pet: cannot read ${join(dir(), 'nope.csv')} (no such file); pass the path of a readable CSV file`,
    );
  });

  it('a malformed CSV (no name column, empty): exit 7 naming the problem and the expected columns; no company written', async () => {
    const before = await count('companies');
    for (const [name, text, problem] of [
      ['no-name.csv', 'title,website\nX,x.example\n', 'the header row has no name column'],
      ['empty.csv', '', 'the file is empty'],
    ] as const) {
      const r = await run('import', 'companies', file(name, text));
      expect(r.code).toBe(EXIT.invalidInput);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`is not a usable company CSV: ${problem}`);
      expect(r.stderr).toContain(
        'the first row must name the columns: name (required), website, external_id, ein',
      );
    }
    expect(await count('companies')).toBe(before);
  });

  it('a prefix without PET tables: exit 4 saying to migrate first', async () => {
    const r = await pet(['import', 'companies', file('p.csv', CSV), '--prefix', 'none_'], {
      MYSQL_URL: db().url,
    });
    expect(r.code).toBe(EXIT.schema);
    expect(r.stderr).toContain('run `pet migrate up` first');
  });

  it('bad usage: a missing file argument or a bad --batch-size exits 2', async () => {
    const missing = await run('import', 'companies');
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toContain("pet: missing required argument 'file.csv'");
    const batch = await run('import', 'companies', file('b.csv', CSV), '--batch-size', '0');
    expect(batch.code).toBe(EXIT.usage);
    expect(batch.stderr).toContain('--batch-size must be a whole number from 1 to 5000');
  });

  it('--help describes the columns and the dead letters', async () => {
    const r = await pet(['import', 'companies', '--help']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('Usage: pet import companies [options] <file.csv>');
    expect(r.stdout).toContain('--dry-run');
    expect(r.stdout).toContain('dead letters');
  });
});
