import pg from 'pg';

// PostgreSQL type oids whose text form the library reads itself (node-postgres would turn them into
// lossy JavaScript values: a timestamptz into a millisecond Date, a JSON document into objects before the
// codec could tell a JSON string from its text).
const JSON_OID = 114;
const JSONB_OID = 3802;
const TIMESTAMPTZ_OID = 1184;
const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
const RAW_OIDS = new Set([JSON_OID, JSONB_OID, TIMESTAMPTZ_OID, TIMESTAMP_OID, INT8_OID]);
const raw = (value: string): string => value;

/**
 * node-postgres type parsers for PET's pools: `json`/`jsonb`, `timestamptz` and `int8` come back as the
 * server's text (no lost microseconds, no bigint rounded to a double); every other type as node-postgres
 * parses it. A host that builds its own `pg.Pool` for {@link postgresDialect} passes these as `types`.
 *
 * @example
 * ```ts
 * const pool = new pg.Pool({ connectionString: url, types: postgresTypes });
 * ```
 */
export const postgresTypes: { getTypeParser: typeof pg.types.getTypeParser } = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    RAW_OIDS.has(oid) && format !== 'binary'
      ? raw
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};
