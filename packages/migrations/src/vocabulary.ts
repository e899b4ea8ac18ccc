import { z } from 'zod';
import { derivedName, MAX_NAME_AFTER_PREFIX } from './naming.js';

/**
 * The logical column types. Each adapter maps them to its dialect (MySQL: `id` → `BINARY(16)`,
 * `instant` → `DATETIME(6)` UTC, `money` → `BIGINT` minor units, …). There is no float type on purpose:
 * money is integer minor units, durations integer minutes, percentages basis points.
 */
export type ColumnType =
  | { readonly type: 'id' }
  | { readonly type: 'bigintAutoIncrement' }
  | { readonly type: 'int'; readonly unsigned?: boolean }
  | { readonly type: 'smallint'; readonly unsigned?: boolean }
  | { readonly type: 'money' }
  | { readonly type: 'minutes' }
  | { readonly type: 'basisPoints' }
  /** `binary`: compared byte for byte (keys, codes), not by the case- and accent-insensitive collation. */
  | { readonly type: 'text'; readonly length: number; readonly binary?: boolean }
  | { readonly type: 'longText' }
  | { readonly type: 'json' }
  | { readonly type: 'instant' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'bool' };

/** The default "now" of an `instant` column (MySQL: `CURRENT_TIMESTAMP(6)`). */
export interface CurrentInstant {
  readonly kind: 'currentInstant';
}

/** `currentInstant` default marker. @example `col.instant('recorded_at', { default: CURRENT_INSTANT })` */
export const CURRENT_INSTANT: CurrentInstant = Object.freeze({ kind: 'currentInstant' as const });

/** A column default: a literal (text/enum: string, integers: number, bool: boolean) or {@link CURRENT_INSTANT}. */
export type ColumnDefault = string | number | boolean | CurrentInstant;

/** Column settings shared by every type. Columns are `NOT NULL` unless `nullable` is true. */
export interface ColumnOptions {
  readonly nullable?: boolean;
  readonly default?: ColumnDefault;
}

/** One column: a name, a {@link ColumnType} and its options. */
export type Column = ColumnType & ColumnOptions & { readonly name: string };

/** A named index or unique key over columns, in order. */
export interface IndexDef {
  readonly name: string;
  readonly columns: readonly string[];
}

/** Creates a table (utf8mb4, InnoDB on MySQL) with its primary key, unique keys and indexes. */
export interface CreateTable {
  readonly op: 'createTable';
  readonly table: string;
  readonly columns: readonly Column[];
  readonly primaryKey: readonly string[];
  readonly uniques?: readonly IndexDef[];
  readonly indexes?: readonly IndexDef[];
}

/** Adds a column at the end of a table (MySQL: `ALGORITHM=INSTANT`). It must be nullable or have a default. */
export interface AddColumn {
  readonly op: 'addColumn';
  readonly table: string;
  readonly column: Column;
}

/** Adds a non-unique index (MySQL: `ALGORITHM=INPLACE, LOCK=NONE`). */
export interface AddIndex {
  readonly op: 'addIndex';
  readonly table: string;
  readonly index: IndexDef;
}

/** Adds a unique key (MySQL: `ALGORITHM=INPLACE, LOCK=NONE`). */
export interface AddUnique {
  readonly op: 'addUnique';
  readonly table: string;
  readonly index: IndexDef;
}

/**
 * Makes a table append-only for one kind of change: a `BEFORE UPDATE` or `BEFORE DELETE` trigger named
 * `<prefix>` + {@link guardTriggerName} (`<table>_no_<event>`) that signals SQLSTATE 45000. It also stops REPLACE and
 * `ON DUPLICATE KEY UPDATE`; only privileges stop TRUNCATE and DROP.
 */
export interface AppendOnlyGuard {
  readonly op: 'appendOnlyGuard';
  readonly table: string;
  readonly event: 'update' | 'delete';
}

