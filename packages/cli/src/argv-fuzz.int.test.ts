// Issue 29, item 6, in process: every leaf command of `pet` gets 200 fast-check runs of arbitrary and
// type-confused arguments and environments. argv-fuzz.e2e.test.ts spawns the real bin (exit code, stderr,
// no stack dump) but a spawn costs ~0.5 s, so it affords a small sample; here runCli is called directly,
// a run costs milliseconds. Each run must end with a documented exit code other than 1 (1 is a bug in pet),
// at most one line on stderr and no stack frames, never print the URL's password, leave no unhandled
// rejection, uncaught exception or process warning behind (the real process would print those on its
// stderr), and — refused with a non-zero exit code — leave the database as it was.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDatabase } from '@pet-ops/adapters-sqlite';
import { migrations } from '@pet-ops/migrations';
import type { Command, Option } from 'commander';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './captured-io.test.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { buildProgram, runCli } from './run.js';

const RUNS = 200;
/** A run still going after this long waits for something that never comes (a `--follow` mode). */
const HANG_MS = 10_000;
/** A run this slow on the small scratch file spends quadratic time on a long value somewhere. */
const SLOW_MS = 5_000;
const SECRET = 's3cret-Pw';

const dir = mkdtempSync(join(tmpdir(), 'pet-argv-fuzz-int-'));
/** Migrated once in beforeAll; most runs point here, and a refused run must leave it as it was. */
const scratch = join(dir, 'scratch.db');
/** Never migrated: removed after every run, so each run that picks it meets a database without tables. */
const blank = join(dir, 'blank.db');
/** Where the options that write a file (--html, --dead-letters) write. */
const outDir = join(dir, 'out');
const HUGE = 'x'.repeat(100_000);

// --- The commands, from the program itself: a command added later is fuzzed without touching this file.

interface Leaf {
  readonly path: readonly string[];
  readonly command: Command;
}

const quietIo: CliIo = {
  stdout: { write: () => true },
  stderr: { write: () => true },
  env: {},
  signal: new AbortController().signal,
};
const PROGRAM = buildProgram(quietIo, {
  context: () => {
    throw new Error('only walked, never run');
  },
  finish: () => undefined,
});

function leavesOf(command: Command, path: readonly string[] = []): Leaf[] {
  return command.commands.flatMap((c) => {
    const p = [...path, c.name()];
    return c.commands.length === 0 ? [{ path: p, command: c }] : leavesOf(c, p);
  });
}
const LEAVES = leavesOf(PROGRAM);

/**
 * Options never generated. `--follow` polls until Ctrl-C, so a run would never end (no command is left
 * out: `migrate up` runs too — on the scratch file it takes ~20 ms when current and ~250 ms for a prefix
 * not migrated yet, and against the refusing servers it fails at once; `kpi rebuild` on the small scratch
 * file is as quick).
 */
const NEVER = new Set(['--follow']);
const NEVER_SHORT = LEAVES.flatMap((l) => l.command.options)
  .filter((o) => o.long !== undefined && NEVER.has(o.long) && o.short !== undefined)
  .map((o) => (o.short as string).slice(1));
/**
 * Options naming a file (`--html <file>`, `--dead-letters <file>`: commands read files from arguments and
 * write them to options): their values are always paths under `outDir` — a random one would write
 * anywhere, into the repository too. Found by the value's name, so an option added later is covered.
 */
const WRITES = new Set(
  LEAVES.flatMap((l) => l.command.options)
    .filter((o) => o.long !== undefined && /<[^>]*(file|path|dir)[^>]*>/.test(o.flags))
    .map((o) => o.long as string),
);

/**
 * Tokens the generators never produce as they stand: a NUL or a lone surrogate (a real argv or environment
 * cannot hold one), a `--follow` in any spelling (a short cluster holding `-f` included), a file-writing
 * flag (it would take the next, random token as its path) and a database URL (a random `sqlite:` one
 * would create a file in the working directory).
 */
function safeToken(t: string): boolean {
  return (
    !t.includes('\0') &&
    !/\p{Cs}/u.test(t) &&
    ![...NEVER, ...WRITES].some((f) => t === f || t.startsWith(`${f}=`)) &&
    !(/^-[^-]/.test(t) && NEVER_SHORT.some((s) => t.includes(s))) &&
    !/^\s*(sqlite|mysql|postgres)/i.test(t)
  );
}

