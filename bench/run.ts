// `pnpm bench [--quick] [--only name,name]`: runs every benchmark case against a raw baseline doing the
// same work in the same run (mysql2 for the MySQL cases, `node:sqlite` for the `sqlite-*` ones, which
// need no server), alternating library and baseline, and prints one JSON line per case:
// {"name","value","unit","baseline","ratio","rssPeakMb", …}. Ratios, not absolute times: these machines
// are noisy. `ratio` is always "library speed ÷ raw speed" (≥ 1 means at least as fast).
// `--node-flags "<flags>"` passes V8/Node flags to every case process (e.g. `--max-semi-space-size=8`).
// `--rounds N` runs N rounds instead of 3 (1 with --quick): at a target's line, where one quiet run differs
// from the next by ±0.05, `ratioRounds` (each round's library ÷ that round's baseline) shows the spread.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { dropDatabase, serverCpuSeconds, serverPid, serverUrl } from './harness.js';
import { dropPostgresDatabase, postgresServerUrl, withPostgresDatabase } from './postgres-server.js';

interface CaseSpec {
  readonly name: string;
  readonly file: string;
  readonly sizes: { readonly quick: readonly number[]; readonly full: readonly number[] };
  /** `rate`: higher is better; `seconds`: lower is better. */
  readonly kind: 'rate' | 'seconds';
  readonly setup?: boolean;
  /** Also measure a `raw-min` baseline (reported as `baselineMinimal` / `ratioMinimal`). */
  readonly minimal?: boolean;
  /** Also measure a `raw-copy` baseline, PostgreSQL's COPY (reported as `baselineCopy` / `ratioCopy`). */
  readonly copy?: boolean;
  /**
   * Also measure a `raw-write` baseline: `raw-min`'s work and the writing of its results, the same work as
   * the library's (reported as `baselineHandWrite` / `ratioHandWrite`).
   */
  readonly handWrite?: boolean;
  /**
   * `sqlite`: an embedded database file in a temporary directory, no MySQL server involved; `postgres`: a
   * database of its own on POSTGRES_URL's server (the server's CPU is not read: one process per connection).
   */
  readonly engine?: 'mysql' | 'sqlite' | 'postgres';
  /** Arguments of its own, passed to each of its processes (one case file serving two cases). */
  readonly args?: readonly string[];
}

/** A read-all case (200k and 1M events written once); `each` makes `forEachEvent` the library side. */
function readAllSpec(name: string, file: string, each: boolean): CaseSpec {
  const spec: CaseSpec = {
    name,
    file,
    sizes: { quick: [50_000], full: [200_000, 1_000_000] },
    kind: 'rate',
    setup: true,
  };
  return each ? { ...spec, args: ['--each'] } : spec;
}