/**
 * Freezes columns of a table's rows: a `BEFORE UPDATE` trigger named `<prefix><table>_<name>` that refuses
 * (MySQL: SQLSTATE 45000; SQLite: `RAISE(ABORT)`) an UPDATE changing any of `columns` (NULL-safe: NULL
 * to NULL is no change), only for rows whose **old** `when.column` is one of `when.values` when `when`
 * is given (a quote once accepted, a time entry once submitted). It also stops REPLACE (a delete guard
 * is still needed for that) and `ON DUPLICATE KEY UPDATE` / `ON CONFLICT DO UPDATE`; the other columns
 * (the state, the optimistic version) keep changing.
 */
export interface FrozenColumnsGuard {
  readonly op: 'frozenColumnsGuard';
  readonly table: string;
  /** The trigger's name after the table: {@link frozenTriggerName}, `<table>_<name>` (unique in the schema). */
  readonly name: string;
  readonly columns: readonly string[];
  readonly when?: { readonly column: string; readonly values: readonly string[] };
  /**
   * JSON array columns that may only grow at their end: an UPDATE may append elements, never change,
   * remove or reorder one already there (an aggregate's history kept in its state row, e.g. an article's
   * versions). Checked on the column's text: the new text must start with the old one up to its closing
   * `]` and go on with `,` or `]` — exact because the stored text of an element never changes (MySQL and
   * SQLite keep the written text; PostgreSQL's `jsonb` prints each value the same way every time).
   */
  readonly appendOnly?: readonly string[];
}

/**
 * Renames a table (MySQL/MariaDB: `RENAME TABLE`; SQLite and PostgreSQL: `ALTER TABLE … RENAME TO`). Its
 * rows, columns, keys and guards move with it; the triggers and indexes keep the names they were made
 * with (the model remembers them, so `verify` expects them), and the old name stays taken by them: no
 * table may be created or renamed to it later.
 */
export interface RenameTable {
  readonly op: 'renameTable';
  /** The table's current name. */
  readonly table: string;
  /** Its new name. */
  readonly to: string;
}

/**
 * Widens an enum column: `values` is its new full list, the current values in the same order with new
 * ones appended (the model refuses a removed or reordered value: stored rows would lose theirs).
 * Nullability and default stay as they are. MySQL/MariaDB: `ALTER TABLE … MODIFY COLUMN … ENUM(…)`,
 * instant; PostgreSQL: the column's CHECK dropped and re-added in one `ALTER TABLE`; SQLite, whose CHECK
 * cannot be altered: the table rebuilt (new table, copy, drop, rename, indexes and triggers re-created).
 * The compilers need the schema before the operation (its table and column).
 */
export interface WidenEnum {
  readonly op: 'widenEnum';
  readonly table: string;
  readonly column: string;
  /** The column's new full value list: the current values, in order, then the new ones. */
  readonly values: readonly string[];
}

/** What a backfill writes: a literal or the value of another column of the same row. */
export type BackfillValue =
  | { readonly kind: 'value'; readonly value: string | number | boolean }
  | { readonly kind: 'copyColumn'; readonly column: string };

/**
 * A data step: fills `column` where it is still NULL, so it is idempotent and never overwrites a value
 * (historical data stays as it was). Typically follows an `addColumn` of a nullable column.
 */
export interface Backfill {
  readonly op: 'backfill';
  readonly table: string;
  readonly column: string;
  readonly value: BackfillValue;
  /** Why the rows get this value, for the plan and the journal. */
  readonly description: string;
}

/**
 * A data step: a data move that SQL cannot express portably (JSON documents into rows, on three
 * databases), written as TypeScript over the persistence seam and registered by `step` in
 * `@pet-ops/sql`'s data-step registry (`registerDataStep`). It changes no schema. Each compiler turns it
 * into a marker text, `-- data step <step>: <description>`, which is checksummed like any statement
 * (so renaming the step or changing its description is tampering) but never sent to the database: the
 * engines run the registered step in its place and journal it like a statement. An unregistered step
 * stops the run before anything of its migration runs.
 *
 * **Contract: a step is idempotent.** An interrupted step is re-run from its start (MySQL/MariaDB keep
 * whatever it wrote before the failure; PostgreSQL and SQLite roll the whole migration back), so a
 * second run must finish the work without writing anything twice (insert only what is missing, update
 * only what still has its old value).
 */
