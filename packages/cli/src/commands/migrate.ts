import { createDatabase, migrate, plan, status, verify } from '@pet-ops/adapters-mysql';
import { createDatabase as createPostgresDatabase, verifyPostgres } from '@pet-ops/adapters-postgres';
import { migrations } from '@pet-ops/migrations';
import * as Seam from '@pet-ops/sql';
import { type Command, InvalidArgumentError } from 'commander';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { CliFailure } from '../failure.js';
import { table } from '../io.js';
import { createProgress } from '../progress.js';
import { type Target, withDatabaseOf, withPool } from '../target.js';
import type { CommandContext, Session } from './context.js';

const where = (t: Target): string =>
  `${t.kind === 'sqlite' ? 'SQLite file' : t.kind === 'postgres' ? 'PostgreSQL database' : 'database'} ${t.database}${t.prefix === '' ? '' : `, prefix '${t.prefix}'`}`;

// SQLite and PostgreSQL (transactional DDL): each migration runs in one transaction with its journal
// row, so there is nothing partial to resume.
async function sqlitePlan(ctx: CommandContext, stopAfter?: string): Promise<ExitCode> {
  const { out, target } = ctx;
  if (stopAfter !== undefined && !migrations.some((m) => m.id === stopAfter))
    throw new CliFailure('NOT_FOUND', `no migration '${stopAfter}' in this version`, EXIT.notFound);
  // The seam's plan, the same as MySQL's: pending migrations from their first unfinished step.
  const statements = await withDatabaseOf(target, ({ db, dialect }) =>
    Seam.migrationPlan(db, dialect, {
      prefix: target.prefix,
      ...(stopAfter === undefined ? {} : { target: stopAfter }),
    }),
  );
  out.data({ database: target.database, prefix: target.prefix, statements });
  if (statements.length === 0) out.line(`nothing to do: the schema of ${where(target)} is current`);
  for (const s of statements) {
    out.line(`-- ${s.migrationId} (${s.name}) statement ${s.statement}/${s.totalStatements}`);
    out.line(`${s.sql};`);
  }
  return EXIT.ok;
}

async function sqliteUp(ctx: CommandContext, options: UpOptions): Promise<ExitCode> {
  const { out, target } = ctx;
  if (target.kind === 'postgres' && options.createDatabase === true)
    await createPostgresDatabase({ url: target.url });
  const result = await withDatabaseOf(
    target,
    ({ db, dialect }) =>
      Seam.migrate(db, dialect, {
        prefix: target.prefix,
        ...(options.target === undefined ? {} : { target: options.target }),
        ...(options.lockTimeout === undefined ? {} : { lockTimeoutMs: options.lockTimeout * 1000 }),
      }),
    { createSchema: true },
  );
  out.data(result);
  for (const id of result.applied) out.line(`applied ${id}`);
  out.line(
    result.applied.length === 0
      ? `nothing to do: ${where(target)} is current (${result.alreadyApplied.length} migrations applied)`
      : `done: ${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} were already applied`,
  );
  return EXIT.ok;
}

async function runStatus(ctx: CommandContext): Promise<ExitCode> {
  const { out, target } = ctx;
  // The seam's status on every database (MySQL's `status` runs it on one connection of the pool).
  const s =
    target.kind === 'mysql'
      ? await withPool(target, (pool) => status(pool, { prefix: target.prefix }))
      : await withDatabaseOf(target, ({ db, dialect }) =>
          Seam.schemaStatus(db, dialect, { prefix: target.prefix }),
        );
  const pending = s.migrations.filter((m) => m.state !== 'applied');
  out.data(s);
  out.line(`PET schema of ${where(target)}`);
  out.line(
    table(
      ['migration', 'state', 'statements', 'finished'],
      [...s.migrations, ...s.unknown].map((m) => [
        m.id,
        s.unknown.includes(m) ? `${m.state} (unknown to this version)` : m.state,
        `${m.appliedStatements}/${m.totalStatements}`,
        m.finishedAt ?? '',
      ]),
    ).join('\n'),
  );
  if (s.problem !== null) {
    out.line(`problem: ${s.problem.message}`);
  } else if (pending.length === 0) {
    out.line(`current: all ${s.migrations.length} migrations applied`);
  } else {
    const failed = pending.find((m) => m.state === 'failed');
    out.line(
      failed === undefined
        ? `not current: ${pending.length} migration(s) to apply; run \`pet migrate up\``
        : `not current: ${failed.id} failed at statement ${failed.failedStatement ?? '?'} (${failed.error ?? 'no error recorded'}); fix the cause and run \`pet migrate up\``,
    );
  }
  return s.current ? EXIT.ok : EXIT.schema;
}

async function runPlan(ctx: CommandContext, target?: string): Promise<ExitCode> {
  const { out } = ctx;
  if (ctx.target.kind !== 'mysql') return sqlitePlan(ctx, target);
  const statements = await withPool(ctx.target, (pool) =>
    plan(pool, { prefix: ctx.target.prefix, ...(target === undefined ? {} : { target }) }),
  );
  out.data({ database: ctx.target.database, prefix: ctx.target.prefix, statements });
  if (statements.length === 0) out.line(`nothing to do: the schema of ${where(ctx.target)} is current`);
  for (const s of statements) {
    out.line(`-- ${s.migrationId} (${s.name}) statement ${s.statement}/${s.totalStatements}`);
    out.line(`${s.sql};`);
  }
  return EXIT.ok;
}

