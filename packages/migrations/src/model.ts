import {
  type Column,
  defaultIssue,
  type FrozenColumnsGuard,
  frozenTriggerName,
  guardTriggerName,
  indexIssue,
  type Operation,
} from './vocabulary.js';

/** An index of a table in the expected schema (`PRIMARY` is kept apart as `primaryKey`). */
export interface IndexModel {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  /**
   * The table's name when the index was made, when a `renameTable` has renamed the table since (SQLite
   * and PostgreSQL index names carry the table's name, and a rename keeps them).
   */
  readonly createdOn?: string;
}

/** A frozen-columns guard in place (one `BEFORE UPDATE` trigger, `<table>_<name>`). */
export interface FrozenModel {
  readonly name: string;
  readonly columns: readonly string[];
  readonly when?: { readonly column: string; readonly values: readonly string[] };
  /** JSON array columns that may only grow at their end (see {@link FrozenColumnsGuard}). */
  readonly appendOnly?: readonly string[];
  /** The table's name when the guard was made, when a `renameTable` has renamed the table since (its trigger keeps its name and message). */
  readonly createdOn?: string;
}

/** One table of the expected schema, as the migrations built it (logical names, no prefix). */
export interface TableModel {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly IndexModel[];
  /** Append-only guards in place (one trigger each). */
  readonly guards: readonly ('update' | 'delete')[];
  /** Frozen-columns guards in place, in the order the migrations added them (one trigger each). */
  readonly frozen: readonly FrozenModel[];
  /** The name the table was created under, when a `renameTable` has renamed it since (PostgreSQL's primary key keeps it). */
  readonly createdAs?: string;
  /** For each append-only guard made before a `renameTable`, the table's name then (its trigger keeps its name and message). */
  readonly guardsCreatedOn?: Readonly<Partial<Record<'update' | 'delete', string>>>;
}

/**
 * The name the table had when its `event` guard was made: its trigger's name ({@link guardTriggerName})
 * and message derive from it.
 *
 * @example `guardTableName(table, 'update')` → `'kpi_def_versions'` for `kpi_definition_versions`, renamed after its guards were made
 */
export function guardTableName(table: TableModel, event: 'update' | 'delete'): string {
  return table.guardsCreatedOn?.[event] ?? table.name;
}

/** The names a table had before a `renameTable`: its triggers and indexes still carry them. */
function formerNames(t: TableModel): string[] {
  return [
    ...(t.createdAs === undefined ? [] : [t.createdAs]),
    ...Object.values(t.guardsCreatedOn ?? {}),
    ...t.indexes.flatMap((i) => (i.createdOn === undefined ? [] : [i.createdOn])),
    ...t.frozen.flatMap((f) => (f.createdOn === undefined ? [] : [f.createdOn])),
  ].filter((n) => n !== t.name);
}

function renameTable(model: SchemaModel, table: TableModel, to: string): ApplyResult {
  if (model.tables.some((t) => t.name === to)) return fail(`table ${to} already exists`);
  if (model.tables.some((t) => formerNames(t).includes(to)))
    return fail(`${to} was a table's name before a rename: its triggers and indexes still carry it`);
  const was = table.name;
  const guardsCreatedOn = Object.fromEntries(table.guards.map((g) => [g, guardTableName(table, g)]));
  const renamed: TableModel = {
    ...table,
    name: to,
    createdAs: table.createdAs ?? was,
    indexes: table.indexes.map((i) => ({ ...i, createdOn: i.createdOn ?? was })),
    frozen: table.frozen.map((f) => ({ ...f, createdOn: f.createdOn ?? was })),
    ...(table.guards.length === 0 ? {} : { guardsCreatedOn }),
  };
  return { ok: true, model: { tables: model.tables.map((t) => (t.name === was ? renamed : t)) } };
}

/** The schema a list of operations produces: the expected model that `verify` compares with the live one. */
export interface SchemaModel {
  readonly tables: readonly TableModel[];
}

/** The schema before any migration. @example `expect(expectedSchema([])).toEqual(EMPTY_SCHEMA)` */
export const EMPTY_SCHEMA: SchemaModel = Object.freeze({ tables: Object.freeze([]) });

/** Outcome of {@link applyOperation}: the new model, or the rule the operation breaks in this model. */
export type ApplyResult =
  | { readonly ok: true; readonly model: SchemaModel }
  | { readonly ok: false; readonly rule: string };

const fail = (rule: string): ApplyResult => ({ ok: false, rule });

function replaceTable(model: SchemaModel, table: TableModel): SchemaModel {
  return { tables: model.tables.map((t) => (t.name === table.name ? table : t)) };
}

/**
 * Applies one operation to a schema model, checking the rules that span operations (the table exists,
 * the column is new, the index columns exist…). Pure.
 *
 * @example
 * ```ts
 * const r = applyOperation(EMPTY_SCHEMA, { op: 'createTable', table: 't', columns: [col.id('id')], primaryKey: ['id'] });
 * if (r.ok) console.log(r.model.tables[0]?.name); // 't'
 * ```
 */