export interface DataStepOperation {
  readonly op: 'dataStep';
  /** The registry key, `^[a-z0-9_]+$`. */
  readonly step: string;
  /** What the step does, one line, for the plan and the journal. */
  readonly description: string;
}

/**
 * One migration step. Every schema operation compiles to exactly one SQL statement; a
 * {@link DataStepOperation} compiles to one marker that the engine runs as TypeScript.
 */
export type Operation =
  | CreateTable
  | AddColumn
  | AddIndex
  | AddUnique
  | AppendOnlyGuard
  | FrozenColumnsGuard
  | Backfill
  | DataStepOperation
  | RenameTable
  | WidenEnum;

/**
 * Longest table name: a prefix of at most 20 characters (`MAX_PREFIX_LENGTH`) plus the name must fit
 * MySQL's 64-character identifiers. Trigger names derived from it fit too ({@link guardTriggerName}).
 *
 * @example
 * ```ts
 * operationSchema.safeParse({ ...op, table: 'x'.repeat(MAX_TABLE_NAME_LENGTH + 1) }).success; // false
 * ```
 */
export const MAX_TABLE_NAME_LENGTH: number = MAX_NAME_AFTER_PREFIX;
/**
 * Largest index key InnoDB accepts (DYNAMIC rows), in bytes.
 *
 * @example `indexKeyBytes(col.text('code', 32)) <= MAX_INDEX_KEY_BYTES` → `true` (130 bytes)
 */
export const MAX_INDEX_KEY_BYTES = 3072;

const IDENT_RE = /^[a-z][a-z0-9_]*$/;
const ENUM_VALUE_RE = /^[A-Za-z0-9_.-]{1,64}$/;
// Quotes and backslashes are refused so a literal means the same in every SQL mode and dialect.
const isSafeLiteral = (s: string): boolean => !/['"\\]/.test(s) && !s.includes(String.fromCharCode(0));

const tableName = z
  .string()
  .max(MAX_TABLE_NAME_LENGTH, `must be at most ${MAX_TABLE_NAME_LENGTH} characters`)
  .regex(IDENT_RE, 'must match ^[a-z][a-z0-9_]*$');
const identifier = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(IDENT_RE, 'must match ^[a-z][a-z0-9_]*$');

const currentInstantSchema = z.object({ kind: z.literal('currentInstant') });
const defaultSchema = z.union([
  z.string().max(255).refine(isSafeLiteral, 'must not contain quotes, backslashes or NUL'),
  z.number().int('must be an integer'),
  z.boolean(),
  currentInstantSchema,
]);

const options = { name: identifier, nullable: z.boolean().optional(), default: defaultSchema.optional() };

const columnShape = z.discriminatedUnion('type', [
  z.object({ type: z.literal('id'), ...options }),
  z.object({ type: z.literal('bigintAutoIncrement'), ...options }),
  z.object({ type: z.literal('int'), unsigned: z.boolean().optional(), ...options }),
  z.object({ type: z.literal('smallint'), unsigned: z.boolean().optional(), ...options }),
  z.object({ type: z.literal('money'), ...options }),
  z.object({ type: z.literal('minutes'), ...options }),
  z.object({ type: z.literal('basisPoints'), ...options }),
  z.object({
    type: z.literal('text'),
    length: z.number().int().min(1).max(16383),
    binary: z.boolean().optional(),
    ...options,
  }),
  z.object({ type: z.literal('longText'), ...options }),
  z.object({ type: z.literal('json'), ...options }),
  z.object({ type: z.literal('instant'), ...options }),
  z.object({
    type: z.literal('enum'),
    values: z
      .array(z.string().regex(ENUM_VALUE_RE, 'must match ^[A-Za-z0-9_.-]{1,64}$'))
      .min(1)
      .max(255)
      .refine((v) => new Set(v).size === v.length, 'must not repeat a value'),
    ...options,
  }),
  z.object({ type: z.literal('bool'), ...options }),
]);

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int: [-2147483648, 2147483647],
  intUnsigned: [0, 4294967295],
  smallint: [-32768, 32767],
  smallintUnsigned: [0, 65535],
  money: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  minutes: [-2147483648, 2147483647],
  basisPoints: [-2147483648, 2147483647],
};

