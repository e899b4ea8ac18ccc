import { isPetError } from '@pet-ops/core';
import { describeJournalProblem, expectedSchema, type SchemaModel } from '@pet-ops/migrations';
import type { AnyDatabase, PetDialect } from './dialect.js';
import type { ResumableHooks } from './migrate-resumable.js';
import { type JournalReading, readJournalState, type SchemaReadOptions } from './migrate-status.js';

/** A column as a database shows it: its comparable properties, in the order drifts report them. */
export interface PhysicalColumn {
  readonly name: string;
  /** `[property, value]` pairs (`type`, `nullable`, `default`, …), each value already normalised to text. */
  readonly properties: readonly (readonly [string, string])[];
}

/** An index or a trigger: its name and one comparable text of its definition. */
export interface PhysicalObject {
  readonly name: string;
  readonly definition: string;
}

/** One table as a database shows it (prefixed name). */
export interface PhysicalTable {
  readonly name: string;
  readonly columns: readonly PhysicalColumn[];
  readonly indexes: readonly PhysicalObject[];
  readonly triggers: readonly PhysicalObject[];
}

/** The tables of one prefix as a database shows them. */
export interface PhysicalSchema {
  readonly tables: readonly PhysicalTable[];
}

/** The kinds of drift {@link verifySchema} reports. */
export type SchemaDriftKind =
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
 * One difference between the schema the journal describes and the live one. `name` is the column, index
 * or trigger; `property` the column property that differs.
 */
export interface SchemaDifference {
  readonly kind: SchemaDriftKind;
  readonly table: string;
  readonly name?: string;
  readonly property?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly message: string;
}

/**
 * What a database supplies to {@link verifySchema}: the logical model as it would show it, and the live
 * tables, both as {@link PhysicalSchema} so one diff compares them. Offered through
 * `PetDialect.migrationHooks` (`schemaShape`) or the `hooks` option.
 */
export interface SchemaShapeHooks {
  /** The tables a logical model makes under the prefix, as this database shows them once created. */
  readonly expected: (model: SchemaModel, prefix: string) => PhysicalSchema;
  /** The live tables whose names start with the prefix, normalised as `expected` writes them. */
  readonly live: (db: AnyDatabase, prefix: string) => Promise<PhysicalSchema>;
}

/** What {@link verifySchema} found. */
export interface SchemaVerification {
  readonly database: string;
  readonly prefix: string;
  /** True when the journal matches the list and (where checked) the live schema is what the journal says. */
  readonly ok: boolean;
  /** False when the dialect offers no {@link SchemaShapeHooks}: only the journal was checked. */
  readonly liveSchemaChecked: boolean;
  readonly drifts: readonly SchemaDifference[];
  /**
   * Where the journal disagrees with the migration list: an applied migration whose checksum, or any of
   * whose step checksums, changed; a step of a partly applied one that changed; a migration the list does
   * not know; a migration never run before an applied one. One message each.
   */
  readonly journal: readonly string[];
}

/**
 * What a database adds to the migration engine, status and verify (`PetDialect.migrationHooks`): the
 * resumable engine's hooks, and how its tables look for {@link verifySchema}. Every part is optional.
 */
export interface MigrationHooks extends ResumableHooks {
  /** The physical shapes {@link verifySchema} compares; without them it checks only the journal. */
  readonly schemaShape?: SchemaShapeHooks;
}

/** Options of {@link verifySchema}. */
export interface VerifySchemaOptions extends Omit<SchemaReadOptions, 'target' | 'hooks'> {
  /** Overrides the dialect's hooks for this call, part by part. */
  readonly hooks?: Pick<MigrationHooks, 'database' | 'recordsEarlierChecksums' | 'schemaShape'>;
}

function drift(
  kind: SchemaDriftKind,
  table: string,
  message: string,
  extra: { name?: string; property?: string; expected?: string; actual?: string } = {},
): SchemaDifference {
  return { kind, table, ...extra, message };
}

