/**
 * Physical schema shapes (MySQL/MariaDB, normalised so both servers compare equal) and the diff that
 * lists every drift between an expected and a live schema. Pure.
 */

/** A column as `information_schema.COLUMNS` describes it, normalised. */
export interface ColumnShape {
  readonly name: string;
  /** Lower-case `COLUMN_TYPE` without integer display widths (`tinyint(1)` kept), JSON as `json`. */
  readonly type: string;
  readonly nullable: boolean;
  /** The default as text (`current_timestamp(6)`, `0`, `draft`), or `null` when there is none. */
  readonly default: string | null;
  readonly autoIncrement: boolean;
}

/** An index (`PRIMARY` for the primary key). */
export interface IndexShape {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

/** A trigger on a table. */
export interface TriggerShape {
  readonly name: string;
  readonly timing: string;
  readonly event: string;
  /** The trigger body, whitespace-collapsed. */
  readonly statement: string;
}

/** One table. */
export interface TableShape {
  readonly name: string;
  readonly columns: readonly ColumnShape[];
  readonly indexes: readonly IndexShape[];
  readonly triggers: readonly TriggerShape[];
}

/** A schema: the tables of one prefix. */
export interface SchemaShape {
  readonly tables: readonly TableShape[];
}

/** The kinds of drift `verify` reports. */
export type DriftKind =
  | 'missing_table'
  | 'extra_table'
  | 'missing_column'
  | 'extra_column'
  | 'column_mismatch'
  | 'missing_index'
  | 'extra_index'
  | 'index_mismatch'
  | 'missing_trigger'
  | 'extra_trigger'
  | 'trigger_mismatch';

/**
 * One difference between the schema the journal describes and the live one. `name` is the column,
 * index or trigger; `property` the column property that differs (`type`, `nullable`, `default`,
 * `auto_increment`).
 */
export interface SchemaDrift {
  readonly kind: DriftKind;
  readonly table: string;
  readonly name?: string;
  readonly property?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly message: string;
}

function drift(
  kind: DriftKind,
  table: string,
  message: string,
  extra: { name?: string; property?: string; expected?: string; actual?: string } = {},
): SchemaDrift {
  return { kind, table, ...extra, message };
}

const indexText = (i: IndexShape): string => `${i.unique ? 'UNIQUE ' : ''}(${i.columns.join(', ')})`;
const triggerText = (t: TriggerShape): string => `${t.timing} ${t.event}: ${t.statement}`;
const showDefault = (d: string | null): string => (d === null ? '(none)' : d);

function diffColumns(
  table: string,
  expected: readonly ColumnShape[],
  actual: readonly ColumnShape[],
): SchemaDrift[] {
  const out: SchemaDrift[] = [];
  for (const e of expected) {
    const a = actual.find((c) => c.name === e.name);
    if (a === undefined) {
      out.push(drift('missing_column', table, `column ${table}.${e.name} is missing`, { name: e.name }));
      continue;
    }
    const props: [string, string, string][] = [
      ['type', e.type, a.type],
      ['nullable', String(e.nullable), String(a.nullable)],
      ['default', showDefault(e.default), showDefault(a.default)],
      ['auto_increment', String(e.autoIncrement), String(a.autoIncrement)],
    ];
    for (const [property, want, got] of props) {
      if (want !== got) {
        out.push(
          drift(
            'column_mismatch',
            table,
            `column ${table}.${e.name}: ${property} is ${got}, expected ${want}`,
            {
              name: e.name,
              property,
              expected: want,
              actual: got,
            },
          ),
        );
      }
    }
  }
  for (const a of actual) {
    if (!expected.some((c) => c.name === a.name)) {
      out.push(
        drift('extra_column', table, `column ${table}.${a.name} is not in the migrations`, { name: a.name }),
      );
    }
  }
  return out;
}

function diffNamed<T extends { readonly name: string }>(
  table: string,
  expected: readonly T[],
  actual: readonly T[],
  what: 'index' | 'trigger',
  text: (x: T) => string,
): SchemaDrift[] {
  const out: SchemaDrift[] = [];
  for (const e of expected) {
    const a = actual.find((x) => x.name === e.name);
    if (a === undefined) {
      out.push(drift(`missing_${what}`, table, `${what} ${e.name} on ${table} is missing`, { name: e.name }));
    } else if (text(a) !== text(e)) {
      out.push(
        drift(`${what}_mismatch`, table, `${what} ${e.name} on ${table} is ${text(a)}, expected ${text(e)}`, {
          name: e.name,
          expected: text(e),
          actual: text(a),
        }),
      );
    }
  }
  for (const a of actual) {
    if (!expected.some((x) => x.name === a.name)) {
      out.push(
        drift(`extra_${what}`, table, `${what} ${a.name} on ${table} is not in the migrations`, {
          name: a.name,
        }),
      );
    }
  }
  return out;
}

/** Every drift of one table (its columns, indexes and triggers). */
export function diffTable(expected: TableShape, actual: TableShape): SchemaDrift[] {
  return [
    ...diffColumns(expected.name, expected.columns, actual.columns),
    ...diffNamed(expected.name, expected.indexes, actual.indexes, 'index', indexText),
    ...diffNamed(expected.name, expected.triggers, actual.triggers, 'trigger', triggerText),
  ];
}

/**
 * Every drift between an expected and a live schema: missing/extra tables, columns, indexes and
 * triggers, and every column property or index/trigger definition that differs.
 *
 * @example
 * ```ts
 * const drifts = diffSchemas(expected, live);
 * for (const d of drifts) console.log(d.message);
 * ```
 */
export function diffSchemas(expected: SchemaShape, actual: SchemaShape): SchemaDrift[] {
  const out: SchemaDrift[] = [];
  for (const e of expected.tables) {
    const a = actual.tables.find((t) => t.name === e.name);
    if (a === undefined) out.push(drift('missing_table', e.name, `table ${e.name} is missing`));
    else out.push(...diffTable(e, a));
  }
  for (const a of actual.tables) {
    if (!expected.tables.some((t) => t.name === a.name)) {
      out.push(drift('extra_table', a.name, `table ${a.name} is not in the migrations`));
    }
  }
  return out;
}
