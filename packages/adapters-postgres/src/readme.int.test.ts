// The README's usage example runs here exactly as written: its first ```ts block runs as an ES module
// inside this package (imports resolve as a user's would, from source) against a fresh database, and its
// stdout must equal the ```text block after it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from './fixtures.test.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../', import.meta.url));

let fresh: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  fresh = await freshDatabase();
});
afterAll(async () => {
  await fresh?.drop();
});

describe('the README example runs and prints what the README says', () => {
  it('packages/adapters-postgres/README.md', async () => {
    const markdown = readFileSync(`${PACKAGE}README.md`, 'utf8');
    const m = /```ts\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/.exec(markdown);
    expect(m).not.toBeNull();
    const file = `${PACKAGE}readme-example-${randomBytes(4).toString('hex')}.mts`;
    writeFileSync(file, m?.[1] ?? '');
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--conditions=@pet-ops/source', file],
        { cwd: ROOT, env: { ...process.env, POSTGRES_URL: fresh.url } },
        (error, stdout, stderr) => {
          rmSync(file, { force: true });
          resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
        },
      );
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(m?.[2]);
  });
});