interface UpOptions {
  readonly target?: string;
  readonly lockTimeout?: number;
  readonly createDatabase?: boolean;
}

async function runUp(ctx: CommandContext, options: UpOptions): Promise<ExitCode> {
  const { out, target } = ctx;
  if (target.kind !== 'mysql') return sqliteUp(ctx, options);
  if (options.createDatabase === true) await createDatabase({ url: target.url });
  const bar = createProgress(out);
  const migrateTo = options.target === undefined ? {} : { target: options.target };
  const result = await withPool(target, async (pool) => {
    if (out.interactive) {
      const todo = await plan(pool, { prefix: target.prefix, ...migrateTo });
      bar.start(todo.length, '');
    }
    let done = 0;
    try {
      return await migrate(pool, {
        prefix: target.prefix,
        ...migrateTo,
        ...(options.lockTimeout === undefined ? {} : { lockTimeoutSeconds: options.lockTimeout }),
        onProgress: (p) => {
          // On a terminal one bar covers the whole run; in a pipe or a log each migration gets a line.
          if (p.kind === 'statement-recorded') bar.update(++done, p.migrationId);
          if (p.kind === 'migration-completed' && !out.interactive) out.line(`applied ${p.migrationId}`);
        },
      });
    } finally {
      bar.stop();
    }
  });
  out.data(result);
  if (out.interactive) for (const id of result.applied) out.line(`applied ${id}`);
  out.line(
    result.applied.length === 0
      ? `nothing to do: ${where(target)} is current (${result.alreadyApplied.length} migrations applied)`
      : `done: ${result.applied.length} migration(s) applied (${result.executedStatements} statements), ${result.alreadyApplied.length} were already applied`,
  );
  return EXIT.ok;
}

async function runVerify(ctx: CommandContext): Promise<ExitCode> {
  const { out, target } = ctx;
  // One report for every database: the journal against the list, the live schema against the journal.
  const result =
    target.kind === 'mysql'
      ? await withPool(target, (pool) => verify(pool, { prefix: target.prefix }))
      : target.kind === 'postgres'
        ? await withDatabaseOf(target, ({ db, dialect }) =>
            verifyPostgres(db, dialect, { prefix: target.prefix }),
          )
        : await withDatabaseOf(target, ({ db, dialect }) =>
            Seam.verifySchema(db, dialect, { prefix: target.prefix }),
          );
  out.data(result);
  if (result.ok) {
    out.line(
      `ok: the journal of ${where(target)} matches the migrations, and its live schema matches its journal`,
    );
    return EXIT.ok;
  }
  for (const j of result.journal) out.line(`journal: ${j}`);
  for (const d of result.drifts) out.line(`drift: ${d.message}`);
  if (result.journal.length > 0) {
    out.line(
      `${result.journal.length} journal drift(s): applied migrations or their recorded checksums changed; restore the released migrations (a change is a new migration)`,
    );
  }
  if (result.drifts.length > 0) {
    out.line(
      `${result.drifts.length} drift(s): the live schema differs from what the migrations created; undo the manual changes (or ship them as a migration)`,
    );
  }
  return EXIT.drift;
}

const positiveInt = (what: string) => (v: string) => {
  if (!/^\d{1,6}$/.test(v))
    throw new InvalidArgumentError(`${what} must be a whole number of seconds, got '${v}'`);
  return Number(v);
};

/** `pet migrate status | plan | up | verify`. */
export function migrateCommand(program: Command, session: Session): void {
  const m = program
    .command('migrate')
    .description('inspect and apply the PET schema migrations (forward only, resumable, locked)');
  m.command('status')
    .description('list every migration as applied, pending, running or failed (exit 4 when not current)')
    .action(async (_o, cmd: Command) => {
      session.finish(await runStatus(session.context(cmd)));
    });
  m.command('plan')
    .description('print the SQL the next `migrate up` would run, without running it')
    .option('--target <migration-id>', 'stop after this migration')
    .action(async (o: { target?: string }, cmd: Command) => {
      session.finish(await runPlan(session.context(cmd), o.target));
    });
  m.command('up')
    .description(
      'apply every pending migration (resumes a failed or crashed one at its first unfinished statement)',
    )
    .option('--target <migration-id>', 'stop after this migration')
    .option(
      '--lock-timeout <seconds>',
      'wait this long for another runner (default 60)',
      positiveInt('--lock-timeout'),
    )
    .option('--create-database', 'create the database first when it does not exist')
    .action(async (o: UpOptions, cmd: Command) => {
      session.finish(await runUp(session.context(cmd), o));
    });
  m.command('verify')
    .description('compare the live schema with the journal and list every drift (exit 5 on drift)')
    .action(async (_o, cmd: Command) => {
      session.finish(await runVerify(session.context(cmd)));
    });
}
