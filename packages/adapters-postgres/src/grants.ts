import { ValidationError } from '@pet-ops/core';
import { SCHEMA_NAME_RE } from './dialect.js';

/** Options of {@link postgresGrantStatements}. */
export interface PostgresGrantOptions {
  /** The tenant's schema. */
  readonly schema: string;
  /** The role that owns the schema and runs migrations (default `pet_migrate`). */
  readonly migrateRole?: string;
  /** The role the host application runs as (default `pet_app`). */
  readonly appRole?: string;
}

/** The statements of {@link postgresGrantStatements}, by role, each complete SQL without a trailing `;`. */
export interface PostgresGrantPlan {
  readonly migrate: readonly string[];
  readonly app: readonly string[];
}

const ROLE_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function createRole(role: string): string {
  return `DO $pet$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE "${role}" LOGIN; END IF; END$pet$`;
}

/**
 * The least-privilege roles for one tenant schema on PostgreSQL: a **migration role** that owns the schema
 * (it creates tables, indexes, triggers and the guard function; nothing outside the schema), and an
 * **application role** that may only read and write rows of the schema's tables, present and future. The
 * application role cannot `TRUNCATE`, `DROP` or `ALTER` anything (SQLSTATE 42501), on top of the guards'
 * triggers; named locks, snapshots and `assertSchemaCurrent` need nothing more. Roles are created without a
 * password: set one with `ALTER ROLE … PASSWORD …`. Run as a superuser or a role with `CREATEROLE`, in the
 * tenant's database.
 *
 * @example
 * ```ts
 * const { migrate, app } = postgresGrantStatements({ schema: 'marketing' });
 * for (const statement of [...migrate, ...app]) await admin.query(statement);
 * ```
 */
export function postgresGrantStatements(options: PostgresGrantOptions): PostgresGrantPlan {
  const issues: { field: string; rule: string }[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError('grant options', [{ field: 'options', rule: 'must be an object' }]);
  }
  const { schema, migrateRole = 'pet_migrate', appRole = 'pet_app' } = options;
  if (typeof schema !== 'string' || !SCHEMA_NAME_RE.test(schema)) {
    issues.push({ field: 'schema', rule: 'must match ^[A-Za-z_][A-Za-z0-9_]{0,62}$' });
  }
  for (const [field, role] of [
    ['migrateRole', migrateRole],
    ['appRole', appRole],
  ] as const) {
    if (typeof role !== 'string' || !ROLE_RE.test(role)) {
      issues.push({ field, rule: 'must match ^[A-Za-z_][A-Za-z0-9_]{0,62}$' });
    }
  }
  if (issues.length === 0 && migrateRole === appRole) {
    issues.push({ field: 'appRole', rule: 'the application role must differ from the migration role' });
  }
  if (issues.length > 0) throw new ValidationError('grant options', issues);
  const s = `"${schema}"`;
  return {
    migrate: [
      createRole(migrateRole),
      `CREATE SCHEMA IF NOT EXISTS ${s} AUTHORIZATION "${migrateRole}"`,
      `ALTER SCHEMA ${s} OWNER TO "${migrateRole}"`,
    ],
    app: [
      createRole(appRole),
      `GRANT USAGE ON SCHEMA ${s} TO "${appRole}"`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO "${appRole}"`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE "${migrateRole}" IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "${appRole}"`,
    ],
  };
}
