// Issue 29, item 6: `pet` answers any command line and environment — odd URLs (a space, `;drop`, an
// unresolvable host, a password), unknown flags, huge values, unicode — with a documented exit code
// other than 1 (1 is an internal error: a bug in pet) and at most one line on stderr: no stack trace,
// no `at` frames, no uncaught exception dump, never the URL's password. Spawning is slow: a fixed list
// of hand-picked cases plus a small fast-check sample, run a few processes at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.js';
import { type PetRun, pet } from './pet-process.test.js';

const SECRET = 's3cret-Pw';
const dir = mkdtempSync(join(tmpdir(), 'pet-argv-fuzz-'));
const sqliteUrl = `sqlite:${join(dir, 'fuzz.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every run's environment leaves PET_URL and MYSQL_URL to the case (an outer one would pick a server). */
const ENV = {
  PET_URL: undefined,
  MYSQL_URL: undefined,
  POSTGRES_URL: undefined,
  // Every spawn compiles the same modules: Node's on-disk compile cache saves a part of each start.
  NODE_COMPILE_CACHE: join(dir, 'compile-cache'),
};
const HUGE = 'x'.repeat(100_000);

interface Case {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What every run must show, whatever it was given. */
function expectTidy(c: Case, r: PetRun): void {
  const what = JSON.stringify({
    argv: c.argv.map((a) => a.slice(0, 80)),
    env: c.env,
    code: r.code,
    stderr: r.stderr.slice(0, 400),
  });
  const documented: number[] = Object.values(EXIT);
  expect(documented, what).toContain(r.code);
  expect(r.code, `${what}: exit 1 is an internal error`).not.toBe(EXIT.internal);
  const lines = r.stderr.trimEnd() === '' ? [] : r.stderr.trimEnd().split('\n');
  expect(lines.length, `${what}: at most one line on stderr`).toBeLessThanOrEqual(1);
  expect(r.stderr, what).not.toMatch(/^\s+at /m);
  expect(r.stderr, what).not.toMatch(/node:internal|Uncaught|unexpected error|\bat .*\.[jt]s:\d+/);
  expect(r.stderr + r.stdout, `${what}: the password never shows`).not.toContain(SECRET);
}

/** Runs the cases `parallel` processes at a time. */
async function runAll(cases: readonly Case[], parallel = 3): Promise<void> {
  for (let i = 0; i < cases.length; i += parallel) {
    const batch = cases.slice(i, i + parallel);
    const runs = await Promise.all(batch.map((c) => pet(c.argv, { ...ENV, ...c.env })));
    for (const [k, c] of batch.entries()) expectTidy(c, runs[k] as PetRun);
  }
}

const NASTY: readonly Case[] = [
  // The three URLs of the issue: a space in the database name, `;drop`, an unresolvable host.
  { argv: ['migrate', 'status', '--url', `mysql://root:${SECRET}@127.0.0.1:3306/my db`] },
  { argv: ['migrate', 'status', '--url', `mysql://root:${SECRET}@127.0.0.1:3306/pet;drop table x`] },
  { argv: ['migrate', 'up', '--url', `mysql://root:${SECRET}@no-such-host.invalid:3306/pet`] },
  { argv: ['migrate', 'status'], env: { MYSQL_URL: `mysql://root:${SECRET}@no-such-host.invalid/pet` } },
  { argv: ['events', 'tail'], env: { PET_URL: `postgres://u:${SECRET}@no-such-host.invalid/db` } },
  { argv: ['migrate', 'verify', '--url', `postgres://u:${SECRET}@h:notaport/db`] },
  // A password that is not valid percent-encoding, on both servers.
  { argv: ['migrate', 'status', '--url', `mysql://u:${SECRET}%E0%A4%A@127.0.0.1:3306/pet`] },
  { argv: ['migrate', 'status', '--url', `postgres://u:${SECRET}%E0%A4%A@127.0.0.1:1/db`] },
  { argv: ['migrate', 'status', '--url', 'sqlite:'] },
  { argv: ['migrate', 'status', '--url', 'sqlite:///dev/null/x.db'] },
  { argv: ['frobnicate', '--url', sqliteUrl] },
  { argv: ['migrate', 'status', '--frobnicate', '--url', sqliteUrl] },
  { argv: ['migrate', 'status', '--prefix', HUGE] },
  { argv: ['migrate', 'status', '--prefix', 'pet💥', '--url', sqliteUrl] },
  // A database that is not migrated: the PET tables are missing.
  { argv: ['kpi', 'explain', '../../etc/passwd', '--url', sqliteUrl] },
  { argv: ['time', 'import', join(dir, 'no such file.csv'), '--url', sqliteUrl] },
];

