import { createHash } from 'node:crypto';
import type { AggregateDefinition, EventDraft, Uuid } from '@pet-ops/core';
import type { Column, SchemaModel } from '@pet-ops/migrations';
import type { ValueCodecs } from './dialect.js';

/**
 * The logical type of a state-table column, as the migration vocabulary names it (`@pet-ops/migrations`
 * `ColumnType['type']`, less the event log's `bigintAutoIncrement`). Each dialect stores it its own way.
 */
export type LogicalType =
  | 'id'
  | 'int'
  | 'smallint'
  | 'money'
  | 'minutes'
  | 'basisPoints'
  | 'text'
  | 'longText'
  | 'json'
  | 'instant'
  | 'enum'
  | 'bool';

/** One declared column: its logical type and whether it may hold NULL. */
export interface ColumnSpec {
  readonly type: LogicalType;
  readonly nullable?: boolean;
}

/** The TypeScript value of a logical type (ids and instants as their canonical strings). */
export type ValueOf<T extends LogicalType> = T extends 'json'
  ? unknown
  : T extends 'bool'
    ? boolean
    : T extends 'int' | 'smallint' | 'money' | 'minutes' | 'basisPoints'
      ? number
      : string;

/** A row of declared columns, typed: a misnamed or missing column does not compile. */
export type RowOf<C extends Readonly<Record<string, ColumnSpec>>> = {
  -readonly [K in keyof C]: C[K]['nullable'] extends true
    ? ValueOf<C[K]['type']> | null
    : ValueOf<C[K]['type']>;
};

/**
 * An aggregate's state table, declared once for every database: its logical columns (without `id` and
 * `version`, which the unit of work manages) and typed `toRow` / `fromRow`. `fromRow` always receives the
 * stream id.
 */
export interface StateTable<
  S,
  C extends Readonly<Record<string, ColumnSpec>> = Readonly<Record<string, ColumnSpec>>,
> {
  /** The aggregate's stream type (events' `streamType`). */
  readonly streamType: string;
  /** Logical table name (the host's prefix is added at run time). */
  readonly table: string;
  readonly columns: C;
  // Methods, not function properties: a table of one state type can then stand in a list of any tables.
  /** State before any event (what `load` returns for an unknown id). */
  initialState(): S;
  /** The row of a present state (an absent state is never saved: saving needs events). */
  toRow(state: S): RowOf<C>;
  /** The state of a stored row. */
  fromRow(row: RowOf<C>, id: string): S;
  /**
   * Append-only child tables written from the saved events in the same transaction (an inline
   * projection): quote lines, article versions, SLA events … Their rows are never updated.
   */
  readonly children?: readonly AnyChildTable[];
  /**
   * Row sets the state is normalised into, kept in step with it in the same transaction (an aggregate's
   * content in the seed's tables: a quote's versions, groups and lines). Unlike `children`, their rows
   * follow the state: inserted when the state gains them, updated when their values change (database
   * guards refuse what may no longer change), retired — never deleted — when the state drops them.
   */
  readonly parts?: readonly PartTable<S>[];
}

/**
 * Rows a state is normalised into (see {@link StateTable.parts}). `rowsOf` lists every row the state
 * implies, each with a stable `id` (derive it from natural keys with `derivedId`): the unit of work
 * diffs the rows of the state it loaded with those of the state it saves and writes only the difference.
 */
export interface PartTable<S = unknown> {
  /** Logical table name (the host's prefix is added at run time). */
  readonly table: string;
  /** Every column written, `id` included. */
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  /** Every row `state` implies (none for an absent state), given the aggregate's stream id. */
  rowsOf(state: S, streamId: string): readonly Readonly<Record<string, unknown>>[];
  /**
   * The instant column set when the state no longer implies a row (a removed draft line). Without it a
   * dropped row is an error: such a part only ever grows.
   */
  readonly retiredColumn?: string;
}

/**
 * Declares a part table of a state table.
 *
 * @example
 * ```ts
 * const lines = definePartTable<{ lines: { id: string; text: string }[] }>({
 *   table: 'order_lines',
 *   columns: { id: { type: 'id' }, order_id: { type: 'id' }, text: { type: 'text' } },
 *   rowsOf: (s, orderId) => s.lines.map((l) => ({ id: l.id, order_id: orderId, text: l.text })),
 * });
 * ```
 */
