import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  diffPhysicalSchemas,
  type PhysicalColumn,
  type PhysicalObject,
  type PhysicalSchema,
  type PhysicalTable,
} from './verify-schema.js';

const column = (name: string, type = 'int', nullable = false, dflt = '(none)'): PhysicalColumn => ({
  name,
  properties: [
    ['type', type],
    ['nullable', String(nullable)],
    ['default', dflt],
  ],
});

const base: PhysicalTable = {
  name: 'p_quotes',
  columns: [column('id', 'uuid'), column('state', 'text', false, "'draft'"), column('note', 'text', true)],
  indexes: [
    { name: 'PRIMARY', definition: 'PRIMARY (id)' },
    { name: 'ix_state', definition: '(state)' },
  ],
  triggers: [{ name: 'p_quotes_no_delete', definition: 'BEFORE DELETE' }],
};
const schema = (...tables: PhysicalTable[]): PhysicalSchema => ({ tables });
const diff = (expected: PhysicalTable, actual: PhysicalTable) =>
  diffPhysicalSchemas(schema(expected), schema(actual)).map((d) => [
    d.kind,
    d.name ?? null,
    d.property ?? null,
  ]);
const withColumn = (t: PhysicalTable, name: string, change: (c: PhysicalColumn) => PhysicalColumn) => ({
  ...t,
  columns: t.columns.map((c) => (c.name === name ? change(c) : c)),
});

describe('diffPhysicalSchemas: one kind of difference at a time', () => {
  test('given identical schemas, then there is no difference', () => {
    expect(diffPhysicalSchemas(schema(base), schema(base))).toEqual([]);
  });

  test('given a table the live schema lacks, then one missing_table naming it', () => {
    expect(diffPhysicalSchemas(schema(base), schema())).toEqual([
      { kind: 'missing_table', table: 'p_quotes', message: 'table p_quotes is missing' },
    ]);
  });

  test('given a live table the migrations do not make, then one extra_table naming it', () => {
    const other = { ...base, name: 'p_other' };
    expect(diffPhysicalSchemas(schema(base), schema(base, other))).toEqual([
      { kind: 'extra_table', table: 'p_other', message: 'table p_other is not in the migrations' },
    ]);
  });

  test('given a column missing from the live table, then one missing_column', () => {
    const live = { ...base, columns: base.columns.filter((c) => c.name !== 'note') };
    expect(diff(base, live)).toEqual([['missing_column', 'note', null]]);
  });

  test('given a column added by hand, then one extra_column', () => {
    const live = { ...base, columns: [...base.columns, column('nickname', 'text', true)] };
    expect(diffPhysicalSchemas(schema(base), schema(live))).toEqual([
      {
        kind: 'extra_column',
        table: 'p_quotes',
        name: 'nickname',
        message: 'column p_quotes.nickname is not in the migrations',
      },
    ]);
  });

  test('given a column whose type changed, then one column_mismatch on type with expected and actual', () => {
    const live = withColumn(base, 'id', () => column('id', 'text'));
    expect(diffPhysicalSchemas(schema(base), schema(live))).toEqual([
      {
        kind: 'column_mismatch',
        table: 'p_quotes',
        name: 'id',
        property: 'type',
        expected: 'uuid',
        actual: 'text',
        message: 'column p_quotes.id: type is text, expected uuid',
      },
    ]);
  });

  test('given a column made nullable, then one column_mismatch on nullable', () => {
    const live = withColumn(base, 'state', () => column('state', 'text', true, "'draft'"));
    expect(diff(base, live)).toEqual([['column_mismatch', 'state', 'nullable']]);
  });

  test('given a default dropped, then one column_mismatch on default, (none) as the actual value', () => {
    const live = withColumn(base, 'state', () => column('state', 'text', false));
    const [d] = diffPhysicalSchemas(schema(base), schema(live));
    expect(d).toMatchObject({
      kind: 'column_mismatch',
      property: 'default',
      expected: "'draft'",
      actual: '(none)',
    });
  });

  test('given a property the live side does not report, then it reads as (none)', () => {
    const live = withColumn(base, 'state', (c) => ({ ...c, properties: c.properties.slice(0, 2) }));
    expect(diffPhysicalSchemas(schema(base), schema(live))).toMatchObject([
      { kind: 'column_mismatch', name: 'state', property: 'default', expected: "'draft'", actual: '(none)' },
    ]);
  });

  test('given several properties changed on one column, then one column_mismatch each, in property order', () => {
    const live = withColumn(base, 'state', () => column('state', 'varchar(5)', true, '(none)'));
    expect(diff(base, live)).toEqual([
      ['column_mismatch', 'state', 'type'],
      ['column_mismatch', 'state', 'nullable'],
      ['column_mismatch', 'state', 'default'],
    ]);
  });

  const withIndexes = (indexes: PhysicalObject[]): PhysicalTable => ({ ...base, indexes });

  test('given an index dropped by hand, then one missing_index', () => {
    expect(diff(base, withIndexes([base.indexes[0] as PhysicalObject]))).toEqual([
      ['missing_index', 'ix_state', null],
    ]);
  });

  test('given an index added by hand, then one extra_index', () => {
    const live = withIndexes([...base.indexes, { name: 'ix_note', definition: '(note)' }]);
    expect(diff(base, live)).toEqual([['extra_index', 'ix_note', null]]);
  });

  test('given an index over other columns, then one index_mismatch with both definitions', () => {
    const live = withIndexes([
      base.indexes[0] as PhysicalObject,
      { name: 'ix_state', definition: '(state, note)' },
    ]);
    expect(diffPhysicalSchemas(schema(base), schema(live))).toEqual([
      {
        kind: 'index_mismatch',
        table: 'p_quotes',
        name: 'ix_state',
        expected: '(state)',
        actual: '(state, note)',
        message: 'index ix_state on p_quotes is (state, note), expected (state)',
      },
    ]);
  });

  test('given an index made unique, then one index_mismatch', () => {
    const live = withIndexes([
      base.indexes[0] as PhysicalObject,
      { name: 'ix_state', definition: 'UNIQUE (state)' },
    ]);
    expect(diff(base, live)).toEqual([['index_mismatch', 'ix_state', null]]);
  });

  test('given a trigger dropped, one added and one changed, then missing_trigger, trigger_mismatch and extra_trigger', () => {
    const expected = {
      ...base,
      triggers: [...base.triggers, { name: 'p_quotes_frozen', definition: 'BEFORE UPDATE' }],
    };
    const live = {
      ...base,
      triggers: [
        { name: 'p_quotes_frozen', definition: 'AFTER UPDATE' },
        { name: 'p_quotes_audit', definition: 'AFTER INSERT' },
      ],
    };
    expect(diff(expected, live)).toEqual([
      ['missing_trigger', 'p_quotes_no_delete', null],
      ['trigger_mismatch', 'p_quotes_frozen', null],
      ['extra_trigger', 'p_quotes_audit', null],
    ]);
  });

  test('given a missing table, then its columns are not listed one by one', () => {
    const other = { ...base, name: 'p_other' };
    expect(diffPhysicalSchemas(schema(base, other), schema(base)).map((d) => d.kind)).toEqual([
      'missing_table',
    ]);
  });
});