// --- Values.

const ODD = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  'Infinity',
  '-1',
  '-0',
  '0',
  '1e309',
  '-1e309',
  '0x10',
  String(Number.MAX_SAFE_INTEGER + 2),
  '-9007199254740993',
  '18446744073709551616',
  '2026-02-30T00:00:00Z',
  '2026-13-01T25:61:00Z',
  '💥',
  '👩‍👩‍👧‍👦',
  '١٢٣',
  'Ⅻ',
  'e\u0301',
  ';drop',
  "'; DROP TABLE domain_events; --",
  '" OR 1=1 --',
  '%s%n%x',
  '$(id) $HOME',
  '../../etc/passwd',
  '.',
  '/',
  'a\nb',
  'a\r\nb',
  'a\rb',
  '\t',
  '-',
  '--',
  '---',
  HUGE,
  ' '.repeat(100_000),
];
const text: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.string({ unit: 'grapheme-composite', maxLength: 6 }),
    fc.constantFrom(...ODD),
  )
  .filter(safeToken);

/**
 * Random text put into a URL: never `?`, `#` or `&` — a query parameter such as `host=` or `port=`
 * would aim the driver elsewhere (a name to resolve, or the real servers).
 */
const urlPart = text.map((t) => t.replace(/[?#&]/g, ''));

const sqliteUrls = [`sqlite:${scratch}`, `sqlite://${scratch}`];
const ODD_URLS = [
  '',
  ' ',
  'ftp://x',
  'sqlite:',
  'sqlite://',
  `sqlite:${dir}`,
  `sqlite:${join(dir, 'no', 'such', 'dir.db')}`,
  'sqlite:/dev/null/x.db',
  // A text file: SQLite's "file is not a database" (SQLITE_NOTADB), a CONNECTION_FAILED.
  `sqlite:${join(dir, 'notes.txt')}`,
  `MYSQL://root:${SECRET}@127.0.0.1:1/pet`,
  'mysql:/127.0.0.1:1/pet',
  `mysql://root:${SECRET}@127.0.0.1:1`,
  `mysql://root:${SECRET}@127.0.0.1:1/p et`,
  `mysql://root:${SECRET}@127.0.0.1:1/pet;drop table x`,
  `mysql://root:${SECRET}@127.0.0.1:1/pet?connectTimeout=NaN`,
  `mysql://root:${SECRET}@127.0.0.1:1/pet?password=${SECRET}`,
  `mysql://u:${SECRET}%zz@127.0.0.1:1/db`,
  `mysql://u:${SECRET}%E0%A4%A@127.0.0.1:1/pet`,
  `postgres://u:${SECRET}@127.0.0.1:notaport/db`,
  `postgres://u:${SECRET}@127.0.0.1:1/db?schema=;drop`,
  `postgres://u:${SECRET}@127.0.0.1:1/db?schema=a%zz`,
  `postgresql://u:${SECRET}@[::1/db`,
  `postgres://u:${SECRET}%zz@127.0.0.1:1/db`,
  `postgres://u:${SECRET}@127.0.0.1:1/db?schema=x&schema=y`,
];
/**
 * Connection URLs: the migrated scratch file most of the time; else a file without tables, a path that is
 * not a database, servers that refuse at once (port 1 on 127.0.0.1: never a name to resolve, never the
 * real 3306/5432) with odd text where the password, the database or the schema goes, and malformed URLs.
 */
const url: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...sqliteUrls) },
  { weight: 2, arbitrary: fc.constant(`sqlite:${blank}`) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_URLS) },
  {
    weight: 3,
    arbitrary: fc.oneof(
      // After the password anything but `@` may follow: where a `/`, `?` or `#` ends the authority early,
      // it is `root:s3cret…`, a port no parser takes; an `@` before it could name another host.
      text.map((t) => `mysql://root:${SECRET}${t.replaceAll('@', '')}@127.0.0.1:1/pet`),
      text.map((t) => `postgres://u:${SECRET}${t.replaceAll('@', '')}@127.0.0.1:1/db`),
      // Before it anything but `:`, `/`, `?`, `#`, `&`: an `@` may, as the last `@` ends the user part.
      urlPart.map((t) => `mysql://root:${t.replace(/[:/]/g, '')}${SECRET}@127.0.0.1:1/pet`),
      urlPart.map((t) => `postgres://u:${t.replace(/[:/]/g, '')}${SECRET}@127.0.0.1:1/db`),
      urlPart.map((t) => `mysql://root:${SECRET}@127.0.0.1:1/${t}`),
      urlPart.map((t) => `postgres://u:${SECRET}@127.0.0.1:1/${t}`),
      urlPart.map((t) => `postgres://u:${SECRET}@127.0.0.1:1/db?schema=${t}`),
    ),
  },
  { weight: 1, arbitrary: text },
);