export function definePartTable<S>(declaration: PartTable<S>): PartTable<S> {
  if (!('id' in declaration.columns))
    throw new TypeError(`definePartTable(${declaration.table}): needs an id column`);
  const retired = declaration.retiredColumn;
  if (retired !== undefined && declaration.columns[retired]?.type !== 'instant') {
    throw new TypeError(
      `definePartTable(${declaration.table}): ${retired} must be a declared instant column`,
    );
  }
  return Object.freeze(declaration);
}

/**
 * A stable id for a row named by natural keys (a quote's version 2, a line of it): the same keys give
 * the same id in every process and in data migrations, so rows can be found again without a lookup.
 * A UUID (version 8, RFC 9562 custom) from SHA-256 of the keys.
 *
 * @example `derivedId('quote_lines', quoteId, 2, lineId)` → `'5f0c…-8…'`
 */
export function derivedId(...keys: readonly (string | number)[]): Uuid {
  const h = createHash('sha256').update(keys.map(String).join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}` as Uuid;
}

/**
 * An append-only child table of an aggregate (e.g. `knowledge_versions` of an article), declared like a
 * state table. Its rows come from the aggregate's events: `rowsOf` maps one saved event to the rows it
 * adds (usually none or one); each row carries its own `id`.
 */
export interface ChildTable<
  C extends Readonly<Record<string, ColumnSpec>> = Readonly<Record<string, ColumnSpec>>,
> {
  /** Logical table name (the host's prefix is added at run time). */
  readonly table: string;
  /** Every column written, `id` included. */
  readonly columns: C;
  /** The rows one saved event adds to this table (usually none or one), given the aggregate's stream id. */
  rowsOf(event: EventDraft, streamId: string): readonly RowOf<C>[];
}

/** A child table of any columns, for lists. */
export type AnyChildTable = ChildTable<Readonly<Record<string, ColumnSpec>>>;

/**
 * Declares an append-only child table of an aggregate.
 *
 * @example
 * ```ts
 * const versions = defineChildTable({
 *   table: 'knowledge_versions',
 *   columns: { id: { type: 'id' }, article_id: { type: 'id' }, version_number: { type: 'int' } },
 *   rowsOf: (e, articleId) => e.type === 'knowledge.revised' ? [{ id: e.eventId, article_id: articleId, version_number: 2 }] : [],
 * });
 * ```
 */
export function defineChildTable<const C extends Readonly<Record<string, ColumnSpec>>>(
  declaration: ChildTable<C>,
): ChildTable<C> {
  if (!('id' in declaration.columns))
    throw new TypeError(`defineChildTable(${declaration.table}): needs an id column`);
  return Object.freeze(declaration);
}

/** A declared state table of any state and columns, for lists of tables. */
export type AnyStateTable = StateTable<unknown, Readonly<Record<string, ColumnSpec>>>;

/** What a declared table's definition stores: the logical row, or what the unit of work read back. */
interface StoredRow {
  readonly id: Uuid;
  readonly row: Readonly<Record<string, unknown>>;
}

// One aggregate definition per declared table, so `aggregateOf` returns the same object every time.
const definitions = new WeakMap<object, AggregateDefinition<unknown>>();

/**
 * Declares an aggregate's state table once, in logical column types, with typed row mapping. The same
 * declaration serves every database (the dialect's codecs store each type its own way), and
 * `checkStateTables` holds it against the migrated logical model.
 *
 * @example
 * ```ts
 * export const counters = defineStateTable({
 *   streamType: 'counter',
 *   table: 'counters',
 *   columns: { n: { type: 'int' }, note: { type: 'text', nullable: true } },
 *   initialState: (): { n: number; note: string | null } => ({ n: 0, note: null }),
 *   toRow: (s) => ({ n: s.n, note: s.note }),
 *   fromRow: (r) => ({ n: r.n, note: r.note }),
 * });
 * ```
 */
export function defineStateTable<S, const C extends Readonly<Record<string, ColumnSpec>>>(
  declaration: StateTable<S, C>,
): StateTable<S, C> {
  for (const name of Object.keys(declaration.columns)) {
    if (name === 'id' || name === 'version') {
      throw new TypeError(`defineStateTable(${declaration.table}): ${name} is managed by the unit of work`);
    }
  }
  return Object.freeze(declaration);
}

/**
 * The {@link AggregateDefinition} of a declared table, to pass to `scope.aggregate(…)`.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(counters)).load(id));
 * ```
 */
export function aggregateOf<S, C extends Readonly<Record<string, ColumnSpec>>>(
  table: StateTable<S, C>,
): AggregateDefinition<S> {
  const known = definitions.get(table);
  if (known !== undefined) return known as AggregateDefinition<S>;
  const definition: AggregateDefinition<S> = {
    streamType: table.streamType,
    initialState: () => table.initialState(),
    encode: (state) => table.toRow(state),
    decode: (stored) => {
      const { id, row } = stored as StoredRow;
      return table.fromRow(row as RowOf<C>, id);
    },
  };
  definitions.set(table, definition as AggregateDefinition<unknown>);
  return definition;
}

/** A logical value → the column value of the dialect. @example `encodeColumn(dialect.codecs, { type: 'instant' }, at)` */
export function encodeColumn(codecs: ValueCodecs, spec: ColumnSpec, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (spec.type) {
    case 'id':
      return codecs.encodeId(value as string);
    case 'instant':
      return codecs.encodeInstant(value as string);
    case 'json':
      return codecs.encodeJson(value);
    case 'bool':
      return codecs.encodeBool(value as boolean);
    default:
      return value;
  }
}

/** A column value of the dialect → the logical value. @example `decodeColumn(dialect.codecs, { type: 'bool' }, 1)` → `true` */
export function decodeColumn(codecs: ValueCodecs, spec: ColumnSpec, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (spec.type) {
    case 'id':
      return codecs.decodeId(value);
    case 'instant':
      return codecs.decodeInstant(value);
    case 'json':
      return codecs.decodeJson(value);
    case 'bool':
      return codecs.decodeBool(value);
    case 'int':
    case 'smallint':
    case 'money':
    case 'minutes':
    case 'basisPoints':
      return Number(value);
    default:
      return String(value);
  }
}

/**
 * Holds declared state tables against the schema the migrations build (no database needed): each table
 * exists with `id` and `version`; each declared column exists with the same logical type and nullability;
 * each column the database requires (NOT NULL, no default) is declared. Returns one line per mismatch.
 *
 * @example
 * ```ts
 * expect(checkStateTables([counters], expectedSchema(migrations))).toEqual([]);
 * ```
 */
export function checkStateTables(tables: readonly AnyStateTable[], model: SchemaModel): string[] {
  const problems: string[] = [];
  for (const child of tables.flatMap((t) => [...(t.children ?? []), ...(t.parts ?? [])])) {
    const live = model.tables.find((m) => m.name === child.table);
    if (live === undefined) {
      problems.push(`${child.table}: no such table in the migrated schema`);
      continue;
    }
    problems.push(...columnProblems(child.table, child.columns, live.columns, []));
  }
  for (const t of tables) {
    const live = model.tables.find((m) => m.name === t.table);
    if (live === undefined) {
      problems.push(`${t.table}: no such table in the migrated schema`);
      continue;
    }
    const byName = new Map(live.columns.map((c) => [c.name, c]));
    if (byName.get('id')?.type !== 'id') problems.push(`${t.table}.id: must exist with logical type id`);
    if (byName.get('version')?.type !== 'int')
      problems.push(`${t.table}.version: must exist with logical type int`);
    problems.push(...columnProblems(t.table, t.columns, live.columns, ['id', 'version']));
  }
  return problems;
}

function columnProblems(
  table: string,
  declared: Readonly<Record<string, ColumnSpec>>,
  migrated: readonly Column[],
  managed: readonly string[],
): string[] {
  const problems: string[] = [];
  const byName = new Map(migrated.map((c) => [c.name, c]));
  for (const [name, spec] of Object.entries(declared)) {
    const c = byName.get(name);
    if (c === undefined) problems.push(`${table}.${name}: declared but not in the migrated schema`);
    else if (c.type !== spec.type)
      problems.push(`${table}.${name}: declared ${spec.type}, migrated ${c.type}`);
    else if ((c.nullable === true) !== (spec.nullable === true)) {
      problems.push(
        `${table}.${name}: declared ${spec.nullable === true ? 'nullable' : 'NOT NULL'}, migrated the other way`,
      );
    }
  }
  for (const c of migrated) {
    const required = c.nullable !== true && c.default === undefined && c.type !== 'bigintAutoIncrement';
    if (required && !managed.includes(c.name) && !(c.name in declared)) {
      problems.push(`${table}.${c.name}: NOT NULL without a default, but not declared`);
    }
  }
  return problems;
}
