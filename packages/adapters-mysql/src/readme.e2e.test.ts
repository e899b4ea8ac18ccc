// The usage examples in the package READMEs are executed here, exactly as written: the first ```ts block
// of each README runs as an ES module inside its package (so its imports resolve as a user's would, from
// source), and its stdout must equal the ```text block that follows it. Examples that need a database
// read MYSQL_URL, which this test points at a fresh database.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The first ```ts block of a README and the ```text block after it (what it prints). */
function readmeExample(markdown: string): { readonly code: string; readonly prints: string } {
  const m = /```ts\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/.exec(markdown);
  if (m === null)
    throw new Error('the README has no ```ts example followed by a ```text block of its output');
  return { code: m[1] ?? '', prints: m[2] ?? '' };
}

function runExample(
  pkg: string,
  code: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = `${ROOT}packages/${pkg}/readme-example-${randomBytes(4).toString('hex')}.mts`;
  writeFileSync(file, code);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--conditions=@pet-ops/source', file],
      { cwd: ROOT, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        rmSync(file, { force: true });
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
      },
    );
  });
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(inject('mysqlUrl'));
});
afterAll(async () => {
  await db?.drop();
});

describe('package README examples run and print what the README says', () => {
  it.each(['core', 'migrations', 'kpi', 'adapters-mysql'])('packages/%s/README.md', async (pkg) => {
    const { code, prints } = readmeExample(readFileSync(`${ROOT}packages/${pkg}/README.md`, 'utf8'));
    const r = await runExample(pkg, code, { MYSQL_URL: db.url });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(prints);
  });

  it('a README without an example and its output is refused', () => {
    expect(() => readmeExample('# x\n\n```ts\nconsole.log(1)\n```\n')).toThrow(/no ```ts example/);
  });
});
