import {
  type Column,
  defaultIssue,
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
}

/** A frozen-columns guard in place (one `BEFORE UPDATE` trigger, `<table>_<name>`). */
export interface FrozenModel {
  readonly name: string;
  readonly columns: readonly string[];
  readonly when?: { readonly column: string; readonly values: readonly string[] };
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
      const frozen: FrozenModel = {
        name: op.name,
        columns: op.columns,
        ...(op.when === undefined ? {} : { when: op.when }),
      };
      return { ok: true, model: replaceTable(model, { ...table, frozen: [...table.frozen, frozen] }) };
    }
    case 'backfill': {
      const target = table.columns.find((c) => c.name === op.column);
      if (target === undefined) return fail(`column ${op.table}.${op.column} does not exist`);
      if (table.frozen.some((f) => f.columns.includes(op.column)))
        return fail(`column ${op.table}.${op.column} is frozen: its rows cannot be updated`);
      if (target.nullable !== true)
        return fail(`column ${op.table}.${op.column} is NOT NULL: nothing to fill`);
      if (table.guards.length > 0)
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
    for (const g of t.guards) out.add(guardTriggerName(t.name, g));
    for (const f of t.frozen) out.add(frozenTriggerName(t.name, f.name));
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