/** Why a column's default does not fit its type, or `undefined` when it fits. @example `defaultIssue(col.bool('on', { default: 1 }))` → `'a bool default must be true or false'` */
export function defaultIssue(column: Column): string | undefined {
  const d = column.default;
  if (d === undefined) return undefined;
  switch (column.type) {
    case 'id':
    case 'bigintAutoIncrement':
    case 'json':
    case 'longText':
      // MySQL accepts JSON/TEXT defaults only as expressions; ids are generated by the application.
      return `a ${column.type} column cannot have a default`;
    case 'instant':
      return typeof d === 'object' ? undefined : 'an instant default must be CURRENT_INSTANT';
    case 'bool':
      return typeof d === 'boolean' ? undefined : 'a bool default must be true or false';
    case 'text':
      if (typeof d !== 'string') return 'a text default must be a string';
      return d.length <= column.length ? undefined : `must fit the column length ${column.length}`;
    case 'enum':
      return typeof d === 'string' && column.values.includes(d)
        ? undefined
        : `must be one of ${column.values.join(', ')}`;
    default: {
      if (typeof d !== 'number') return `a ${column.type} default must be an integer`;
      const key =
        (column.type === 'int' || column.type === 'smallint') && column.unsigned === true
          ? `${column.type}Unsigned`
          : column.type;
      const [min, max] = INT_RANGES[key] ?? [0, 0];
      return d >= min && d <= max ? undefined : `must be between ${min} and ${max}`;
    }
  }
}

/**
 * Zod schema of a {@link Column}, including default/type compatibility.
 *
 * @example `columnSchema.safeParse(col.bool('active', { default: 'yes' })).success` → `false`
 */
export const columnSchema: z.ZodType<Column> = columnShape.superRefine((c, ctx) => {
  const col = c as Column;
  const issue = defaultIssue(col);
  if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue, path: ['default'] });
  if (col.type === 'bigintAutoIncrement' && col.nullable === true) {
    ctx.addIssue({
      code: 'custom',
      message: 'an auto-increment column cannot be nullable',
      path: ['nullable'],
    });
  }
}) as unknown as z.ZodType<Column>;

const indexSchema = z.object({
  name: identifier.refine((n) => n !== 'primary', 'must not be "primary"'),
  columns: z
    .array(identifier)
    .min(1)
    .max(16)
    .refine((c) => new Set(c).size === c.length, 'must not repeat a column'),
});

/** Bytes a column adds to an index key (utf8mb4: 4 bytes per character), or `undefined` when not indexable. @example `indexKeyBytes(col.text('code', 32))` → 130 */
export function indexKeyBytes(column: Column): number | undefined {
  switch (column.type) {
    case 'id':
      return 16;
    case 'bigintAutoIncrement':
    case 'money':
    case 'instant':
      return 8;
    case 'int':
    case 'minutes':
    case 'basisPoints':
      return 4;
    case 'smallint':
    case 'enum':
      return 2;
    case 'bool':
      return 1;
    case 'text':
      return column.length * 4 + 2;
    case 'json':
    case 'longText':
      return undefined;
  }
}

/** Why an index does not fit the given columns, or `undefined` when it does. @example `indexIssue({ name: 'ix', columns: ['doc'] }, [col.json('doc')])` → `'column doc (json) cannot be indexed'` */
export function indexIssue(index: IndexDef, columns: readonly Column[]): string | undefined {
  let bytes = 0;
  for (const name of index.columns) {
    const column = columns.find((c) => c.name === name);
    if (column === undefined) return `column ${name} does not exist`;
    const b = indexKeyBytes(column);
    if (b === undefined) return `column ${name} (${column.type}) cannot be indexed`;
    bytes += b;
  }
  return bytes <= MAX_INDEX_KEY_BYTES
    ? undefined
    : `key is ${bytes} bytes, more than InnoDB's ${MAX_INDEX_KEY_BYTES}`;
}

