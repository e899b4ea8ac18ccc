import { ValidationError } from '@pet-ops/core';
import { z } from 'zod';

/** Who gets which grant: names of the two users and the database PET lives in. */
export interface GrantOptions {
  /** The database PET's tables are in (grants cannot be limited to a table prefix). */
  readonly database: string;
  /** The application user: rows only. Default `pet_app`. */
  readonly appUser?: string;
  /** The migration user: creates and alters tables, indexes and triggers. Default `pet_migrate`. */
  readonly migrateUser?: string;
  /** The host part of both accounts. Default `%`. */
  readonly host?: string;
}

/** The statements of {@link grantStatements}, by user, each one complete SQL without a trailing `;`. */
export interface GrantPlan {
  readonly migrate: readonly string[];
  readonly app: readonly string[];
}

const identifier = z
  .string()
  .regex(/^[A-Za-z0-9_$-]{1,64}$/, 'letters, digits, _, $ or -, 1 to 64 characters');
const account = z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'letters, digits, _, . or -, 1 to 32 characters');
const hostPart = z.string().regex(/^[A-Za-z0-9_.%:-]{1,255}$/, 'a host name, an address or %');
const optionsSchema = z.object({
  database: identifier,
  appUser: account.optional(),
  migrateUser: account.optional(),
  host: hostPart.optional(),
});

/**
 * The least-privilege GRANT statements for running PET on MySQL/MariaDB: a **migration user** that may
 * create and alter tables, indexes and triggers — and DROP, only because MySQL asks it of `RENAME TABLE`
 * (migrations `2026_12_06_0901`–`0903` give tables their seed names; no migration drops a table) — and an
 * **application user** that may only read and write rows. Triggers cannot stop `TRUNCATE`, `DROP` or `ALTER`; these grants do: as the
 * application user each of them fails with errno 1142. Every runtime path (commands, imports, KPI
 * catch-up, `assertSchemaCurrent`, named locks) needs nothing more. Users are created without a
 * password here: set one with `ALTER USER … IDENTIFIED BY …` (`pet db grants` prints the same).
 *
 * @example
 * ```ts
 * const { migrate, app } = grantStatements({ database: 'pet' });
 * for (const statement of [...migrate, ...app]) await admin.query(statement);
 * ```
 */
export function grantStatements(options: GrantOptions): GrantPlan {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ValidationError(
      'grant options',
      parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(options)', rule: i.message })),
    );
  }
  const { database, appUser = 'pet_app', migrateUser = 'pet_migrate', host = '%' } = parsed.data;
  if (appUser === migrateUser) {
    throw new ValidationError('grant options', [
      { field: 'appUser', rule: 'the application user must differ from the migration user' },
    ]);
  }
  const user = (name: string): string => `'${name}'@'${host}'`;
  return {
    migrate: [
      `CREATE USER IF NOT EXISTS ${user(migrateUser)}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, TRIGGER ON \`${database}\`.* TO ${user(migrateUser)}`,
    ],
    app: [
      `CREATE USER IF NOT EXISTS ${user(appUser)}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON \`${database}\`.* TO ${user(appUser)}`,
    ],
  };
}