function diffColumns(
  table: string,
  expected: readonly PhysicalColumn[],
  actual: readonly PhysicalColumn[],
): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  for (const e of expected) {
    const a = actual.find((c) => c.name === e.name);
    if (a === undefined) {
      out.push(drift('missing_column', table, `column ${table}.${e.name} is missing`, { name: e.name }));
      continue;
    }
    const got = new Map(a.properties);
    for (const [property, want] of e.properties) {
      const value = got.get(property) ?? '(none)';
      if (want !== value) {
        out.push(
          drift(
            'column_mismatch',
            table,
            `column ${table}.${e.name}: ${property} is ${value}, expected ${want}`,
            {
              name: e.name,
              property,
              expected: want,
              actual: value,
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

function diffNamed(
  table: string,
  expected: readonly PhysicalObject[],
  actual: readonly PhysicalObject[],
  what: 'index' | 'trigger',
): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  for (const e of expected) {
    const a = actual.find((x) => x.name === e.name);
    if (a === undefined) {
      out.push(drift(`missing_${what}`, table, `${what} ${e.name} on ${table} is missing`, { name: e.name }));
    } else if (a.definition !== e.definition) {
      out.push(
        drift(
          `${what}_mismatch`,
          table,
          `${what} ${e.name} on ${table} is ${a.definition}, expected ${e.definition}`,
          { name: e.name, expected: e.definition, actual: a.definition },
        ),
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

/**
 * Every drift of one table: missing or extra columns, indexes and triggers, every column property and
 * index or trigger definition that differs. Pure.
 *
 * @example
 * ```ts
 * for (const d of diffPhysicalTable(expected, live)) console.log(d.message);
 * ```
 */
export function diffPhysicalTable(expected: PhysicalTable, actual: PhysicalTable): SchemaDifference[] {
  return [
    ...diffColumns(expected.name, expected.columns, actual.columns),
    ...diffNamed(expected.name, expected.indexes, actual.indexes, 'index'),
    ...diffNamed(expected.name, expected.triggers, actual.triggers, 'trigger'),
  ];
}

/**
 * Every drift between an expected and a live schema: missing or extra tables, then each table's drifts
 * ({@link diffPhysicalTable}). Pure; the same diff for every database.
 *
 * @example
 * ```ts
 * const drifts = diffPhysicalSchemas(hooks.expected(model, 'wp_pet_'), await hooks.live(db, 'wp_pet_'));
 * ```
 */
export function diffPhysicalSchemas(expected: PhysicalSchema, actual: PhysicalSchema): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  for (const e of expected.tables) {
    const a = actual.tables.find((t) => t.name === e.name);
    if (a === undefined) out.push(drift('missing_table', e.name, `table ${e.name} is missing`));
    else out.push(...diffPhysicalTable(e, a));
  }
  for (const a of actual.tables) {
    if (!expected.tables.some((t) => t.name === a.name)) {
      out.push(drift('extra_table', a.name, `table ${a.name} is not in the migrations`));
    }
  }
  return out;
}

/**
 * Every disagreement between the journal (read through earlier checksums) and the list: checksums of
 * applied migrations and of the steps that ran, rows the list does not know, and a migration never run
 * before an applied one.
 */
function journalDrifts(r: JournalReading): string[] {
  const byId = new Map(r.compiled.map((m) => [m.id, m]));
  const out: string[] = [];
  for (const row of r.rows) {
    const m = byId.get(row.id);
    if (m === undefined) {
      out.push(`${row.id} (${row.status}) is in the journal but not in this migration list`);
      continue;
    }
    const applied = row.status === 'applied';
    if (applied && row.checksum !== m.checksum) {
      out.push(`${row.id}: journal checksum ${row.checksum} differs from the code's ${m.checksum}`);
    }
    const ran = applied ? m.stepChecksums.length : row.appliedSteps;
    for (let i = 0; i < Math.max(ran, applied ? row.stepChecksums.length : 0); i++) {
      const recorded = row.stepChecksums[i] ?? '(none)';
      const computed = m.stepChecksums[i] ?? '(none)';
      if (recorded !== computed) {
        out.push(
          `${row.id} statement ${i + 1}: journal checksum ${recorded} differs from the code's ${computed}`,
        );
      }
    }
  }
  if (!r.decision.ok && r.decision.error.kind === 'out_of_order') {
    out.push(describeJournalProblem(r.decision.error));
  }
  return out;
}

/**
 * Compares the live schema with the schema the journal says was applied (the migration list's logical
 * model, step by step up to what each row records) and the journal with the list, and returns every drift.
 * One implementation for every dialect: the dialect supplies only how its tables look
 * ({@link SchemaShapeHooks}, through `migrationHooks` or `options.hooks.schemaShape`); without them only
 * the journal is checked (`liveSchemaChecked: false`). A row the dialect's `recordsEarlierChecksums`
 * recognises is no drift. Writes nothing; driver errors are classified by the dialect.
 *
 * @example
 * ```ts
 * const v = await verifySchema(db, pet, { prefix: 'wp_pet_' });
 * if (!v.ok) for (const d of [...v.journal, ...v.drifts.map((x) => x.message)]) console.error(d);
 * ```
 */
export async function verifySchema(
  db: AnyDatabase,
  dialect: PetDialect,
  options: VerifySchemaOptions,
): Promise<SchemaVerification> {
  const reading = await readJournalState(db, dialect, options, 'verify', { ignoreTarget: true });
  const { prefix } = reading;
  const shape =
    options.hooks?.schemaShape ??
    dialect.migrationHooks?.(db, { prefix, migrations: reading.list }).schemaShape;
  let drifts: SchemaDifference[] = [];
  if (shape !== undefined) {
    const done = new Map(
      reading.rows.map((r) => [r.id, r.status === 'applied' ? r.totalSteps : r.appliedSteps]),
    );
    const model = expectedSchema(reading.list, (id) => done.get(id) ?? 0);
    try {
      drifts = diffPhysicalSchemas(shape.expected(model, prefix), await shape.live(db, prefix));
    } catch (e) {
      throw isPetError(e) ? e : dialect.classifyError(e, 'verify');
    }
  }
  const journal = journalDrifts(reading);
  return {
    database: reading.database,
    prefix,
    ok: drifts.length === 0 && journal.length === 0,
    liveSchemaChecked: shape !== undefined,
    drifts,
    journal,
  };
}
