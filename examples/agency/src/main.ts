// The agency example: one quarter of a consulting company, simulated through PET-ops' public API,
// then its KPIs rebuilt from the event log, shown as dashboards, and a win rate, an SLA compliance and a
// utilisation result explained down to their events.
//   --url (else PET_URL, else sqlite:agency.db: an embedded SQLite file, no server) names the example's
//   own database, which it re-creates: sqlite:<file> or mysql://user@host:3306/<database>. Options:
//   --size <n> (volume multiplier, default 1), --seed <n>, --prefix <prefix>, --json (the dashboard as
//   JSON on stdout, no progress), --html <file> (the HTML report of every dashboard, default
//   agency-report.html; '' for none).
import { parseArgs } from 'node:util';
import { isPetError } from '@pet-ops/core';
import { runAgency } from './run.js';
import { DEFAULT_SEED } from './scenario.js';

const USAGE =
  'usage: pnpm demo [--url sqlite:<file> | mysql://user@host:3306/<database>] [--size <n>] [--seed <n>] [--prefix <prefix>] [--json] [--html <file>]';

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 1000) {
    throw new Error(`--${name} must be a number in (0, 1000] (got '${raw}')\n${USAGE}`);
  }
  return n;
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer (got '${raw}')\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  // `pnpm demo -- --size 10` forwards the `--` separator too; it is not an option of ours.
  const args = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
  const { values } = parseArgs({
    args,
    options: {
      size: { type: 'string' },
      seed: { type: 'string' },
      url: { type: 'string' },
      prefix: { type: 'string', default: 'agency_' },
      json: { type: 'boolean', default: false },
      html: { type: 'string', default: 'agency-report.html' },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  await runAgency({
    url: values.url ?? process.env['PET_URL'] ?? 'sqlite:agency.db',
    prefix: values.prefix,
    size: positiveNumber('size', values.size, 1),
    seed: positiveInt('seed', values.seed, DEFAULT_SEED),
    json: values.json,
    // `--html ''` writes no report.
    html: values.html === '' ? null : values.html,
    out: process.stdout,
    err: process.stderr,
  });
}

main().catch((e: unknown) => {
  // One clear line, no stack trace: the message names the problem and the fix.
  console.error(
    `agency example failed: ${isPetError(e) ? `[${e.code}] ${e.message}` : (e as Error).message}`,
  );
  if (process.env['PET_DEBUG'] !== undefined) console.error(e);
  process.exitCode = 1;
});