const CASES: readonly CaseSpec[] = [
  {
    name: 'append-batched',
    file: 'append-batched.ts',
    sizes: { quick: [50_000], full: [200_000] },
    kind: 'rate',
  },
  // read-all: the iterator; -each: forEachEvent, each event handed over as its row arrives;
  // -interleaved: both sides alternated in one process (a ratio that moves less between runs).
  readAllSpec('read-all', 'read-all.ts', false),
  readAllSpec('read-all-each', 'read-all.ts', true),
  readAllSpec('read-all-interleaved', 'read-all-interleaved.ts', false),
  readAllSpec('read-all-each-interleaved', 'read-all-interleaved.ts', true),
  {
    name: 'commands-8-clients',
    file: 'commands-8-clients.ts',
    sizes: { quick: [2_000], full: [8_000] },
    kind: 'rate',
    minimal: true,
  },
  { name: 'migrate-fresh', file: 'migrate-fresh.ts', sizes: { quick: [1], full: [1] }, kind: 'seconds' },
  {
    name: 'crm-import',
    file: 'crm-import.ts',
    sizes: { quick: [20_000], full: [100_000] },
    kind: 'rate',
    minimal: true,
  },
  { name: 'accept-quote', file: 'accept-quote.ts', sizes: { quick: [400], full: [1600] }, kind: 'rate' },
  {
    name: 'qualify-leads-8-clients',
    file: 'qualify-leads-8-clients.ts',
    sizes: { quick: [800], full: [2_000] },
    kind: 'rate',
  },
  {
    name: 'accept-quote-with-project',
    file: 'accept-quote-with-project.ts',
    sizes: { quick: [40], full: [400] },
    kind: 'rate',
  },
  {
    name: 'sla-evaluate',
    file: 'sla-evaluate.ts',
    // The 100k clocks: one commit per clock, so its time is the server's fsync rate.
    sizes: { quick: [1_000], full: [100_000] },
    kind: 'rate',
  },
  {
    name: 'business-minutes',
    file: 'business-minutes.ts',
    sizes: { quick: [100_000], full: [1_000_000] },
    kind: 'rate',
    // No database at all: run like the embedded cases (a temporary directory, no server CPU reading).
    engine: 'sqlite',
  },
  {
    name: 'submit-time-8-clients',
    file: 'submit-time-8-clients.ts',
    sizes: { quick: [800], full: [8_000] },
    kind: 'rate',
  },
  {
    name: 'time-import',
    file: 'time-import.ts',
    // Two sizes: peak RSS must stay flat from 10k to 100k rows.
    sizes: { quick: [2_000, 10_000], full: [10_000, 100_000] },
    kind: 'rate',
  },
  {
    name: 'kpi-rebuild',
    file: 'kpi-rebuild.ts',
    sizes: { quick: [50_000], full: [200_000, 1_000_000] },
    kind: 'rate',
    setup: true,
    minimal: true,
    handWrite: true,
  },
  {
    name: 'kpi-fold-memory',
    file: 'kpi-fold-memory.ts',
    sizes: { quick: [200_000], full: [1_000_000] },
    kind: 'rate',
    minimal: true,
  },
  {
    // Both sides in one process, event by event (see the case): a ratio that moves less between runs.
    name: 'kpi-fold-interleaved',
    file: 'kpi-fold-interleaved.ts',
    sizes: { quick: [200_000], full: [1_000_000] },
    kind: 'rate',
  },
  {
    name: 'kpi-catch-up',
    file: 'kpi-catch-up.ts',
    // Two sizes: the cold job's peak RSS must stay flat from 200k to 1M.
    sizes: { quick: [50_000], full: [200_000, 1_000_000] },
    kind: 'seconds',
    setup: true,
  },
  {
    name: 'sqlite-append-batched',
    file: 'sqlite-append-batched.ts',
    sizes: { quick: [50_000], full: [200_000] },
    kind: 'rate',
    engine: 'sqlite',
  },
  {
    name: 'sqlite-read-all',
    file: 'sqlite-read-all.ts',
    sizes: { quick: [50_000], full: [200_000, 1_000_000] },
    kind: 'rate',
    setup: true,
    engine: 'sqlite',
  },
  {
    name: 'sqlite-migrate-fresh',
    file: 'sqlite-migrate-fresh.ts',
    // Runs per measurement (each on a new file); the value is their mean.
    sizes: { quick: [5], full: [10] },
    kind: 'seconds',
    engine: 'sqlite',
  },
  {
    name: 'postgres-append-batched',
    file: 'postgres-append-batched.ts',
    sizes: { quick: [50_000], full: [200_000] },
    kind: 'rate',
    // raw-min: one INSERT … SELECT FROM unnest(arrays) per 1000 (the bulk path short of COPY);
    // raw-copy: one COPY … FROM STDIN per 1000, reported beside the ratio.
    minimal: true,
    copy: true,
    engine: 'postgres',
  },
  {
    name: 'postgres-read-all',
    file: 'postgres-read-all.ts',
    sizes: { quick: [50_000], full: [200_000, 1_000_000] },
    kind: 'rate',
    setup: true,
    // raw: one pg-cursor, as the library reads; raw-min: keyset pages of 1000, as it read before.
    minimal: true,
    engine: 'postgres',
  },
  {
    name: 'postgres-commands-8-clients',
    file: 'postgres-commands-8-clients.ts',
    sizes: { quick: [4_000], full: [20_000] },
    kind: 'rate',
    // raw-min: the same statements without the transaction-id claim of gap safety.
    minimal: true,
    engine: 'postgres',
  },
  {
    name: 'postgres-kpi-rebuild',
    file: 'postgres-kpi-rebuild.ts',
    sizes: { quick: [50_000], full: [200_000, 1_000_000] },
    kind: 'rate',
    setup: true,
    // raw-min: the KPI columns read by hand and folded by the hand-written fold, writing nothing.
    minimal: true,
    engine: 'postgres',
  },
  {
    name: 'postgres-migrate-fresh',
    file: 'postgres-migrate-fresh.ts',
    sizes: { quick: [3], full: [5] },
    kind: 'seconds',
    engine: 'postgres',
  },
];

/** One process of a case: the library, the raw baseline, or a further baseline (`minimal`, `copy`, `handWrite`). */
type Mode = 'lib' | 'raw' | 'raw-min' | 'raw-copy' | 'raw-write';

interface Measured {
  readonly value: number;
  readonly unit: string;
  readonly rssPeakMb: number;
  readonly cpuSeconds?: number;
  /** CPU seconds the database server used while the case ran (`null`: not readable). */
  serverCpuSeconds?: number | null;
  readonly extra?: Record<string, unknown>;
}

const here = dirname(fileURLToPath(import.meta.url));
const built = join(here, '..', '.bench-out', 'cases');

