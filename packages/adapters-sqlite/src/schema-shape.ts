import type { TableModel } from '@pet-ops/migrations';
import type { AnyDatabase, PhysicalColumn, PhysicalTable, SchemaShapeHooks } from '@pet-ops/sql';
import { sql } from 'kysely';
import { sqliteColumnParts, sqliteIndexName, sqliteTriggers } from './compile.js';

/** One column's comparable parts, whichever side they come from. */
interface ColumnParts {
  readonly type: string;
  readonly nullable: boolean;
  readonly default: string | null;
  readonly collation: string | null;
  readonly check: string | null;
  readonly autoIncrement: boolean;
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** True when the text's first `(` closes at its last character: `(a) + (b)` is not wrapped. */
function wrapped(t: string): boolean {
  if (!t.startsWith('(') || !t.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '(') depth++;
    else if (t[i] === ')') depth--;
    if (depth === 0 && i < t.length - 1) return false;
  }
  return true;
}

/** A default as comparable text: `PRAGMA table_xinfo` drops an expression's outer parentheses, so both sides do. */
function bareDefault(d: string | null): string | null {
  if (d === null) return null;
  let t = d.trim();
  while (wrapped(t)) t = t.slice(1, -1).trim();
  return t;
}

function physical(name: string, c: ColumnParts): PhysicalColumn {
  return {
    name,
    properties: [
      ['type', c.type],
      ['nullable', String(c.nullable)],
      ['default', bareDefault(c.default) ?? '(none)'],
      ['collation', c.collation ?? '(none)'],
      ['check', c.check === null ? '(none)' : collapse(c.check)],
      ['auto_increment', String(c.autoIncrement)],
    ],
  };
}

const indexText = (kind: string, columns: readonly string[]): string => `${kind}(${columns.join(', ')})`;

/**
 * A trigger's `CREATE TRIGGER` text as comparable text: timing and event, then what follows the table's
 * name, whitespace-collapsed. The table's name is left out: `ALTER TABLE … RENAME` rewrites it (and the
 * trigger keeps its own name and message).
 */
function triggerText(createSql: string): string {
  const m =
    /^CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"(?:[^"]|"")*"|\S+)\s+(BEFORE|AFTER|INSTEAD\s+OF)?\s*(INSERT|UPDATE|DELETE)\b([\s\S]*?)\bON\s+(?:"(?:[^"]|"")*"|\S+)\s+([\s\S]*)$/i.exec(
      createSql.trim(),
    );
  if (m === null) return collapse(createSql);
  const [, timing, event, of, rest] = m as unknown as [string, string | undefined, string, string, string];
  const upper = (s: string): string => collapse(s).toUpperCase();
  return collapse(
    `${upper(timing ?? 'BEFORE')} ${upper(event)}${collapse(of) === '' ? '' : ` ${collapse(of)}`}: ${rest}`,
  );
}

/** The shape {@link compileSqlite} gives a table of the model, with the prefix applied. */
function expectedTable(prefix: string, t: TableModel): PhysicalTable {
  const auto = t.columns.find((c) => c.type === 'bigintAutoIncrement');
  const inline = auto !== undefined && t.primaryKey.length === 1 && t.primaryKey[0] === auto.name;
  return {
    name: `${prefix}${t.name}`,
    columns: t.columns.map((c) =>
      physical(c.name, { ...sqliteColumnParts(c), autoIncrement: inline && c === auto }),
    ),
    indexes: [
      { name: 'PRIMARY', definition: indexText('PRIMARY ', t.primaryKey) },
      ...t.indexes.map((i) => ({
        // A renamed table keeps the names its indexes were made with.
        name: sqliteIndexName(prefix, i.createdOn ?? t.name, i.name),
        definition: indexText(i.unique ? 'UNIQUE ' : '', i.columns),
      })),
    ],
    triggers: sqliteTriggers(prefix, t).map((x) => ({ name: x.name, definition: triggerText(x.sql) })),
  };
}

/** The top-level, comma-separated parts between a `CREATE TABLE`'s outer parentheses. */
function tableParts(createSql: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < createSql.length; i++) {
    const ch = createSql[i] as string;
    if (quote !== null) {
      if (ch === quote) quote = null; // a doubled quote closes and reopens: the same thing
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '[') quote = ']';
    else if (ch === '(') {
      depth++;
      if (depth === 1) start = i + 1;
    } else if (ch === ')') {
      depth--;
      if (depth === 0) {
        parts.push(createSql.slice(start, i).trim());
        break;
      }
    } else if (ch === ',' && depth === 1) {
      parts.push(createSql.slice(start, i).trim());
      start = i + 1;
    }
  }
  return parts;
}

const IDENT = /^(?:"((?:[^"]|"")*)"|`([^`]*)`|\[([^\]]*)\]|([A-Za-z_][A-Za-z0-9_$]*))/;

/**
 * A column definition's collation and CHECK, read from its text at nesting depth 0 (its name first).
 * `undefined` for a table constraint (`PRIMARY KEY (…)`, `UNIQUE`, `CHECK`, `FOREIGN KEY`, `CONSTRAINT`).
 */
