import { fc, test } from '@fast-check/vitest';
import type { PhysicalTable } from '@pet-ops/sql';
import { describe, expect } from 'vitest';
import { normaliseColumnType, normaliseDefault } from './introspect.js';
import {
  type ColumnShape,
  diffSchemas,
  physicalColumn,
  physicalIndex,
  physicalTrigger,
  type SchemaShape,
} from './shape.js';

const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const column: fc.Arbitrary<ColumnShape> = fc.record({
  name: ident,
  type: fc.constantFrom('int', 'bigint unsigned', 'varchar(10)', 'json', 'datetime(6)'),
  nullable: fc.boolean(),
  default: fc.option(fc.constantFrom('0', 'x', 'current_timestamp(6)'), { nil: null }),
  autoIncrement: fc.boolean(),
});
const table: fc.Arbitrary<PhysicalTable> = fc.record({
  name: ident,
  columns: fc
    .uniqueArray(column, { selector: (c) => c.name, minLength: 1, maxLength: 5 })
    .map((cs) => cs.map(physicalColumn)),
  indexes: fc
    .uniqueArray(
      fc.record({
        name: ident,
        columns: fc.array(ident, { minLength: 1, maxLength: 3 }),
        unique: fc.boolean(),
      }),
      { selector: (i) => i.name, maxLength: 3 },
    )
    .map((is) => is.map(physicalIndex)),
  triggers: fc
    .uniqueArray(
      fc.record({
        name: ident,
        timing: fc.constant('BEFORE'),
        event: fc.constantFrom('UPDATE', 'DELETE'),
        statement: fc.constant('SIGNAL x'),
      }),
      { selector: (t) => t.name, maxLength: 2 },
    )
    .map((ts) => ts.map(physicalTrigger)),
});
const schema: fc.Arbitrary<SchemaShape> = fc
  .uniqueArray(table, { selector: (t) => t.name, maxLength: 4 })
  .map((tables) => ({ tables }));

describe('diffSchemas', () => {
  test.prop([schema])('a schema has no drift from itself', (s) => {
    expect(diffSchemas(s, s)).toEqual([]);
  });

  test.prop([schema.filter((s) => s.tables.length > 0), fc.nat(), fc.nat()])(
    'removing one column is exactly one missing column, and adding it back by hand is one extra column',
    (s, ti, ci) => {
      const t = s.tables[ti % s.tables.length] as PhysicalTable;
      const c = t.columns[ci % t.columns.length] as PhysicalTable['columns'][number];
      const without: SchemaShape = {
        tables: s.tables.map((x) => (x === t ? { ...x, columns: x.columns.filter((y) => y !== c) } : x)),
      };
      expect(diffSchemas(s, without)).toEqual([
        {
          kind: 'missing_column',
          table: t.name,
          name: c.name,
          message: `column ${t.name}.${c.name} is missing`,
        },
      ]);
      expect(diffSchemas(without, s).map((d) => [d.kind, d.name])).toEqual([['extra_column', c.name]]);
    },
  );

  test.prop([schema.filter((s) => s.tables.length > 0), fc.nat()])(
    'a missing table is one drift, however many columns it had',
    (s, ti) => {
      const t = s.tables[ti % s.tables.length] as PhysicalTable;
      const live = { tables: s.tables.filter((x) => x !== t) };
      expect(diffSchemas(s, live).map((d) => [d.kind, d.table])).toEqual([['missing_table', t.name]]);
    },
  );

  test('a changed column reports each property with expected and actual', () => {
    const c: ColumnShape = { name: 'a', type: 'int', nullable: false, default: null, autoIncrement: false };
    const t = (col: ColumnShape): SchemaShape => ({
      tables: [{ name: 't', columns: [physicalColumn(col)], indexes: [], triggers: [] }],
    });
    expect(diffSchemas(t(c), t({ ...c, type: 'bigint', nullable: true, default: '0' }))).toEqual([
      expect.objectContaining({
        kind: 'column_mismatch',
        property: 'type',
        expected: 'int',
        actual: 'bigint',
      }),
      expect.objectContaining({
        kind: 'column_mismatch',
        property: 'nullable',
        expected: 'false',
        actual: 'true',
      }),
      expect.objectContaining({
        kind: 'column_mismatch',
        property: 'default',
        expected: '(none)',
        actual: '0',
      }),
    ]);
  });
});

describe('normalising information_schema', () => {
  test.each([
    ['bigint(20) unsigned', false, 'bigint unsigned'],
    ['bigint unsigned', false, 'bigint unsigned'],
    ['int(11)', false, 'int'],
    ['smallint(5) unsigned', false, 'smallint unsigned'],
    ['tinyint(1)', false, 'tinyint(1)'],
    ['longtext', true, 'json'],
    ['json', false, 'json'],
    ['longtext', false, 'longtext'],
    ["enum('a','b')", false, "enum('a','b')"],
  ])('COLUMN_TYPE %s (json check: %s) is %s on MySQL and MariaDB alike', (raw, json, normal) => {
    expect(normaliseColumnType(raw, json)).toBe(normal);
  });

  test.each([
    [null, null],
    ['NULL', null],
    ["'draft'", 'draft'],
    ['draft', 'draft'],
    ["'it''s'", "it's"],
    ['current_timestamp(6)', 'current_timestamp(6)'],
    ['CURRENT_TIMESTAMP(6)', 'current_timestamp(6)'],
    ['0', '0'],
  ])('COLUMN_DEFAULT %s is %s', (raw, normal) => {
    expect(normaliseDefault(raw)).toBe(normal);
  });
});