export function applyOperation(model: SchemaModel, op: Operation): ApplyResult {
  // A data step moves rows; the schema stays as it is.
  if (op.op === 'dataStep') return { ok: true, model };
  const table = model.tables.find((t) => t.name === op.table);
  if (op.op === 'createTable') {
    if (table !== undefined) return fail(`table ${op.table} already exists`);
    if (model.tables.some((t) => formerNames(t).includes(op.table)))
      return fail(`${op.table} was a table's name before a rename: its triggers and indexes still carry it`);
    const created: TableModel = {
      name: op.table,
      columns: op.columns,
      primaryKey: op.primaryKey,
      indexes: [
        ...(op.uniques ?? []).map((u) => ({ name: u.name, columns: u.columns, unique: true })),
        ...(op.indexes ?? []).map((i) => ({ name: i.name, columns: i.columns, unique: false })),
      ],
      guards: [],
      frozen: [],
    };
    return { ok: true, model: { tables: [...model.tables, created] } };
  }
  if (table === undefined) return fail(`table ${op.table} does not exist`);
  switch (op.op) {
    case 'renameTable':
      return renameTable(model, table, op.to);
    case 'addColumn':
      if (table.columns.some((c) => c.name === op.column.name)) {
        return fail(`column ${op.table}.${op.column.name} already exists`);
      }
      return { ok: true, model: replaceTable(model, { ...table, columns: [...table.columns, op.column] }) };
    case 'addIndex':
    case 'addUnique': {
      if (table.indexes.some((i) => i.name === op.index.name)) {
        return fail(`index ${op.table}.${op.index.name} already exists`);
      }
      const issue = indexIssue(op.index, table.columns);
      if (issue !== undefined) return fail(`index ${op.table}.${op.index.name}: ${issue}`);
      const index: IndexModel = {
        name: op.index.name,
        columns: op.index.columns,
        unique: op.op === 'addUnique',
      };
      return { ok: true, model: replaceTable(model, { ...table, indexes: [...table.indexes, index] }) };
    }
    case 'appendOnlyGuard':
      if (table.guards.includes(op.event)) return fail(`${op.table} already has its ${op.event} guard`);
      if (triggerNames(model).has(guardTriggerName(op.table, op.event)))
        return fail(`trigger ${guardTriggerName(op.table, op.event)} already exists`);
      return { ok: true, model: replaceTable(model, { ...table, guards: [...table.guards, op.event] }) };
    case 'frozenColumnsGuard': {
      const trigger = frozenTriggerName(op.table, op.name);
      if (triggerNames(model).has(trigger)) return fail(`trigger ${trigger} already exists`);
      const missing = op.columns.find((c) => !table.columns.some((x) => x.name === c));
      if (missing !== undefined) return fail(`column ${op.table}.${missing} does not exist`);
      if (op.when !== undefined) {
        const by = table.columns.find((c) => c.name === op.when?.column);
        if (by === undefined) return fail(`column ${op.table}.${op.when.column} does not exist`);
        if (by.type !== 'enum') return fail(`column ${op.table}.${by.name} is not an enum`);
        const unknown = op.when.values.find((v) => !by.values.includes(v));
        if (unknown !== undefined) return fail(`${unknown} is not a value of ${op.table}.${by.name}`);
      }
      for (const c of op.appendOnly ?? []) {
        const column = table.columns.find((x) => x.name === c);
        if (column === undefined) return fail(`column ${op.table}.${c} does not exist`);
        if (column.type !== 'json') return fail(`column ${op.table}.${c} is not JSON: it cannot grow`);
        if (op.columns.includes(c)) return fail(`column ${op.table}.${c} is frozen: it cannot also grow`);
      }
      const frozen = frozenModel(op);
      return { ok: true, model: replaceTable(model, { ...table, frozen: [...table.frozen, frozen] }) };
    }
    case 'widenEnum': {
      const target = table.columns.find((c) => c.name === op.column);
      if (target === undefined) return fail(`column ${op.table}.${op.column} does not exist`);
      if (target.type !== 'enum') return fail(`column ${op.table}.${op.column} is not an enum`);
      const kept = op.values.slice(0, target.values.length);
      if (kept.length < target.values.length || kept.some((v, i) => v !== target.values[i]))
        return fail(
          `values of ${op.table}.${op.column} must start with its current values in order (${target.values.join(', ')}): a removed or reordered value would orphan stored rows`,
        );
      if (op.values.length === target.values.length)
        return fail(`values of ${op.table}.${op.column} must add at least one value`);
      const widened = { ...target, values: op.values } as Column;
      return {
        ok: true,
        model: replaceTable(model, {
          ...table,
          columns: table.columns.map((c) => (c.name === op.column ? widened : c)),
        }),
      };
    }
    case 'backfill': {
      const target = table.columns.find((c) => c.name === op.column);
      if (target === undefined) return fail(`column ${op.table}.${op.column} does not exist`);
      if (table.frozen.some((f) => f.columns.includes(op.column) || f.appendOnly?.includes(op.column)))
        return fail(`column ${op.table}.${op.column} is frozen: its rows cannot be updated`);
      if (target.nullable !== true)
        return fail(`column ${op.table}.${op.column} is NOT NULL: nothing to fill`);
      // A delete guard alone leaves UPDATE free.
      if (table.guards.includes('update'))
        return fail(`table ${op.table} is append-only: its rows cannot be updated`);
      if (op.value.kind === 'copyColumn') {
        const from = op.value.column;
        const source = table.columns.find((c) => c.name === from);
        if (source === undefined) return fail(`column ${op.table}.${from} does not exist`);
        if (source.name === target.name) return fail('a column cannot be filled from itself');
        if (JSON.stringify(stripOptions(source)) !== JSON.stringify(stripOptions(target))) {
          return fail(
            `column ${from} (${source.type}) does not have the type of ${op.column} (${target.type})`,
          );
        }
      } else {
        if (LITERAL_FREE.has(target.type)) {
          return fail(`column ${op.table}.${op.column} (${target.type}) cannot be filled with a literal`);
        }
        // A literal obeys the rules of a default of that column (type, range, enum values).
        const issue = defaultIssue({ ...target, default: op.value.value } as Column);
        if (issue !== undefined) return fail(`value for ${op.table}.${op.column}: ${issue}`);
      }
      return { ok: true, model };
    }
  }
}