// Foreign keys are not part of PhysicalTable (PET declares none), so no difference kind covers them.

const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const arbColumn: fc.Arbitrary<PhysicalColumn> = fc.record({
  name: ident,
  properties: fc
    .tuple(
      fc.constantFrom('int', 'bigint', 'text', 'uuid', 'varchar(10)'),
      fc.boolean(),
      fc.constantFrom('(none)', '0', "'x'"),
    )
    .map(
      ([type, nullable, dflt]) =>
        [
          ['type', type],
          ['nullable', String(nullable)],
          ['default', dflt],
        ] as const,
    ),
});
const arbObject: fc.Arbitrary<PhysicalObject> = fc.record({
  name: ident,
  definition: fc.constantFrom('(a)', 'UNIQUE (a, b)', 'BEFORE DELETE'),
});
const arbTable: fc.Arbitrary<PhysicalTable> = fc.record({
  name: ident,
  columns: fc.uniqueArray(arbColumn, { selector: (c) => c.name, maxLength: 6 }),
  indexes: fc.uniqueArray(arbObject, { selector: (i) => i.name, maxLength: 3 }),
  triggers: fc.uniqueArray(arbObject, { selector: (t) => t.name, maxLength: 2 }),
});
const arbSchema: fc.Arbitrary<PhysicalSchema> = fc
  .uniqueArray(arbTable, { selector: (t) => t.name, maxLength: 4 })
  .map((tables) => ({ tables }));

describe('diffPhysicalSchemas: properties', () => {
  test.prop([arbSchema])('a schema diffed with itself is clean', (s) => {
    expect(diffPhysicalSchemas(s, s)).toEqual([]);
  });

  test.prop([arbSchema.filter((s) => s.tables.length > 0), fc.nat(), arbColumn])(
    'one column added to one table is exactly one difference naming it: extra on the live side, missing on the expected side',
    (s, ti, added) => {
      const t = s.tables[ti % s.tables.length] as PhysicalTable;
      fc.pre(!t.columns.some((c) => c.name === added.name));
      const more = {
        tables: s.tables.map((x) => (x === t ? { ...x, columns: [...x.columns, added] } : x)),
      };
      expect(diffPhysicalSchemas(s, more).map((d) => [d.kind, d.table, d.name])).toEqual([
        ['extra_column', t.name, added.name],
      ]);
      expect(diffPhysicalSchemas(more, s).map((d) => [d.kind, d.table, d.name])).toEqual([
        ['missing_column', t.name, added.name],
      ]);
    },
  );
});