const createTableSchema = z
  .object({
    op: z.literal('createTable'),
    table: tableName,
    columns: z.array(columnSchema).min(1).max(200),
    primaryKey: z.array(identifier).min(1).max(16),
    uniques: z.array(indexSchema).optional(),
    indexes: z.array(indexSchema).optional(),
  })
  .superRefine((t, ctx) => {
    const columns = t.columns as readonly Column[];
    const names = columns.map((c) => c.name);
    if (new Set(names).size !== names.length) {
      ctx.addIssue({ code: 'custom', message: 'must not repeat a column name', path: ['columns'] });
    }
    const pkIssue = indexIssue({ name: 'primary', columns: t.primaryKey }, columns);
    if (pkIssue !== undefined) ctx.addIssue({ code: 'custom', message: pkIssue, path: ['primaryKey'] });
    t.primaryKey.forEach((name, i) => {
      if (columns.find((c) => c.name === name)?.nullable === true) {
        ctx.addIssue({ code: 'custom', message: `${name} is nullable`, path: ['primaryKey', i] });
      }
    });
    const auto = columns.filter((c) => c.type === 'bigintAutoIncrement');
    if (auto.length > 1) {
      ctx.addIssue({ code: 'custom', message: 'at most one auto-increment column', path: ['columns'] });
    }
    if (auto.length === 1 && t.primaryKey[0] !== auto[0]?.name) {
      ctx.addIssue({
        code: 'custom',
        message: 'the auto-increment column must be the first primary key column',
        path: ['primaryKey'],
      });
    }
    const keys = [...(t.uniques ?? []), ...(t.indexes ?? [])];
    const keyNames = keys.map((k) => k.name);
    if (new Set(keyNames).size !== keyNames.length) {
      ctx.addIssue({ code: 'custom', message: 'must not repeat an index name', path: ['indexes'] });
    }
    for (const [field, list] of [
      ['uniques', t.uniques ?? []],
      ['indexes', t.indexes ?? []],
    ] as const) {
      list.forEach((k, i) => {
        const issue = indexIssue(k, columns);
        if (issue !== undefined)
          ctx.addIssue({ code: 'custom', message: issue, path: [field, i, 'columns'] });
      });
    }
  });

const addColumnSchema = z
  .object({ op: z.literal('addColumn'), table: tableName, column: columnSchema })
  .superRefine((o, ctx) => {
    const c = o.column as Column;
    if (c.type === 'bigintAutoIncrement') {
      ctx.addIssue({
        code: 'custom',
        message: 'an auto-increment column can only be created with its table',
        path: ['column', 'type'],
      });
    }
    if (c.nullable !== true && c.default === undefined) {
      // Existing rows would get an implicit value (0, '', zero bytes) that nobody chose.
      ctx.addIssue({
        code: 'custom',
        message: 'an added column must be nullable or have a default',
        path: ['column', 'nullable'],
      });
    }
  });

const addIndexSchema = z.object({ op: z.literal('addIndex'), table: tableName, index: indexSchema });
const addUniqueSchema = z.object({ op: z.literal('addUnique'), table: tableName, index: indexSchema });
const guardSchema = z.object({
  op: z.literal('appendOnlyGuard'),
  table: tableName,
  event: z.enum(['update', 'delete']),
});
const renameTableSchema = z
  .object({ op: z.literal('renameTable'), table: tableName, to: tableName })
  .refine((o) => o.table !== o.to, { message: 'must differ from table', path: ['to'] });
