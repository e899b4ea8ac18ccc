import { describe, expect, test } from 'vitest';
import {
  appendOnlyGuards,
  type Column,
  CURRENT_INSTANT,
  col,
  columnSchema,
  defaultIssue,
  frozenTriggerName,
  guardTriggerName,
  indexIssue,
  type Operation,
  operationSchema,
} from './vocabulary.js';

const rulesOf = (op: unknown): string[] => {
  const r = operationSchema.safeParse(op);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

const table = (over: Partial<Record<string, unknown>> = {}): unknown => ({
  op: 'createTable',
  table: 'things',
  columns: [col.id('id'), col.text('title', 100)],
  primaryKey: ['id'],
  ...over,
});

describe('columns', () => {
  test('given the builders, when parsed, then every logical type is a valid column', () => {
    const columns: Column[] = [
      col.id('a'),
      col.bigintAutoIncrement('b'),
      col.int('c', { unsigned: true, default: 0 }),
      col.smallint('d', { nullable: true }),
      col.money('e', { default: -5 }),
      col.minutes('f'),
      col.basisPoints('g', { default: 10_000 }),
      col.text('h', 191, { default: 'general' }),
      col.longText('i', { nullable: true }),
      col.json('j'),
      col.instant('k', { default: CURRENT_INSTANT }),
      col.enum('l', ['draft', 'sent'], { default: 'draft' }),
      col.bool('m', { default: false }),
    ];
    for (const c of columns) expect(columnSchema.safeParse(c).success, c.name).toBe(true);
  });

  test.each([
    [col.id('a', { default: 'x' }), 'a id column cannot have a default'],
    [col.json('a', { default: '{}' }), 'a json column cannot have a default'],
    [col.instant('a', { default: '2026-01-01' }), 'an instant default must be CURRENT_INSTANT'],
    [col.bool('a', { default: 1 }), 'a bool default must be true or false'],
    [col.text('a', 3, { default: 'long' }), 'must fit the column length 3'],
    [col.enum('a', ['x'], { default: 'y' }), 'must be one of x'],
    [col.int('a', { unsigned: true, default: -1 }), 'must be between 0 and 4294967295'],
    [col.smallint('a', { default: 40_000 }), 'must be between -32768 and 32767'],
    [col.money('a', { default: 'x' }), 'a money default must be an integer'],
  ])('given a default that does not fit, when checked, then the rule is named (%#)', (c, rule) => {
    expect(defaultIssue(c)).toBe(rule);
    expect(columnSchema.safeParse(c).success).toBe(false);
  });

  test('given a literal with a quote, when parsed, then it is refused', () => {
    expect(columnSchema.safeParse(col.text('a', 10, { default: "it's" })).success).toBe(false);
  });

  test('given an upper-case column name, when parsed, then it is refused', () => {
    expect(columnSchema.safeParse(col.id('Id')).success).toBe(false);
  });
});

describe('createTable', () => {
  test('given a well-formed table, when parsed, then it is valid', () => {
    expect(rulesOf(table({ indexes: [{ name: 'ix_title', columns: ['title'] }] }))).toEqual([]);
  });

  test.each([
    [{ table: 'x'.repeat(45) }, 'table: must be at most 44 characters'],
    [{ primaryKey: ['nope'] }, 'primaryKey: column nope does not exist'],
    [{ columns: [col.id('id'), col.id('id')] }, 'columns: must not repeat a column name'],
    [{ columns: [col.id('id', { nullable: true })] }, 'primaryKey.0: id is nullable'],
    [
      { columns: [col.id('id'), col.bigintAutoIncrement('n')] },
      'primaryKey: the auto-increment column must be the first primary key column',
    ],
    [
      { columns: [col.id('id'), col.json('doc')], indexes: [{ name: 'ix', columns: ['doc'] }] },
      'indexes.0.columns: column doc (json) cannot be indexed',
    ],
    [
      { columns: [col.id('id'), col.text('t', 800)], uniques: [{ name: 'uq', columns: ['t'] }] },
      "uniques.0.columns: key is 3202 bytes, more than InnoDB's 3072",
    ],
    [
      {
        uniques: [{ name: 'k', columns: ['id'] }],
        indexes: [{ name: 'k', columns: ['title'] }],
      },
      'indexes: must not repeat an index name',
    ],
  ])('given a broken table, when parsed, then the rule is named (%#)', (over, rule) => {
    expect(rulesOf(table(over))).toContain(rule);
  });
});

describe('other operations', () => {
  test('given an added NOT NULL column without default, when parsed, then it is refused', () => {
    expect(rulesOf({ op: 'addColumn', table: 't', column: col.int('n') })).toEqual([
      'column.nullable: an added column must be nullable or have a default',
    ]);
  });

  test('given an added auto-increment column, when parsed, then it is refused', () => {
    expect(rulesOf({ op: 'addColumn', table: 't', column: col.bigintAutoIncrement('n') })).toContain(
      'column.type: an auto-increment column can only be created with its table',
    );
  });

  test('given a guard on a table name of any valid length, when parsed, then it is valid and its trigger name fits 44', () => {
    for (const n of [22, 23, 44]) {
      const t = 'x'.repeat(n);
      expect(rulesOf({ op: 'appendOnlyGuard', table: t, event: 'update' })).toEqual([]);
      expect(guardTriggerName(t, 'update').length).toBeLessThanOrEqual(44);
    }
    expect(guardTriggerName('kpi_definition_versions', 'delete')).toBe('kpi_definition_versions_no_delete');
    expect(guardTriggerName('x'.repeat(44), 'delete')).toMatch(/^x{35}_[0-9a-f]{8}$/);
  });

  test('given a rename, when parsed, then it needs two different table names', () => {
    expect(rulesOf({ op: 'renameTable', table: 'activity_feed', to: 'activity_feed_projections' })).toEqual(
      [],
    );
    expect(rulesOf({ op: 'renameTable', table: 'a', to: 'a' })).toEqual(['to: must differ from table']);
    expect(rulesOf({ op: 'renameTable', table: 'a', to: 'B' })).toEqual(['to: must match ^[a-z][a-z0-9_]*$']);
  });

  test('given a frozen-columns guard, when parsed, then it is valid with or without a condition', () => {
    const base = { op: 'frozenColumnsGuard', table: 'sales', name: 'frozen', columns: ['sold_value'] };
    expect(rulesOf(base)).toEqual([]);
    expect(rulesOf({ ...base, when: { column: 'state', values: ['accepted', 'rejected'] } })).toEqual([]);
    expect(frozenTriggerName('sales', 'frozen')).toBe('sales_frozen');
    expect(rulesOf({ ...base, table: 'x'.repeat(44), name: 'y'.repeat(60) })).toEqual([]);
    expect(frozenTriggerName('x'.repeat(44), 'y'.repeat(60))).toHaveLength(44);
  });

  test.each<[Record<string, unknown>, string]>([
    [{ columns: [] }, 'columns: Too small'],
    [{ columns: ['a', 'a'] }, 'columns: must not repeat a column'],
    [{ columns: ['A'] }, 'columns.0: must match ^[a-z][a-z0-9_]*$'],
    [{ name: 'Frozen' }, 'name: must match ^[a-z][a-z0-9_]*$'],
    [{ when: { column: 'state', values: [] } }, 'when.values: Too small'],
    [{ when: { column: 'state', values: ["it's"] } }, 'when.values.0: must match ^[A-Za-z0-9_.-]{1,64}$'],
    [{ when: { column: 'state', values: ['a', 'a'] } }, 'when.values: must not repeat a value'],
  ])(
    'given a broken frozen-columns guard, when parsed, then the field and rule are named (%#)',
    (over, rule) => {
      const rules = rulesOf({
        op: 'frozenColumnsGuard',
        table: 't',
        name: 'frozen',
        columns: ['a'],
        ...over,
      });
      expect(rules.some((r) => r.startsWith(rule))).toBe(true);
    },
  );

  test('given appendOnlyGuards, when built, then there is one operation per trigger', () => {
    const ops: readonly Operation[] = appendOnlyGuards('domain_events');
    expect(ops.map((o) => rulesOf(o))).toEqual([[], []]);
    expect(guardTriggerName('domain_events', 'delete')).toBe('domain_events_no_delete');
  });

  test('given a backfill, when parsed, then literals and column copies are accepted', () => {
    const base = { op: 'backfill', table: 't', column: 'c', description: 'old rows are EUR' };
    expect(rulesOf({ ...base, value: { kind: 'value', value: 'EUR' } })).toEqual([]);
    expect(rulesOf({ ...base, value: { kind: 'copyColumn', column: 'd' } })).toEqual([]);
    expect(rulesOf({ ...base, value: { kind: 'value', value: 1.5 } })).not.toEqual([]);
  });

  test('given an index over a missing column, when checked, then the column is named', () => {
    expect(indexIssue({ name: 'ix', columns: ['x'] }, [col.id('id')])).toBe('column x does not exist');
  });
});