describe('pet with hostile command lines and environments', () => {
  it('given the hand-picked nasty cases, then each exits with a documented code other than 1 and at most one line on stderr, without the password', async () => {
    await runAll(NASTY);
  });

  it('given a fast-check sample of command lines and environments, then the same holds', async () => {
    const commands = fc.constantFrom(
      ['migrate', 'status'],
      ['migrate', 'plan'],
      ['migrate', 'verify'],
      ['events', 'tail'],
      ['crm', 'company', 'add'],
      ['crm', 'link'],
      ['import', 'companies'],
      ['kpi', 'explain'],
      ['kpi', 'report'],
      ['sla', 'evaluate'],
      ['time', 'import'],
      ['db', 'grants'],
      ['nope'],
    );
    const text = fc.oneof(
      fc.string({ maxLength: 30 }).filter((s) => !s.includes('\0')),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.constantFrom(
        '',
        ' ',
        ';drop',
        "'; DROP TABLE pet_domain_events; --",
        '-1',
        'NaN',
        '1e309',
        '💥',
        HUGE,
      ),
    );
    const url = fc.oneof(
      fc.constantFrom(
        sqliteUrl,
        `mysql://root:${SECRET}@127.0.0.1:1/pet`,
        `mysql://root:${SECRET}@127.0.0.1:1/p et`,
        `postgres://u:${SECRET}@127.0.0.1:1/db?schema=;drop`,
        `postgresql://u:${SECRET}@[::1/db`,
        `mysql://u:${SECRET}%zz@h/db`,
        'ftp://x',
      ),
      // Odd text where the database goes; the host refuses at once (a name to resolve could take seconds).
      text.map((t) => `mysql://root:${SECRET}@127.0.0.1:1/${t}`),
      text.map((t) => `postgres://u:${SECRET}@127.0.0.1:1/${t}`),
    );
    const flag = fc.oneof(
      fc.tuple(
        fc.constantFrom(
          '--url',
          '--prefix',
          '--limit',
          '--after',
          '--name',
          '--batch-size',
          '--now',
          '--as-of',
        ),
        text,
      ),
      fc.tuple(fc.constantFrom('--url'), url),
      fc.tuple(
        fc.constantFrom('--json', '--dry-run', '--help', '--frobnicate', '-x', '--'),
        fc.constant(undefined),
      ),
    );
    const cases = fc.record({
      command: commands,
      flags: fc.array(flag, { maxLength: 4 }),
      positional: fc.array(text, { maxLength: 2 }),
      env: fc.record({
        PET_URL: fc.option(url, { nil: undefined }),
        MYSQL_URL: fc.option(url, { nil: undefined }),
      }),
    });
    const seed = Date.now() | 0;
    const sample = fc.sample(cases, { numRuns: 25, seed }).map(
      (c): Case => ({
        argv: [
          ...c.command,
          ...c.positional,
          ...c.flags.flatMap(([f, v]) => (v === undefined ? [f] : [f, v])),
          // Never the default ./pet.db of the working directory: a URL of the case or the scratch file.
          ...(c.flags.some(([f]) => f === '--url') || c.env.PET_URL || c.env.MYSQL_URL
            ? []
            : ['--url', sqliteUrl]),
        ],
        env: c.env,
      }),
    );
    try {
      await runAll(sample);
    } catch (e) {
      throw new Error(`fast-check seed ${seed}: ${(e as Error).message}`);
    }
  });
});