const frozenSchema = z.object({
  op: z.literal('frozenColumnsGuard'),
  table: tableName,
  name: identifier,
  columns: z
    .array(identifier)
    .min(1)
    .max(200)
    .refine((c) => new Set(c).size === c.length, 'must not repeat a column'),
  when: z
    .object({
      column: identifier,
      values: z
        .array(z.string().regex(ENUM_VALUE_RE, 'must match ^[A-Za-z0-9_.-]{1,64}$'))
        .min(1)
        .max(255)
        .refine((v) => new Set(v).size === v.length, 'must not repeat a value'),
    })
    .optional(),
  appendOnly: z
    .array(identifier)
    .min(1)
    .max(50)
    .refine((c) => new Set(c).size === c.length, 'must not repeat a column')
    .optional(),
});
const enumValues = z
  .array(z.string().regex(ENUM_VALUE_RE, 'must match ^[A-Za-z0-9_.-]{1,64}$'))
  .min(1)
  .max(255)
  .refine((v) => new Set(v).size === v.length, 'must not repeat a value');
const widenEnumSchema = z.object({
  op: z.literal('widenEnum'),
  table: tableName,
  column: identifier,
  values: enumValues,
});
const backfillSchema = z.object({
  op: z.literal('backfill'),
  table: tableName,
  column: identifier,
  value: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('value'),
      value: z.union([
        z.string().max(255).refine(isSafeLiteral, 'must not contain quotes, backslashes or NUL'),
        z.number().int('must be an integer').refine(Number.isSafeInteger, 'must be a safe integer'),
        z.boolean(),
      ]),
    }),
    z.object({ kind: z.literal('copyColumn'), column: identifier }),
  ]),
  description: z.string().min(1).max(500),
});

/** Data step names: `^[a-z0-9_]+$`, at most 64 characters. */
const DATA_STEP_RE = /^[a-z0-9_]+$/;
const dataStepSchema = z.object({
  op: z.literal('dataStep'),
  step: z
    .string()
    .min(1)
    .max(64, 'must be at most 64 characters')
    .regex(DATA_STEP_RE, 'must match ^[a-z0-9_]+$'),
  // One line: it becomes a one-line marker (`-- data step <step>: <description>`) in every dialect.
  description: z
    .string()
    .min(1)
    .max(500)
    .refine(
      (d) => !/[\r\n]/.test(d) && !d.includes(String.fromCharCode(0)),
      'must be one line (no line breaks or NUL)',
    ),
});

/**
 * Zod schema of an {@link Operation} (rules within one operation; rules across operations live in the model).
 *
 * @example `operationSchema.parse({ op: 'appendOnlyGuard', table: 'domain_events', event: 'update' })`
 */
export const operationSchema: z.ZodType<Operation> = z.discriminatedUnion('op', [
  createTableSchema,
  addColumnSchema,
  addIndexSchema,
  addUniqueSchema,
  guardSchema,
  frozenSchema,
  backfillSchema,
  dataStepSchema,
  renameTableSchema,
  widenEnumSchema,
]) as unknown as z.ZodType<Operation>;

type Opts = ColumnOptions;
const withOpts = <T extends ColumnType>(name: string, t: T, o: Opts | undefined): Column =>
  ({ name, ...t, ...(o ?? {}) }) as Column;

/**
 * Column builders: plain functions returning plain {@link Column} data.
 *
 * @example
 * ```ts
 * const columns = [col.id('id'), col.text('title', 255), col.money('total'), col.instant('created_at')];
 * ```
 */