/** Prefixes: a few valid ones (each one `migrate up` meets is migrated once, ~250 ms), else random ones. */
const prefix: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('', 'wp_pet_', 'zz_', 'p'.repeat(20), 'p'.repeat(21)) },
  { weight: 2, arbitrary: text.filter((t) => !/^[A-Za-z0-9_]{0,20}$/.test(t)) },
);

/** Paths for the file-writing options: in `outDir`, or one that cannot be written (a directory, no parent). */
const writePath: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
      .filter(safeToken)
      .map((s) => join(outDir, s.replace(/[/\\]/g, '_'))),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      outDir,
      join(dir, 'no', 'such', 'dir', 'x.html'),
      '/dev/null/x',
      join(outDir, 'x'.repeat(300)),
    ),
  },
);

const migrationIds = migrations.map((m) => m.id);
/** Values that get past an option's own check now and then, so the runs reach the database too. */
const PLAUSIBLE: Readonly<Record<string, fc.Arbitrary<string>>> = {
  '--lines': fc.constantFrom('1', '20', '100000', '100001', '0', '007'),
  '--from': fc.constantFrom('1', '2', '18446744073709551615', '18446744073709551616', '0'),
  '--interval': fc.constantFrom('1', '1000', '86400000', '0'),
  '--at': fc.constantFrom(
    '2026-03-02T09:00:00Z',
    '2026-03-02T09:00:00.123456+01:00',
    '2026-02-30T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
  ),
  '--batch-size': fc.constantFrom('1', '500', '5000', '5001', '10000', '0'),
  '--currency': fc.constantFrom('EUR', 'USD', 'XXX', 'eur'),
  '--time-zone': fc.constantFrom('UTC', 'Europe/Berlin', 'Etc/GMT+14', 'Mars/Olympus'),
  '--key': fc.constantFrom('sales.win-rate', 'crm.companies', 'nope'),
  '--target': fc.constantFrom(...migrationIds.slice(0, 3), migrationIds.at(-1) ?? 'none', 'nope'),
  '--lock-timeout': fc.constantFrom('0', '1', '60', '999999', '1000000'),
  '--name': fc.constantFrom('Acme GmbH', 'Ada Lovelace', 'Ünïcødé AG'),
  '--website': fc.constantFrom(
    'https://www.acme.example/x',
    'acme.example',
    'http://[::1',
    'javascript:alert(1)',
  ),
  '--external-id': fc.constantFrom('A-1', 'A-2'),
  '--ein': fc.constantFrom('12-3456789', '00-0000000'),
  '--email': fc.constantFrom('ada@example.com', 'ADA@EXAMPLE.COM', 'not-an-email', 'a@b'),
  '--linkedin-url': fc.constantFrom(
    'https://www.linkedin.com/in/ada',
    'linkedin.com/in/bob',
    'https://evil.example/in/x',
  ),
  '--app-user': fc.constantFrom('pet_app', "a'b", 'x'.repeat(80)),
  '--migrate-user': fc.constantFrom('pet_migrate', '`x`'),
  '--host': fc.constantFrom('%', 'localhost', "'; --"),
};

function valueFor(flag: string): fc.Arbitrary<string> {
  if (WRITES.has(flag)) return writePath;
  if (flag === '--url') return url;
  if (flag === '--prefix') return prefix;
  const plausible = PLAUSIBLE[flag];
  return plausible === undefined ? text : fc.oneof(text, plausible);
}

