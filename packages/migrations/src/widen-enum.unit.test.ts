import { describe, expect, it } from 'vitest';
import { migrations } from './list/index.js';
import { applyOperation, EMPTY_SCHEMA, expectedSchema, type SchemaModel, schemaBeforeEach } from './model.js';
import { col, type Operation, operationSchema, type WidenEnum } from './vocabulary.js';

const create: Operation = {
  op: 'createTable',
  table: 't',
  columns: [
    col.id('id'),
    col.enum('state', ['a', 'b'], { default: 'a' }),
    col.enum('kind', ['x'], { nullable: true }),
    col.text('label', 10),
  ],
  primaryKey: ['id'],
  indexes: [{ name: 'ix_state', columns: ['state'] }],
};

const base = ((): SchemaModel => {
  const r = applyOperation(EMPTY_SCHEMA, create);
  if (!r.ok) throw new Error(r.rule);
  return r.model;
})();

const widen = (values: readonly string[], column = 'state', table = 't'): WidenEnum => ({
  op: 'widenEnum',
  table,
  column,
  values,
});
const ruleOf = (op: Operation, model: SchemaModel = base): string => {
  const r = applyOperation(model, op);
  return r.ok ? 'ok' : r.rule;
};

describe('widenEnum', () => {
  it('given a widen op, when parsed, then a valid one passes and bad values or names are refused with the rule', () => {
    expect(operationSchema.safeParse(widen(['a', 'b', 'c'])).success).toBe(true);
    const issues = (op: unknown): string[] => {
      const r = operationSchema.safeParse(op);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues(widen(['a', 'a']))).toEqual(['values: must not repeat a value']);
    expect(issues(widen([]))).toHaveLength(1);
    expect(issues(widen(["it's"]))[0]).toMatch(/^values\.0: must match/);
    expect(issues(widen(['a'], 'State'))[0]).toMatch(/^column: must match/);
    expect(issues(widen(['a'], 'state', 'T'))[0]).toMatch(/^table: must match/);
    expect(issues(widen(Array.from({ length: 256 }, (_, i) => `v${i}`)))).toHaveLength(1);
  });

  it('given an enum column, when widened by appended values, then the model holds the new list and keeps nullability, default and indexes', () => {
    const r = applyOperation(base, widen(['a', 'b', 'c', 'd']));
    expect(r.ok).toBe(true);
    const t = r.ok ? r.model.tables[0] : undefined;
    expect(t?.columns.find((c) => c.name === 'state')).toEqual(
      col.enum('state', ['a', 'b', 'c', 'd'], { default: 'a' }),
    );
    expect(t?.indexes).toEqual(base.tables[0]?.indexes);
    const nullable = applyOperation(base, widen(['x', 'y'], 'kind'));
    expect(nullable.ok && nullable.model.tables[0]?.columns.find((c) => c.name === 'kind')).toEqual(
      col.enum('kind', ['x', 'y'], { nullable: true }),
    );
  });

  it('given a widen, when it removes, reorders or adds nothing, then the model refuses it (stored rows would lose their value)', () => {
    const head = 'values of t.state must start with its current values in order (a, b)';
    expect(ruleOf(widen(['a', 'c']))).toBe(`${head}: a removed or reordered value would orphan stored rows`);
    expect(ruleOf(widen(['b', 'a', 'c']))).toMatch(/^values of t\.state must start with/);
    expect(ruleOf(widen(['c', 'a', 'b']))).toMatch(/^values of t\.state must start with/);
    expect(ruleOf(widen(['a']))).toMatch(/^values of t\.state must start with/);
    expect(ruleOf(widen(['a', 'b']))).toBe('values of t.state must add at least one value');
  });

  it('given a widen, when its table or column is missing or not an enum, then the model names the rule', () => {
    expect(ruleOf(widen(['a'], 'state', 'nope'))).toBe('table nope does not exist');
    expect(ruleOf(widen(['a'], 'nope'))).toBe('column t.nope does not exist');
    expect(ruleOf(widen(['a'], 'label'))).toBe('column t.label is not an enum');
  });

  it('given a frozen guard conditioned on the column, when the column is widened, then the guard stays and can name the new value later', () => {
    const frozen: Operation = {
      op: 'frozenColumnsGuard',
      table: 't',
      name: 'frozen',
      columns: ['label'],
      when: { column: 'state', values: ['b'] },
    };
    const r = applyOperation(base, frozen);
    const after = r.ok ? applyOperation(r.model, widen(['a', 'b', 'c'])) : r;
    expect(after.ok && after.model.tables[0]?.frozen).toEqual([
      { name: 'frozen', columns: ['label'], when: { column: 'state', values: ['b'] } },
    ]);
    expect(
      after.ok
        ? ruleOf({ ...frozen, name: 'frozen_c', when: { column: 'state', values: ['c'] } }, after.model)
        : '',
    ).toBe('ok');
  });

  it('given a list, when the schema before each operation is asked for, then it is the model the earlier operations built', () => {
    const list = [
      { operations: [create] },
      { operations: [widen(['a', 'b', 'c']), widen(['a', 'b', 'c', 'd'])] },
    ];
    const before = schemaBeforeEach(list);
    expect(before[0]?.[0]).toEqual(EMPTY_SCHEMA);
    expect(before[1]?.[0]).toEqual(base);
    expect(before[1]?.[1]?.tables[0]?.columns[1]).toMatchObject({ values: ['a', 'b', 'c'] });
    expect(before[1]?.[1]).toEqual(
      expectedSchema([{ id: 'x', operations: [create, widen(['a', 'b', 'c'])] }]),
    );
  });

  it("given PET's list, then leads.state has converted and kpi_results.scope_type has ticket and sla_tier", () => {
    const head = expectedSchema(migrations);
    const column = (table: string, name: string): unknown =>
      head.tables.find((t) => t.name === table)?.columns.find((c) => c.name === name);
    expect(column('leads', 'state')).toEqual(
      col.enum('state', ['created', 'qualified', 'disqualified', 'archived', 'converted']),
    );
    expect(column('kpi_results', 'scope_type')).toEqual(
      col.enum('scope_type', [
        'employee',
        'team',
        'department',
        'customer',
        'project',
        'org',
        'ticket',
        'sla_tier',
      ]),
    );
  });
});