function columnClauses(
  def: string,
): { readonly name: string; readonly collation: string | null; readonly check: string | null } | undefined {
  const id = IDENT.exec(def);
  if (id === null) return undefined;
  if (id[4] !== undefined && /^(constraint|primary|unique|check|foreign)$/i.test(id[4])) return undefined;
  const name = id[1] !== undefined ? id[1].replace(/""/g, '"') : (id[2] ?? id[3] ?? id[4] ?? '');
  let collation: string | null = null;
  const checks: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  for (let i = id[0].length; i < def.length; i++) {
    const ch = def[i] as string;
    if (quote !== null) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && /[A-Za-z]/.test(ch) && !/[A-Za-z0-9_]/.test(def[i - 1] ?? ' ')) {
      const rest = def.slice(i);
      const collate = /^COLLATE\s+("?)([A-Za-z0-9_]+)\1/i.exec(rest);
      if (collate !== null) collation = (collate[2] as string).toUpperCase();
      if (/^CHECK\s*\(/i.test(rest)) {
        const open = def.indexOf('(', i);
        let d = 0;
        let q: string | null = null;
        for (let j = open; j < def.length; j++) {
          const c = def[j] as string;
          if (q !== null) {
            if (c === q) q = null;
          } else if (c === "'" || c === '"') q = c;
          else if (c === '(') d++;
          else if (c === ')' && --d === 0) {
            checks.push(def.slice(open + 1, j));
            i = j;
            break;
          }
        }
      }
    }
  }
  return { name, collation, check: checks.length === 0 ? null : checks.join(' AND ') };
}

interface XinfoRow {
  readonly name: string;
  readonly type: string;
  readonly notnull: number | bigint;
  readonly dflt_value: string | null;
  readonly pk: number | bigint;
  readonly hidden: number | bigint;
}

/** One live table: `PRAGMA table_xinfo`, `index_list`/`index_info`, its triggers and its SQL text. */
async function liveTable(db: AnyDatabase, name: string, createSql: string): Promise<PhysicalTable> {
  const clauses = new Map(
    tableParts(createSql)
      .map(columnClauses)
      .flatMap((c) => (c === undefined ? [] : [[c.name.toLowerCase(), c] as const])),
  );
  const xinfo = (await sql<XinfoRow>`SELECT * FROM pragma_table_xinfo(${name}) ORDER BY cid`.execute(db))
    .rows;
  // hidden 1: a virtual table's hidden column, not part of the table's definition.
  const visible = xinfo.filter((r) => Number(r.hidden) !== 1);
  const primary = visible
    .filter((r) => Number(r.pk) > 0)
    .sort((a, b) => Number(a.pk) - Number(b.pk))
    .map((r) => r.name);
  // AUTOINCREMENT belongs to the one INTEGER PRIMARY KEY column (the rowid); SQLite refuses it elsewhere.
  const autoIncrement = /\bAUTOINCREMENT\b/i.test(createSql) && primary.length === 1;
  const columns = visible.map((r) => {
    const c = clauses.get(r.name.toLowerCase());
    return physical(r.name, {
      type: r.type.toUpperCase(),
      nullable: Number(r.notnull) === 0,
      default: r.dflt_value,
      collation: c?.collation ?? null,
      check: c?.check ?? null,
      autoIncrement: autoIncrement && primary[0] === r.name,
    });
  });
  const list = (
    await sql<{
      name: string;
      unique: number | bigint;
      origin: string;
      partial: number | bigint;
    }>`SELECT name, "unique", origin, partial FROM pragma_index_list(${name}) ORDER BY name`.execute(db)
  ).rows;
  const indexes = [{ name: 'PRIMARY', definition: indexText('PRIMARY ', primary) }];
  // The primary key's own index (origin `pk`) is the PRIMARY entry above.
  for (const i of list.filter((x) => x.origin !== 'pk')) {
    const cols = (
      await sql<{
        name: string | null;
      }>`SELECT name FROM pragma_index_info(${i.name}) ORDER BY seqno`.execute(db)
    ).rows.map((r) => r.name ?? '(expression)');
    const where = Number(i.partial) === 1 ? ' WHERE …' : '';
    indexes.push({
      name: i.name,
      definition: `${indexText(Number(i.unique) === 1 ? 'UNIQUE ' : '', cols)}${where}`,
    });
  }
  const triggers = (
    await sql<{
      name: string;
      sql: string;
    }>`SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ${name} ORDER BY name`.execute(
      db,
    )
  ).rows.map((r) => ({ name: r.name, definition: triggerText(r.sql) }));
  return { name, columns, indexes, triggers };
}

/**
 * How SQLite tables look to the seam's `verifySchema`: the logical model as {@link compileSqlite} declares
 * it, and the live tables whose names start with the prefix (`PRAGMA table_xinfo`, `index_list`,
 * `index_info` and the `CREATE` texts in `sqlite_schema`). Each column compares its declared type
 * (`TEXT`, `INTEGER`), nullability, default, collation, CHECK and AUTOINCREMENT; the primary key is the
 * index `PRIMARY`; indexes compare uniqueness and columns; triggers their timing, event and body. PET
 * declares no foreign keys, so none are compared. `sqliteDialect`'s `migrationHooks` give it, so
 * `verifySchema(db, sqliteDialect(…), { prefix })` checks the live schema.
 *
 * @example
 * ```ts
 * const v = await verifySchema(db, dialect, { prefix: 'pet_', hooks: { schemaShape: sqliteSchemaShape } });
 * for (const d of v.drifts) console.error(d.message); // column pet_leads.x is not in the migrations
 * ```
 */
export const sqliteSchemaShape: SchemaShapeHooks = {
  expected: (model, prefix) => ({ tables: model.tables.map((t) => expectedTable(prefix, t)) }),
  live: async (db, prefix) => {
    const rows = (
      await sql<{
        name: string;
        sql: string;
      }>`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`.execute(
        db,
      )
    ).rows.filter((r) => r.name.startsWith(prefix));
    const tables: PhysicalTable[] = [];
    for (const r of rows) tables.push(await liveTable(db, r.name, r.sql));
    return { tables };
  },
};