/** One option as tokens: with a value, glued with `=`, short and glued, missing its value, or a boolean given one. */
function optionTokens(o: Option): fc.Arbitrary<readonly string[]> {
  const flag = o.long ?? (o.short as string);
  if (o.isBoolean()) {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant([flag]) },
      { weight: 1, arbitrary: text.map((v) => [`${flag}=${v}`]) },
    );
  }
  const value = valueFor(flag);
  const forms: fc.WeightedArbitrary<readonly string[]>[] = [
    { weight: 6, arbitrary: value.map((v) => [flag, v]) },
    { weight: 1, arbitrary: value.map((v) => [`${flag}=${v}`]) },
  ];
  if (o.short !== undefined) forms.push({ weight: 1, arbitrary: value.map((v) => [`${o.short}${v}`]) });
  // Without its value it takes the next token, whatever that is: never for a flag that writes a file.
  if (!WRITES.has(flag)) forms.push({ weight: 1, arbitrary: fc.constant([flag]) });
  return fc.oneof(...forms);
}

const JUNK = [
  '--frobnicate',
  '-x',
  '--',
  '-',
  '---',
  '--help',
  '-h',
  '--version',
  '-V',
  '--no-json',
  '--JSON',
  '--url-x',
  '--prefix=',
  '--json=yes',
  '--lines=5',
  '-1',
  '--1e309',
  '--__proto__',
  '--constructor',
];
const junk: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.constantFrom(...JUNK).map((j) => [j]),
  text.map((t) => [`--${t}`]).filter((ts) => ts.every(safeToken)),
);

// --- Fixtures: files for the positional arguments, ids of rows that exist (filled in beforeAll).

const FILES: Readonly<Record<string, string | Buffer>> = {
  'companies.csv': [
    'name,website,external_id,ein',
    'Acme GmbH,https://www.acme.example/,A-1,',
    '"Beta, Ltd",beta.example,,',
    ',nowhere.example,,',
    '"Broken,quote',
  ].join('\n'),
  'people.csv': [
    'name,email,linkedin_url',
    'Ada,ada@example.com,',
    'Bob,,linkedin.com/in/bob',
    ',x@example.com,',
  ].join('\n'),
  'time.csv': [
    'external_id,employee_id,start,end,description,billable,work_type',
    'TS-1,019b76da-a800-7000-8000-0000000000e1,2026-03-02T09:00:00+01:00,2026-03-02T10:30:00+01:00,"Workshop, day 1",yes,project',
    'TS-2,,2026-03-02T13:00:00Z,2026-03-02T14:00:00Z,no employee,,',
    'TS-3,019b76da-a800-7000-8000-0000000000e1,2026-03-02T15:00:00Z,2026-03-02T14:00:00Z,backwards,,',
  ].join('\r\n'),
  'empty.csv': '',
  'header-only.csv': 'name,email\n',
  'bom.csv': '\uFEFFname,email\nZoe,zoe@example.com\n',
  'binary.csv': Buffer.from([0, 255, 254, 10, 0x22, 0x2c, 0xc3, 0x28, 10, 0]),
  'long-field.csv': `name,website\n${'y'.repeat(200_000)},long.example\n`,
  // Named as a database by one of the odd URLs: a text file is not a SQLite database.
  'notes.txt': 'hello, not a database\n',
};
const FILE_PATHS = [
  ...Object.keys(FILES).map((f) => join(dir, f)),
  dir,
  join(dir, 'missing.csv'),
  '/dev/null',
];
/** Uids of the company, its slots and people made in beforeAll, and KPI result ids if the rebuild made any. */
const known: string[] = ['PE-20200101-000009', 'SL-CO-20200101-000001-CEO', 'SL-x-CEO', 'CO-20200101-000001'];

// --- Cases.

