import { grantStatements } from '@pet-ops/adapters-mysql';
import { postgresGrantStatements } from '@pet-ops/adapters-postgres';
import type { Command } from 'commander';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { CliFailure } from '../failure.js';
import type { CommandContext, Session } from './context.js';

interface GrantsOptions {
  readonly appUser: string;
  readonly migrateUser: string;
  readonly host: string;
}

function runGrants(ctx: CommandContext, o: GrantsOptions): ExitCode {
  const { out, target } = ctx;
  if (target.kind === 'postgres') {
    const schema = new URL(target.url).searchParams.get('schema') ?? 'public';
    const plan = postgresGrantStatements({ schema, appRole: o.appUser, migrateRole: o.migrateUser });
    out.data({ database: target.database, schema, ...plan });
    out.line(
      `-- Least privilege for PET in schema "${schema}" of database ${target.database} (run as an administrator).`,
    );
    for (const s of [...plan.migrate, ...plan.app]) out.line(`${s};`);
    return EXIT.ok;
  }
  if (target.kind !== 'mysql') {
    throw new CliFailure(
      'UNSUPPORTED_DATABASE',
      'SQLite has no users or grants: protect the database file with file-system permissions; `pet db grants` is for --url mysql://… or postgres://…',
      EXIT.usage,
    );
  }
  const plan = grantStatements({
    database: target.database,
    appUser: o.appUser,
    migrateUser: o.migrateUser,
    host: o.host,
  });
  out.data({ database: target.database, ...plan });
  out.line(`-- Least privilege for PET in database \`${target.database}\` (run as an administrator).`);
  out.line(
    '-- The migration user: creates and alters tables, indexes and triggers (DROP only because RENAME TABLE needs it).',
  );
  for (const s of plan.migrate) out.line(`${s};`);
  out.line(`ALTER USER '${o.migrateUser}'@'${o.host}' IDENTIFIED BY 'change-me';`);
  out.line('-- The application user: reads and writes rows only (no DROP, ALTER, TRUNCATE, TRIGGER).');
  for (const s of plan.app) out.line(`${s};`);
  out.line(`ALTER USER '${o.appUser}'@'${o.host}' IDENTIFIED BY 'change-me';`);
  return EXIT.ok;
}

/** `pet db grants`: the least-privilege GRANT statements for the target database. */
export function dbCommand(program: Command, session: Session): void {
  const db = program.command('db').description('database administration helpers');
  db.command('grants')
    .description(
      'print the GRANT statements for a migration user and an application user that cannot TRUNCATE, DROP or ALTER (MySQL/MariaDB, PostgreSQL)',
    )
    .option('--app-user <name>', 'the application user', 'pet_app')
    .option('--migrate-user <name>', 'the migration user', 'pet_migrate')
    .option('--host <host>', 'the host part of both accounts', '%')
    .action((o: GrantsOptions, cmd: Command) => {
      session.finish(runGrants(session.context(cmd), o));
    });
}