/**
 * Compiles the case scripts to plain JavaScript once, packages left as imports: a case then runs as a
 * host's job would — on the packages' built `dist` (`pnpm bench` builds first), with no TypeScript
 * loader in its process (tsx alone added 10–16 MB to every peak RSS).
 */
async function buildCases(names: readonly string[]): Promise<void> {
  await build({
    config: false,
    entry: names.map((file) => join(here, 'cases', file)),
    format: ['esm'],
    outDir: built,
    target: 'node22',
    platform: 'node',
    splitting: true,
    clean: true,
    silent: true,
    // Bare specifiers (packages, node: builtins) stay imports; only the bench's own files are bundled.
    external: [/^[^./]/],
    // `node:sqlite` exists only under its `node:` name.
    removeNodeProtocol: false,
    outExtension: () => ({ js: '.mjs' }),
  });
}

let nodeFlags: readonly string[] = [];
/** The database server's pid when its CPU time is readable (a local Linux server), else `null`. */
let pid: string | null = null;

async function runCaseWith(file: string, args: readonly string[], server: boolean): Promise<Measured> {
  const serverPid = server ? pid : null;
  const before = serverPid === null ? null : serverCpuSeconds(serverPid);
  const measured = await runCaseProcess(file, args);
  const after = serverPid === null ? null : serverCpuSeconds(serverPid);
  measured.serverCpuSeconds =
    before === null || after === null ? null : Math.round((after - before) * 100) / 100;
  return measured;
}

