import { type Instant, instantFromEpochMs } from '@pet-ops/core';
import { createEventStore, evaluateDue, type SlaDueReport } from '@pet-ops/sql';
import { type Command, InvalidArgumentError } from 'commander';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';
import { createProgress } from '../progress.js';
import { withDatabaseOf } from '../target.js';
import type { CommandContext, Session } from './context.js';

interface EvaluateOptions {
  readonly follow?: boolean;
  readonly interval: number;
  readonly batchSize?: number;
  readonly at?: Instant;
}

function parseCount(flag: string, min: number, max: number) {
  return (v: string): number => {
    if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) {
      throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}, got '${v}'`);
    }
    return Number(v);
  };
}

/** The days of a month (1–12) in the proleptic Gregorian calendar. */
function daysIn(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

function parseAt(v: string): Instant {
  const m = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.exec(v);
  // Date.parse rolls a day its month does not have into the next month (2026-02-30 is March 2, found
  // beside the argv fuzz): the day must exist.
  const ms = m !== null && Number(m[3]) <= daysIn(Number(m[1]), Number(m[2])) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new InvalidArgumentError(
      `--at must be an ISO-8601 date-time with an offset or Z (e.g. 2026-03-02T09:00:00Z), got '${v}'`,
    );
  }
  return instantFromEpochMs(ms);
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

function summary(r: SlaDueReport): string {
  const fired = Object.entries(r.fired)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `${n} ${type}`)
    .join(', ');
  const failed = r.failedCount > 0 ? `, ${r.failedCount} failed (still due)` : '';
  const stopped = r.complete ? '' : ' (stopped before the end; the rest stays due)';
  return `evaluated ${r.evaluated} of ${r.due} due SLA clock(s) at ${r.now}: ${fired === '' ? 'nothing fired' : fired}${failed}${stopped}`;
}

function print(out: Output, r: SlaDueReport): void {
  out.data(r);
  out.line(summary(r));
  for (const f of r.failed) out.line(`  ${f.assignmentId}: ${f.code} ${f.message}`);
  if (r.failedCount > r.failed.length) out.line(`  … and ${r.failedCount - r.failed.length} more`);
}

async function runEvaluate(ctx: CommandContext, options: EvaluateOptions): Promise<ExitCode> {
  const { out, target, io } = ctx;
  await withDatabaseOf(target, async ({ db, dialect }) => {
    const events = createEventStore({ db, dialect, prefix: target.prefix });
    for (;;) {
      const bar = createProgress(out);
      let started = false;
      const now = options.at ?? instantFromEpochMs(Date.now());
      let report: SlaDueReport;
      try {
        report = await evaluateDue({
          db,
          dialect,
          prefix: target.prefix,
          events,
          now,
          signal: io.signal,
          ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
          onProgress: (p) => {
            if (!started && p.due > 0) bar.start(p.due, 'clocks');
            started = true;
            bar.update(Math.min(p.evaluated + p.failed, p.due), `clocks, ${p.fired} event(s) fired`);
          },
        });
      } finally {
        bar.stop();
      }
      // Following, a quiet pass prints nothing: only passes that did something are worth a line.
      if (options.follow !== true || report.evaluated > 0 || report.failedCount > 0) print(out, report);
      if (options.follow !== true || io.signal.aborted) break;
      await sleep(options.interval, io.signal);
      if (io.signal.aborted) break;
    }
  });
  return EXIT.ok;
}

/** `pet sla evaluate [--follow] [--interval ms]`. */
export function slaCommand(program: Command, session: Session): void {
  const sla = program.command('sla').description('SLA clocks: warnings, breaches and escalations');
  sla
    .command('evaluate')
    .description(
      'evaluate every SLA clock that is due now: fire each warning, breach and escalation stage exactly once ' +
        '(safe from cron on several hosts at once: a clock another host evaluated first fires nothing here). ' +
        '--follow repeats every --interval until interrupted (Ctrl-C stops). A clock that cannot be evaluated is ' +
        'listed and stays due for the next run',
    )
    .option('-f, --follow', 'keep evaluating every --interval milliseconds until interrupted')
    .option(
      '--interval <ms>',
      'pause between passes with --follow, in milliseconds',
      parseCount('--interval', 1, 86_400_000),
      60_000,
    )
    .option('--batch-size <clocks>', 'clocks per batch (default 500)', parseCount('--batch-size', 1, 10_000))
    .option('--at <instant>', 'evaluate as of this instant instead of now (replays, tests)', parseAt)
    .action(async (o: EvaluateOptions, cmd: Command) => {
      session.finish(await runEvaluate(session.context(cmd), o));
    });
}