interface Case {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

function caseOf(leaf: Leaf): fc.Arbitrary<Case> {
  const options = [...leaf.command.options, ...PROGRAM.options].filter(
    (o) => o.long === undefined || !NEVER.has(o.long),
  );
  const argc = leaf.command.registeredArguments.length;
  const positional = fc.oneof(
    { weight: 3, arbitrary: text },
    { weight: 2, arbitrary: fc.constantFrom(...FILE_PATHS) },
    { weight: 2, arbitrary: fc.constantFrom(...known) },
  );
  return fc
    .record({
      positionals: fc.oneof(
        { weight: 3, arbitrary: fc.array(positional, { minLength: argc, maxLength: argc }) },
        { weight: 1, arbitrary: fc.array(positional, { maxLength: argc + 2 }) },
      ),
      options: fc.array(fc.oneof(...options.map(optionTokens)), { maxLength: 4 }),
      junk: fc.oneof(
        { weight: 2, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: fc.array(junk, { minLength: 1, maxLength: 2 }) },
      ),
      junkAt: fc.nat(),
      url,
      urlFrom: fc.constantFrom('--url first', '--url after the command', 'environment'),
      env: fc.record({
        PET_URL: fc.option(url, { nil: undefined }),
        MYSQL_URL: fc.option(url, { nil: undefined }),
        // Read by nothing in pet: set anyway, as an outer shell may have it.
        POSTGRES_URL: fc.option(url, { nil: undefined }),
        // Only PET_DEBUG=1 asks for stack traces: every other value must not.
        PET_DEBUG: fc.option(fc.constantFrom('0', '', 'true', 'yes', '2'), { nil: undefined }),
      }),
    })
    .map((c): Case => {
      const groups: (readonly string[])[] = [...c.positionals.map((p) => [p]), ...c.options];
      groups.splice(c.junkAt % (groups.length + 1), 0, ...c.junk);
      const body = groups.flat();
      // Never the default ./pet.db of the working directory: the URL comes first on the command line
      // (before any `--` that would make it an operand) or from PET_URL / MYSQL_URL.
      if (c.urlFrom === 'environment') {
        const env =
          c.env.PET_URL === undefined && c.env.MYSQL_URL === undefined ? { ...c.env, PET_URL: c.url } : c.env;
        return { argv: [...leaf.path, ...body], env };
      }
      return {
        argv:
          c.urlFrom === '--url first'
            ? ['--url', c.url, ...leaf.path, ...body]
            : [...leaf.path, '--url', c.url, ...body],
        env: c.env,
      };
    });
}

// --- Running and judging one case.

interface Run {
  readonly ms: number;
  readonly code: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
  readonly hung: boolean;
}

async function runPet(argv: readonly string[], env: Case['env'] = {}): Promise<Run> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), HANG_MS);
  const started = performance.now();
  try {
    const run = captureIo(env, controller.signal);
    const code = await runCli(argv, run.io);
    // A stray rejection or warning of the run is reported on a later tick: let it surface first.
    await new Promise((resolve) => setImmediate(resolve));
    const ms = performance.now() - started;
    return { ms, code, stdout: run.stdout(), stderr: run.stderr(), hung: controller.signal.aborted };
  } finally {
    clearTimeout(timer);
  }
}

/** Unicode's mandatory line breaks: LF, CR, VT, FF, NEL, LS, PS (a terminal moves down on VT and FF too). */
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;

let scratchDb: SqliteDatabase;

/**
 * The scratch file's commit counter (PRAGMA data_version moves on every commit of another connection) and
 * row counts, read through the SQLite adapter (the CLI's tests import no driver themselves).
 */
async function snapshot(): Promise<{
  readonly version: number;
  readonly rows: Readonly<Record<string, number>>;
}> {
  const version = Number(
    (await sql<{ data_version: number }>`PRAGMA data_version`.execute(scratchDb.db)).rows[0]?.data_version,
  );
  const tables = (
    await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(
      scratchDb.db,
    )
  ).rows;
  const rows: Record<string, number> = {};
  if (tables.length > 0) {
    const counts = await sql
      .raw<{ t: string; n: number }>(
        tables.map((t) => `SELECT '${t.name}' AS t, COUNT(*) AS n FROM "${t.name}"`).join(' UNION ALL '),
      )
      .execute(scratchDb.db);
    for (const c of counts.rows) rows[c.t] = Number(c.n);
  }
  return { version, rows };
}