function runCaseProcess(file: string, args: readonly string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeFlags, join(built, file.replace(/\.ts$/, '.mjs')), ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${file} ${args.join(' ')} exited with ${code}`));
      try {
        resolve(JSON.parse(last) as Measured);
      } catch {
        reject(new Error(`${file} printed no result: ${out.slice(-500)}`));
      }
    });
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const onlyIdx = argv.indexOf('--only');
  const only = onlyIdx >= 0 ? new Set((argv[onlyIdx + 1] ?? '').split(',')) : undefined;
  const flagsIdx = argv.indexOf('--node-flags');
  nodeFlags = flagsIdx >= 0 ? (argv[flagsIdx + 1] ?? '').split(' ').filter((f) => f.length > 0) : [];
  const roundsIdx = argv.indexOf('--rounds');
  const rounds = roundsIdx >= 0 ? Number(argv[roundsIdx + 1]) : quick ? 1 : 3;
  if (!Number.isSafeInteger(rounds) || rounds < 1) throw new Error('--rounds: a whole number ≥ 1');
  const url = serverUrl();
  let failed = false;
  const selected = CASES.filter((c) => only === undefined || only.has(c.name));
  // The SQLite and PostgreSQL cases need no MySQL server: only look for one when a MySQL case is selected.
  pid = selected.some((c) => c.engine === undefined || c.engine === 'mysql') ? await serverPid(url) : null;
  await buildCases([...new Set(selected.map((c) => c.file))]);
  for (const c of selected) {
    const sqlite = c.engine === 'sqlite';
    const postgres = c.engine === 'postgres';
    for (const size of quick ? c.sizes.quick : c.sizes.full) {
      const database = `pet_bench_${c.name.replace(/-/g, '_')}`;
      // SQLite: a database file in its own temporary directory, removed after the case.
      const dir = sqlite ? mkdtempSync(join(tmpdir(), 'pet-bench-sqlite-')) : undefined;
      const common =
        dir !== undefined
          ? ['--size', String(size), '--database', join(dir, 'bench.db')]
          : postgres
            ? ['--size', String(size), '--url', postgresServerUrl(), '--database', database]
            : ['--size', String(size), '--url', url, '--database', database];
      common.push(...(c.args ?? []));
      const runCase = (file: string, args: readonly string[]) =>
        runCaseWith(file, args, !sqlite && !postgres);
      try {
        if (c.setup === true) await runCase(c.file, ['--phase', 'setup', '--mode', 'raw', ...common]);
        const runs: Record<Mode, Measured[]> = {
          lib: [],
          raw: [],
          'raw-min': [],
          'raw-copy': [],
          'raw-write': [],
        };
        const { lib, raw } = runs;
        const modes: Mode[] = [
          'raw',
          'lib',
          ...(c.minimal === true ? (['raw-min'] as const) : []),
          ...(c.copy === true ? (['raw-copy'] as const) : []),
          ...(c.handWrite === true ? (['raw-write'] as const) : []),
        ];
        for (let r = 0; r < rounds; r++) {
          // Alternate the order so drift on a noisy machine hits every side alike.
          const order = r % 2 === 0 ? modes : [...modes].reverse();
          for (const mode of order)
            runs[mode].push(await runCase(c.file, ['--phase', 'run', '--mode', mode, ...common]));
        }
        // Median of a CPU reading over the rounds, or null when any round could not read it.
        const medianOf = (ms: readonly Measured[], pick: (m: Measured) => number | null | undefined) => {
          const xs = ms.map(pick);
          return xs.every((x) => typeof x === 'number') ? median(xs as number[]) : null;
        };
        const cpu = (ms: readonly Measured[]) => medianOf(ms, (m) => m.cpuSeconds);
        const serverCpu = (ms: readonly Measured[]) => medianOf(ms, (m) => m.serverCpuSeconds);
        // Cases that read their measured section's own CPU time (`extra.timedCpuSeconds`): in-process
        // databases, where it is the same work's cost on either side and a loaded machine distorts it less.
        const timedCpu = (ms: readonly Measured[]) =>
          medianOf(ms, (m) => m.extra?.['timedCpuSeconds'] as number);
        const libCpu = timedCpu(lib);
        const rawCpu = timedCpu(raw);
        const value = median(lib.map((m) => m.value));
        const baseline = median(raw.map((m) => m.value));
        const ratio = c.kind === 'rate' ? value / baseline : baseline / value;
        // Per round: its library run against its own baseline run, next to it in time.
        const ratioRounds = lib.map((m, r) => {
          const b = (raw[r] as Measured).value;
          return round3(c.kind === 'rate' ? m.value / b : b / m.value);
        });
        // A further baseline beside the ratio's: `baseline<Name>`, `ratio<Name>` (library ÷ it), its peak
        // RSS and CPU medians; nothing when it was not measured.
        const besides = (name: 'Minimal' | 'Copy' | 'HandWrite', ms: readonly Measured[]) => {
          if (ms.length === 0) return {};
          const other = median(ms.map((m) => m.value));
          return {
            [`baseline${name}`]: round3(other),
            [`ratio${name}`]: round3(value / other),
            // The further baseline's own ratio to the raw one: what hand-written code doing that work
            // reaches against the case's floor (e.g. whether a target against the raw read is reachable).
            [`baseline${name}VsRaw`]: round3(c.kind === 'rate' ? other / baseline : baseline / other),
            [`baseline${name}RssPeakMb`]: Math.max(...ms.map((m) => m.rssPeakMb)),
            [`cpuSeconds${name}`]: { client: cpu(ms), server: serverCpu(ms) },
            ...(ms[0]?.extra === undefined ? {} : { [`extra${name}`]: ms[0].extra }),
          };
        };
        const line = {
          name: c.name,
          size,
          value: round3(value),
          unit: lib[0]?.unit ?? '',
          baseline: round3(baseline),
          ratio: round3(ratio),
          rssPeakMb: Math.max(...lib.map((m) => m.rssPeakMb)),
          baselineRssPeakMb: Math.max(...raw.map((m) => m.rssPeakMb)),
          rounds,
          ...(rounds > 1 ? { ratioRounds } : {}),
          // Medians, seconds: the case process (client) and the database server, per side.
          cpuSeconds: { lib: cpu(lib), raw: cpu(raw), server: { lib: serverCpu(lib), raw: serverCpu(raw) } },
          ...besides('Minimal', runs['raw-min']),
          ...besides('Copy', runs['raw-copy']),
          ...besides('HandWrite', runs['raw-write']),
          ...(libCpu === null || rawCpu === null
            ? {}
            : {
                timedCpuSeconds: { lib: round3(libCpu), raw: round3(rawCpu) },
                // Raw CPU ÷ library CPU for the same work: ≥ 1 means the library costs no more.
                cpuRatio: round3(rawCpu / libCpu),
              }),
          ...(nodeFlags.length === 0 ? {} : { nodeFlags: nodeFlags.join(' ') }),
          ...(lib[0]?.extra === undefined ? {} : { extra: lib[0].extra }),
          // The first round's `extra` above; each round's numbers here (a peak RSS at a target's line moves
          // from one round to the next).
          ...(rounds > 1 && lib[0]?.extra !== undefined
            ? {
                extraRounds: Object.fromEntries(
                  Object.keys(lib[0].extra)
                    .filter((k) => typeof lib[0]?.extra?.[k] === 'number')
                    .map((k) => [k, lib.map((m) => m.extra?.[k] ?? null)]),
                ),
              }
            : {}),
        };
        process.stdout.write(`${JSON.stringify(line)}\n`);
      } catch (e) {
        failed = true;
        process.stderr.write(`bench ${c.name} (${size}) failed: ${(e as Error).message}\n`);
      } finally {
        if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
        else if (postgres)
          await dropPostgresDatabase(withPostgresDatabase(postgresServerUrl(), database)).catch(
            () => undefined,
          );
        else await dropDatabase(url, database).catch(() => undefined);
      }
    }
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
