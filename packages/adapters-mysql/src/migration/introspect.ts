import type { PhysicalSchema, PhysicalTable } from '@pet-ops/sql';
import type { Connection } from 'mysql2/promise';
import { normaliseStatement } from './dialect.js';
import {
  type ColumnShape,
  type IndexShape,
  physicalColumn,
  physicalIndex,
  physicalTrigger,
  type TriggerShape,
} from './shape.js';

/** What the introspection needs from a connection (a pinned or pooled mysql2 connection). */
export type Queryable = Pick<Connection, 'query'>;

/** Runs a read query and returns its rows, typed by the caller (column aliases in the SQL). */
export async function selectRows<Row extends object = Record<string, unknown>>(
  conn: Queryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<Row[]> {
  const [rows] = await conn.query(sql, params as unknown[]);
  return rows as Row[];
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/**
 * Normalises `COLUMN_TYPE` so MySQL 8 and MariaDB compare equal: lower case, no integer display widths
 * (MariaDB's `int(10) unsigned` is MySQL's `int unsigned`) except `tinyint(1)` (booleans), and JSON
 * reported as `json` (MariaDB stores it as `longtext` with a `json_valid` check).
 */
export function normaliseColumnType(columnType: string, isJson: boolean): string {
  const t = columnType
    .toLowerCase()
    .replace(/\s+zerofill\b/, '')
    .trim();
  if (isJson && t === 'longtext') return 'json';
  if (/^tinyint\(1\)/.test(t)) return t;
  return t.replace(/^(tinyint|smallint|mediumint|int|bigint)\(\d+\)/, '$1');
}

/**
 * Normalises `COLUMN_DEFAULT`: MariaDB quotes string literals and reports `NULL` (text) for "no
 * default" on nullable columns; MySQL reports them bare and as SQL NULL. `CURRENT_TIMESTAMP(6)` is
 * lower-cased.
 */
export function normaliseDefault(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null;
  let s = String(raw);
  if (s === 'NULL') return null;
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) s = s.slice(1, -1).replace(/''/g, "'");
  return /^current_timestamp(\(\d*\))?$/i.test(s) ? s.toLowerCase() : s;
}

/** Names of the base tables of the current database. */
export async function tableNames(conn: Queryable): Promise<string[]> {
  const rows = await selectRows<{ name: string }>(
    conn,
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
  );
  return rows.map((r) => str(r.name));
}

/** True when the current database has this base table. */
export async function tableExists(conn: Queryable, table: string): Promise<boolean> {
  const rows = await selectRows(
    conn,
    "SELECT 1 AS found FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME = ?",
    [table],
  );
  return rows.length > 0;
}

/** `table.column` pairs that carry a `json_valid(column)` check (MariaDB's JSON). */
async function jsonColumns(conn: Queryable): Promise<Set<string>> {
  // CHECK_CONSTRAINTS has TABLE_NAME on MariaDB only; on MySQL the table comes from TABLE_CONSTRAINTS.
  const checks = await selectRows<{ TABLE_NAME?: string; CONSTRAINT_NAME: string; CHECK_CLAUSE: string }>(
    conn,
    'SELECT * FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()',
  );
  if (checks.length === 0) return new Set();
  const owners = await selectRows<{ t: string; c: string }>(
    conn,
    "SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS c FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'CHECK'",
  );
  const ownerOf = new Map(owners.map((o) => [str(o.c), str(o.t)]));
  const out = new Set<string>();
  for (const c of checks) {
    const m = /^json_valid\(`([^`]+)`\)$/i.exec(str(c.CHECK_CLAUSE).trim());
    const table = c.TABLE_NAME !== undefined ? str(c.TABLE_NAME) : ownerOf.get(str(c.CONSTRAINT_NAME));
    if (m !== null && table !== undefined) out.add(`${table}.${m[1]}`);
  }
  return out;
}

/**
 * Reads the live shape of the given tables (all base tables whose name starts with `prefix` when
 * `tables` is omitted) from `information_schema`: columns, indexes and triggers.
 *
 * @example
 * ```ts
 * const live = await introspect(conn, { prefix: 'wp_pet_' });
 * ```
 */
export async function introspect(
  conn: Queryable,
  options: { readonly prefix: string; readonly tables?: readonly string[] },
): Promise<PhysicalSchema> {
  const names = (options.tables ?? (await tableNames(conn))).filter((t) => t.startsWith(options.prefix));
  if (names.length === 0) return { tables: [] };
  const inList = names.map(() => '?').join(', ');
  const [columns, stats, triggers, json] = await Promise.all([
    selectRows<{ t: string; name: string; type: string; nullable: string; dflt: unknown; extra: string }>(
      conn,
      `SELECT TABLE_NAME AS t, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${inList}) ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      names,
    ),
    selectRows<{ t: string; name: string; non_unique: unknown; col: string }>(
      conn,
      `SELECT TABLE_NAME AS t, INDEX_NAME AS name, NON_UNIQUE AS non_unique, COLUMN_NAME AS col
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${inList}) ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
      names,
    ),
    selectRows<{ t: string; name: string; timing: string; event: string; stmt: string }>(
      conn,
      `SELECT EVENT_OBJECT_TABLE AS t, TRIGGER_NAME AS name, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event, ACTION_STATEMENT AS stmt
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE IN (${inList}) ORDER BY TRIGGER_NAME`,
      names,
    ),
    jsonColumns(conn),
  ]);
  const tables: PhysicalTable[] = names.map((name) => {
    const cols: ColumnShape[] = columns
      .filter((c) => c.t === name)
      .map((c) => ({
        name: str(c.name),
        type: normaliseColumnType(str(c.type), json.has(`${name}.${str(c.name)}`)),
        nullable: str(c.nullable) === 'YES',
        default: normaliseDefault(c.dflt),
        autoIncrement: /auto_increment/i.test(str(c.extra)),
      }));
    const indexes: IndexShape[] = [];
    for (const s of stats.filter((x) => x.t === name)) {
      const idx = str(s.name);
      const existing = indexes.find((i) => i.name === idx);
      if (existing === undefined) {
        indexes.push({ name: idx, columns: [str(s.col)], unique: Number(s.non_unique) === 0 });
      } else {
        (existing.columns as string[]).push(str(s.col));
      }
    }
    const trigs: TriggerShape[] = triggers
      .filter((t) => t.t === name)
      .map((t) => ({
        name: str(t.name),
        timing: str(t.timing).toUpperCase(),
        event: str(t.event).toUpperCase(),
        statement: normaliseStatement(str(t.stmt)),
      }));
    return {
      name,
      columns: cols.map(physicalColumn),
      indexes: indexes.map(physicalIndex),
      triggers: trigs.map(physicalTrigger),
    };
  });
  return { tables };
}
