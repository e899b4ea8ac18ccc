import type { StoredEvent } from '@pet-ops/core';
import { createEventStore } from '@pet-ops/sql';
import { type Command, InvalidArgumentError } from 'commander';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Output } from '../io.js';
import { type OpenedTarget, withDatabaseOf } from '../target.js';
import type { CommandContext, Session } from './context.js';

const MAX_POSITION = 18_446_744_073_709_551_615n;

function parsePosition(v: string): bigint {
  if (!/^[1-9]\d{0,19}$/.test(v) || BigInt(v) > MAX_POSITION) {
    throw new InvalidArgumentError(`--from must be an event position (a whole number ≥ 1), got '${v}'`);
  }
  return BigInt(v);
}

function parseCount(flag: string, max: number) {
  return (v: string): number => {
    if (!/^\d{1,9}$/.test(v) || Number(v) < 1 || Number(v) > max) {
      throw new InvalidArgumentError(`${flag} must be a whole number from 1 to ${max}, got '${v}'`);
    }
    return Number(v);
  };
}

interface TailOptions {
  readonly from?: bigint;
  readonly lines: number;
  readonly follow?: boolean;
  readonly interval: number;
}

/** The position after which the last `lines` events start (0 when the log is shorter). */
async function startOfLast({ db, dialect, target }: OpenedTarget, lines: number): Promise<bigint> {
  try {
    const row = await db
      .selectFrom(`${target.prefix}domain_events`)
      .select('position')
      .orderBy('position', 'desc')
      .limit(1)
      .offset(lines - 1)
      .executeTakeFirst();
    return row === undefined ? 0n : BigInt(String(row.position)) - 1n;
  } catch (e) {
    throw dialect.classifyError(e, 'read the event log');
  }
}

function render(e: StoredEvent): string {
  return `#${e.position}  ${e.occurredAt}  ${e.type} v${e.schemaVersion}  ${e.streamType}/${e.streamId}@${e.streamVersion}  ${JSON.stringify(e.payload)}`;
}

function print(out: Output, e: StoredEvent): void {
  if (out.json) out.data(e);
  else out.line(render(e));
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

async function runTail(ctx: CommandContext, options: TailOptions): Promise<ExitCode> {
  const { out, target, io } = ctx;
  await withDatabaseOf(target, async (opened) => {
    const store = createEventStore({ db: opened.db, dialect: opened.dialect, prefix: target.prefix });
    let after = options.from === undefined ? await startOfLast(opened, options.lines) : options.from - 1n;
    let seen = 0;
    for (;;) {
      for await (const e of store.readAll({ after })) {
        print(out, e);
        after = e.position;
        seen++;
        if (io.signal.aborted) break;
      }
      if (options.follow !== true || io.signal.aborted) break;
      await sleep(options.interval, io.signal);
      if (io.signal.aborted) break;
    }
    if (seen === 0 && options.follow !== true) out.line(`no events after position ${after}`);
  });
  return EXIT.ok;
}

/** `pet events tail [--from <position>] [--follow]`. */
export function eventsCommand(program: Command, session: Session): void {
  const events = program.command('events').description('read the append-only event log (domain_events)');
  events
    .command('tail')
    .description(
      'print the last events in position order; --from starts at a position, --follow waits for new ones (Ctrl-C stops)',
    )
    .option(
      '--from <position>',
      'start at this position (inclusive) instead of the last --lines events',
      parsePosition,
    )
    .option(
      '-n, --lines <count>',
      'how many of the most recent events to start with',
      parseCount('--lines', 100_000),
      20,
    )
    .option('-f, --follow', 'keep polling for new events until interrupted')
    .option(
      '--interval <ms>',
      'poll interval with --follow, in milliseconds',
      parseCount('--interval', 3_600_000),
      1000,
    )
    .action(async (o: TailOptions, cmd: Command) => {
      session.finish(await runTail(session.context(cmd), o));
    });
}
