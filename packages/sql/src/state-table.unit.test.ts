import { expectedSchema, migrations } from '@pet-ops/migrations';
import { describe, expect, it } from 'vitest';
import { aggregateOf, checkStateTables, defineChildTable, defineStateTable } from './state-table.js';
import { employeesTable, STATE_TABLES } from './tables/index.js';

const model = expectedSchema(migrations);

describe('declared state tables', () => {
  it('every declaration matches the schema the migrations build (no database)', () => {
    expect(STATE_TABLES.length).toBeGreaterThan(0);
    expect(checkStateTables(STATE_TABLES, model)).toEqual([]);
  });

  it('a misnamed, mistyped, wrongly nullable or missing column is reported, naming table and column', () => {
    const wrong = defineStateTable({
      streamType: 'employee',
      table: 'employees',
      columns: {
        state: { type: 'text' },
        first_name: { type: 'text', nullable: true },
        surname: { type: 'text' },
      },
      initialState: () => null,
      toRow: () => ({ state: 'active', first_name: null, surname: 'x' }),
      fromRow: () => null,
    });
    expect(checkStateTables([wrong], model)).toEqual([
      'employees.state: declared text, migrated enum',
      'employees.first_name: declared nullable, migrated the other way',
      'employees.surname: declared but not in the migrated schema',
      'employees.last_name: NOT NULL without a default, but not declared',
      'employees.email: NOT NULL without a default, but not declared',
    ]);
    const nowhere = defineStateTable({
      streamType: 'x',
      table: 'nowhere',
      columns: {},
      initialState: () => 0,
      toRow: () => ({}),
      fromRow: () => 0,
    });
    expect(checkStateTables([nowhere], model)).toEqual(['nowhere: no such table in the migrated schema']);
  });

  it('child tables are checked like state tables, and must declare their id', () => {
    const child = defineChildTable({
      table: 'domain_events',
      columns: { id: { type: 'id' }, event_type: { type: 'int' } },
      rowsOf: () => [],
    });
    const withChild = defineStateTable({ ...employeesTable, children: [child] });
    expect(checkStateTables([withChild], model)).toEqual([
      'domain_events.id: declared but not in the migrated schema',
      'domain_events.event_type: declared int, migrated text',
      'domain_events.event_id: NOT NULL without a default, but not declared',
      'domain_events.schema_version: NOT NULL without a default, but not declared',
      'domain_events.stream_type: NOT NULL without a default, but not declared',
      'domain_events.stream_id: NOT NULL without a default, but not declared',
      'domain_events.stream_version: NOT NULL without a default, but not declared',
      'domain_events.occurred_at: NOT NULL without a default, but not declared',
      'domain_events.actor_type: NOT NULL without a default, but not declared',
      'domain_events.context: NOT NULL without a default, but not declared',
      'domain_events.payload: NOT NULL without a default, but not declared',
    ]);
    expect(() => defineChildTable({ table: 'x', columns: { n: { type: 'int' } }, rowsOf: () => [] })).toThrow(
      /id column/,
    );
  });

  it('id and version cannot be declared: the unit of work manages them', () => {
    expect(() =>
      defineStateTable({
        streamType: 'x',
        table: 'x',
        columns: { version: { type: 'int' } },
        initialState: () => 0,
        toRow: () => ({ version: 1 }),
        fromRow: () => 0,
      }),
    ).toThrow(/version is managed by the unit of work/);
  });

  it('a declared table round-trips a present state through its row, and aggregateOf is stable', () => {
    const state = {
      status: 'inactive' as const,
      employeeId: '01900000-0000-7000-8000-000000000001',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      hostUserId: null,
      managerId: null,
      hireDate: '2026-01-05',
      deactivatedAt: '2026-06-01T00:00:00.000000Z',
    } as Parameters<typeof employeesTable.toRow>[0];
    const row = employeesTable.toRow(state);
    expect(employeesTable.fromRow(row, '01900000-0000-7000-8000-000000000001')).toEqual(state);
    expect(aggregateOf(employeesTable)).toBe(aggregateOf(employeesTable));
  });
});