/** What went wrong in the process: each entry fails the run it happened in. */
const strays: string[] = [];
const onRejection = (reason: unknown): void => {
  strays.push(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
};
const onException = (e: Error): void => {
  strays.push(`uncaught exception: ${e.stack ?? e.message}`);
};
const onWarning = (w: Error): void => {
  strays.push(`process warning (the real process prints it on stderr): ${w.name}: ${w.message}`);
};

function removeBlank(): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${blank}${suffix}`, { force: true });
}

async function check(c: Case): Promise<void> {
  const strayCount = strays.length;
  const before = await snapshot();
  const r = await runPet(c.argv, c.env);
  removeBlank();
  const what = JSON.stringify({
    argv: c.argv.map((a) => (a.length > 80 ? `${a.slice(0, 80)}…(${a.length})` : a)),
    env: c.env,
    code: r.code,
    stderr: r.stderr.slice(0, 400),
  });
  expect(r.hung, `${what}: did not end within ${HANG_MS} ms`).toBe(false);
  expect(r.ms, `${what}: took ${Math.round(r.ms)} ms`).toBeLessThan(SLOW_MS);
  expect(Object.values(EXIT) as number[], what).toContain(r.code);
  expect(r.code, `${what}: exit 1 is an internal error`).not.toBe(EXIT.internal);
  expect(r.stderr.replace(/\n$/, ''), `${what}: at most one line on stderr`).not.toMatch(LINE_BREAK);
  expect(r.stderr, `${what}: no stack`).not.toMatch(/^\s+at |node:internal|Uncaught|unexpected error/m);
  expect(r.stdout + r.stderr, `${what}: the password never shows`).not.toContain(SECRET);
  expect(strays.slice(strayCount), what).toEqual([]);
  if (r.code !== EXIT.ok)
    expect(await snapshot(), `${what}: refused, so nothing was written`).toEqual(before);
}

/** Runs a set-up command on the scratch file and returns its JSON output. */
async function setUp<T>(...argv: string[]): Promise<T> {
  const r = await runPet([...argv, '--url', `sqlite:${scratch}`, '--json']);
  if (r.code !== EXIT.ok) throw new Error(`set-up \`pet ${argv.join(' ')}\` exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? 'null') as T;
}

/** The handles the worker holds before any run — its pipes, the runner's timer of the hook or test that runs. */
let handlesAtStart: string[] = [];

beforeAll(async () => {
  handlesAtStart = process.getActiveResourcesInfo();
  mkdirSync(outDir);
  for (const [name, content] of Object.entries(FILES)) writeFileSync(join(dir, name), content);
  await setUp('migrate', 'up');
  type Company = { companyUid: string; slotUids: string[] };
  type Person = { personUid: string };
  const company = await setUp<Company>(
    'crm',
    'company',
    'add',
    '--name',
    'Fuzz',
    '--website',
    'fuzz.example',
  );
  const ada = await setUp<Person>('crm', 'person', 'add', '--name', 'Ada', '--email', 'ada@fuzz.example');
  const bob = await setUp<Person>('crm', 'person', 'add', '--name', 'Bob', '--email', 'bob@fuzz.example');
  await setUp('crm', 'link', ada.personUid, company.slotUids[0] as string);
  await setUp('kpi', 'rebuild');
  const results = await setUp<{ id: string }[]>('kpi', 'results');
  known.push(company.companyUid, ...company.slotUids, ada.personUid, bob.personUid);
  known.push(...results.slice(0, 3).map((r) => r.id));
  scratchDb = openSqlite({ path: scratch });
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtExceptionMonitor', onException);
  process.on('warning', onWarning);
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtExceptionMonitor', onException);
  process.off('warning', onWarning);
  await scratchDb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what the fuzz found, kept as fixed examples', () => {
  const scratchUrl = `sqlite:${scratch}`;

  it('given a line break in a value pet quotes (CR in --at, CR LF in a file name), then it is printed as a space, on one line', async () => {
    const at = await runPet(['sla', 'evaluate', '--url', scratchUrl, '--at', 'a\rb']);
    expect(at.code).toBe(EXIT.usage);
    expect(at.stderr).toBe(
      "pet: option '--at <instant>' argument 'a b' is invalid. --at must be an ISO-8601 date-time with an offset or Z (e.g. 2026-03-02T09:00:00Z), got 'a b' (run with --help for usage)\n",
    );
    const file = await runPet(['time', 'import', 'a\r\nb', '--url', scratchUrl]);
    expect(file.code).toBe(EXIT.notFound);
    expect(file.stderr).toBe('pet: cannot read a b (no such file); pass the path of a readable CSV file\n');
  });

  it('given a URL quoted as another option, or a password holding `#` or `@`, then the password is masked', async () => {
    const asPrefix = await runPet([
      'migrate',
      'plan',
      '--url',
      scratchUrl,
      '--prefix',
      `--url=mysql://root:${SECRET}@127.0.0.1:1/pet`,
    ]);
    expect(asPrefix.code).toBe(EXIT.usage);
    expect(asPrefix.stderr).toMatch(
      /^pet: invalid --prefix '--url=mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/pet': /,
    );
    const hash = await runPet(['migrate', 'status', '--url', `mysql://root:${SECRET}#1@127.0.0.1:1/pet`]);
    expect(hash.code).toBe(EXIT.usage);
    expect(hash.stderr).toMatch(/^pet: invalid --url 'mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/pet': /);
    // A password holding `@`: the adapter's redaction masks all of it (it once stopped at the first `@`).
    const at = await runPet(['migrate', 'status'], { PET_URL: `mysql://root:x@${SECRET}@127.0.0.1:1/pet` });
    expect(at.code).toBe(EXIT.connection);
    expect(at.stderr).toMatch(/^pet: cannot connect to mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/pet /);
    for (const r of [asPrefix, hash, at]) expect(r.stderr).not.toContain(SECRET);
  });

  it('given a PostgreSQL URL of the right shape that no URL parser takes, when printing grants, then exit 2, not 1', async () => {
    const r = await runPet(['db', 'grants', '--url', `postgresql://u:${SECRET}@[::1/db`]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(
      /^pet: invalid --url 'postgresql:\/\/u:\*\*\*@\[::1\/db': it must look like postgres:/,
    );
  });

  it('given KPIs computed in EUR, when rebuilding with --currency USD, then exit 2 naming --currency, and nothing written', async () => {
    const before = await snapshot();
    const r = await runPet(['kpi', 'rebuild', '--url', scratchUrl, '--currency', 'USD']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(
      /^pet: KPI definition \S+ is stored with other content: were the KPIs of this database computed with another --currency than USD\? pass that one\n$/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('given --at on a day its month does not have (2026-02-30), then exit 2, not an evaluation as of March 2', async () => {
    const r = await runPet(['sla', 'evaluate', '--url', scratchUrl, '--at', '2026-02-30T00:00:00Z']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/^pet: option '--at <instant>' argument '2026-02-30T00:00:00Z' is invalid\./);
    expect(
      (await runPet(['sla', 'evaluate', '--url', scratchUrl, '--at', '2028-02-29T00:00:00Z'])).code,
    ).toBe(EXIT.ok);
  });

  it('given a value of 100,000 blanks, then the usage error takes linear time (it took seconds)', async () => {
    const r = await runPet(['events', 'tail', '--url', scratchUrl, '--lines', ' '.repeat(100_000)]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.ms).toBeLessThan(2_000);
  });

  it('the refusal check is not blind: a company added moves the snapshot', async () => {
    const before = await snapshot();
    const r = await runPet([
      'crm',
      'company',
      'add',
      '--url',
      scratchUrl,
      '--name',
      'Seen',
      '--external-id',
      'SEEN-1',
    ]);
    expect(r.code).toBe(EXIT.ok);
    expect(await snapshot()).not.toEqual(before);
  });
});

describe('pet in process, every command with hostile command lines and environments', () => {
  it('finds the leaf commands in the program', () => {
    const names = LEAVES.map((l) => l.path.join(' '));
    expect(names).toEqual(
      expect.arrayContaining([
        'migrate status',
        'migrate up',
        'events tail',
        'crm company add',
        'crm link',
        'import people',
        'kpi explain',
        'sla evaluate',
        'time import',
        'db grants',
      ]),
    );
    // The options left out are the `--follow` modes, and only they.
    const following = LEAVES.filter((l) =>
      l.command.options.some((o) => o.long !== undefined && NEVER.has(o.long)),
    );
    expect(following.map((l) => l.path.join(' ')).sort()).toEqual(['events tail', 'sla evaluate']);
    expect(NEVER_SHORT).toContain('f');
    expect([...WRITES].sort()).toEqual(['--dead-letters', '--html']);
  });

  for (const leaf of LEAVES) {
    it(`pet ${leaf.path.join(' ')}: ${RUNS} runs end with a documented code other than 1, one line on stderr at most, no password, and nothing written when refused`, async () => {
      await fc.assert(fc.asyncProperty(caseOf(leaf), check), { numRuns: RUNS });
    });
  }

  it('leaves no handle open: every connection and file of the runs was closed', () => {
    // What is open now, less what was open before the first run (the same kind, one for one).
    const left = [...process.getActiveResourcesInfo()];
    for (const name of handlesAtStart) {
      const i = left.indexOf(name);
      if (i >= 0) left.splice(i, 1);
    }
    expect(left).toEqual([]);
  });
});