export const col: {
  /** A UUID (MySQL `BINARY(16)`). */
  readonly id: (name: string, o?: Opts) => Column;
  /** An unsigned auto-increment 64-bit integer (event positions); never nullable. */
  readonly bigintAutoIncrement: (name: string) => Column;
  /** A 32-bit integer, `unsigned` on request. */
  readonly int: (name: string, o?: Opts & { readonly unsigned?: boolean }) => Column;
  /** A 16-bit integer, `unsigned` on request. */
  readonly smallint: (name: string, o?: Opts & { readonly unsigned?: boolean }) => Column;
  /** An amount in integer minor units (64-bit); the currency lives in its own column. */
  readonly money: (name: string, o?: Opts) => Column;
  /** A duration in whole minutes. */
  readonly minutes: (name: string, o?: Opts) => Column;
  /** A percentage or probability in basis points (1/100 of a percent). */
  readonly basisPoints: (name: string, o?: Opts) => Column;
  /** Text of at most `length` characters (utf8mb4); `binary` compares byte for byte (keys, external ids). */
  readonly text: (name: string, length: number, o?: Opts & { readonly binary?: boolean }) => Column;
  /** Unbounded text (not indexable). */
  readonly longText: (name: string, o?: Opts) => Column;
  /** A JSON document. */
  readonly json: (name: string, o?: Opts) => Column;
  /** A UTC instant with microseconds (MySQL `DATETIME(6)`). */
  readonly instant: (name: string, o?: Opts) => Column;
  /** One of a fixed list of values; adding a value is a new migration. */
  readonly enum: (name: string, values: readonly string[], o?: Opts) => Column;
  /** A boolean. */
  readonly bool: (name: string, o?: Opts) => Column;
} = {
  id: (name, o) => withOpts(name, { type: 'id' }, o),
  bigintAutoIncrement: (name) => ({ name, type: 'bigintAutoIncrement' }),
  int: (name, o) => withOpts(name, { type: 'int' }, o),
  smallint: (name, o) => withOpts(name, { type: 'smallint' }, o),
  money: (name, o) => withOpts(name, { type: 'money' }, o),
  minutes: (name, o) => withOpts(name, { type: 'minutes' }, o),
  basisPoints: (name, o) => withOpts(name, { type: 'basisPoints' }, o),
  text: (name, length, o) => withOpts(name, { type: 'text', length }, o),
  longText: (name, o) => withOpts(name, { type: 'longText' }, o),
  json: (name, o) => withOpts(name, { type: 'json' }, o),
  instant: (name, o) => withOpts(name, { type: 'instant' }, o),
  enum: (name, values, o) => withOpts(name, { type: 'enum', values }, o),
  bool: (name, o) => withOpts(name, { type: 'bool' }, o),
};

/**
 * Both append-only guards (UPDATE and DELETE) of a table, as two operations (one trigger each).
 *
 * @example
 * ```ts
 * operations: [createDomainEvents, ...appendOnlyGuards('domain_events')]
 * ```
 */
export function appendOnlyGuards(table: string): readonly [AppendOnlyGuard, AppendOnlyGuard] {
  return [
    { op: 'appendOnlyGuard', table, event: 'update' },
    { op: 'appendOnlyGuard', table, event: 'delete' },
  ];
}

/**
 * The trigger name of a guard, without the table prefix: `<table>_no_<event>`, or its head and a hash
 * when longer than 44 characters ({@link derivedName}), so `<prefix><trigger>` fits 64 for any table name
 * and any prefix up to 20 characters. `table` is the name the table had when the guard was made (a
 * `renameTable` keeps trigger names).
 *
 * @example `guardTriggerName('domain_events', 'update')` → `'domain_events_no_update'`
 */
export function guardTriggerName(table: string, event: 'update' | 'delete'): string {
  return derivedName(`${table}_no_${event}`);
}

/**
 * The trigger name of a {@link FrozenColumnsGuard}, without the table prefix: `<table>_<name>`, or its
 * head and a hash when longer than 44 characters ({@link derivedName}).
 *
 * @example `frozenTriggerName('sales', 'frozen')` → `'sales_frozen'`
 */
export function frozenTriggerName(table: string, name: string): string {
  return derivedName(`${table}_${name}`);
}

/**
 * The marker text every compiler gives a {@link DataStepOperation}: one SQL comment line naming the step
 * and its description. Its checksum covers both; the engines run the registered step instead of it.
 *
 * @example
 * ```ts
 * dataStepMarker({ op: 'dataStep', step: 'quote_content_rows', description: 'quote versions as rows' });
 * // '-- data step quote_content_rows: quote versions as rows'
 * ```
 */
export function dataStepMarker(op: DataStepOperation): string {
  return `-- data step ${op.step}: ${op.description}`;
}