/** Every trigger name of the schema, without the prefix (trigger names are per database). */
function triggerNames(model: SchemaModel): Set<string> {
  const out = new Set<string>();
  for (const t of model.tables) {
    for (const g of t.guards) out.add(guardTriggerName(guardTableName(t, g), g));
    for (const f of t.frozen) out.add(frozenTriggerName(f.createdOn ?? t.name, f.name));
  }
  return out;
}

function stripOptions(c: Column): Omit<Column, 'name' | 'nullable' | 'default'> {
  const { name: _n, nullable: _u, default: _d, ...type } = c;
  return type;
}

const LITERAL_FREE: ReadonlySet<string> = new Set([
  'id',
  'bigintAutoIncrement',
  'json',
  'longText',
  'instant',
]);

/**
 * For each migration of a list, the schema before each of its operations (what a compiler needs for an
 * operation that regenerates a column or a table, such as `widenEnum`). An operation that breaks a rule
 * leaves the model as it was (validation reports it elsewhere).
 *
 * @example
 * ```ts
 * const before = schemaBeforeEach(migrations);
 * migrations.map((m, i) => m.operations.flatMap((op, j) => compileSqlite(op, 'pet_', before[i]?.[j])));
 * ```
 */
export function schemaBeforeEach(
  migrations: readonly { readonly operations: readonly Operation[] }[],
): SchemaModel[][] {
  let model = EMPTY_SCHEMA;
  return migrations.map((m) =>
    m.operations.map((op) => {
      const before = model;
      const r = applyOperation(model, op);
      if (r.ok) model = r.model;
      return before;
    }),
  );
}

/**
 * The schema after applying the first `steps(migrationId)` operations of each migration, in list order
 * (all operations when `steps` returns `undefined`). Throws when an operation breaks a rule; a list
 * that passed {@link validateMigrations} never does.
 *
 * @example
 * ```ts
 * const head = expectedSchema(migrations);
 * const partial = expectedSchema(migrations, (id) => journal.get(id)?.appliedSteps ?? 0);
 * ```
 */
export function expectedSchema(
  migrations: readonly { readonly id: string; readonly operations: readonly Operation[] }[],
  steps?: (migrationId: string) => number | undefined,
): SchemaModel {
  let model = EMPTY_SCHEMA;
  for (const m of migrations) {
    const n = Math.min(steps?.(m.id) ?? m.operations.length, m.operations.length);
    for (let i = 0; i < n; i++) {
      const r = applyOperation(model, m.operations[i] as Operation);
      if (!r.ok) throw new Error(`migration ${m.id} operation ${i + 1}: ${r.rule}`);
      model = r.model;
    }
  }
  return model;
}

/**
 * The model of a frozen-columns guard as its operation declares it (the compilers build the same from
 * the operation, so a guard made by a migration and one re-created after a rebuild are identical).
 *
 * @example
 * ```ts
 * frozenModel({ op: 'frozenColumnsGuard', table: 'sales', name: 'frozen', columns: ['sold_value'] });
 * // { name: 'frozen', columns: ['sold_value'] }
 * ```
 */
export function frozenModel(op: FrozenColumnsGuard): FrozenModel {
  return {
    name: op.name,
    columns: op.columns,
    ...(op.when === undefined ? {} : { when: op.when }),
    ...(op.appendOnly === undefined ? {} : { appendOnly: op.appendOnly }),
  };
}

/**
 * The message a frozen-columns guard's trigger refuses with, the same on every database.
 *
 * @example
 * ```ts
 * frozenMessage('knowledge_articles', { name: 'history', columns: ['id'], appendOnly: ['versions_json'] });
 * // 'knowledge_articles.history: id cannot change; versions_json only grow'
 * ```
 */
export function frozenMessage(table: string, f: FrozenModel): string {
  const grow = f.appendOnly === undefined ? '' : `; ${f.appendOnly.join(', ')} only grow`;
  return `${table}.${f.name}: ${f.columns.join(', ')} cannot change${grow}`;
}
