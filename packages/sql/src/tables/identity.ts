import type { Identity, Instant } from '@pet-ops/core';
import { defineStateTable, type StateTable } from '../state-table.js';

const employeeColumns = {
  state: { type: 'enum' },
  first_name: { type: 'text' },
  last_name: { type: 'text' },
  email: { type: 'text' },
  host_user_id: { type: 'text', nullable: true },
  manager_id: { type: 'id', nullable: true },
  hire_date: { type: 'text', nullable: true },
  deactivated_at: { type: 'instant', nullable: true },
  archived_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `employee` aggregate's state table, `<prefix>employees`, declared once for every database (the first
 * declaration on the seam; the other aggregates follow as their persistence moves here).
 *
 * @example
 * ```ts
 * const uow = createUnitOfWork({ dialect, prefix, events, tables: [employeesTable] });
 * await uow.run((scope) => scope.aggregate(aggregateOf(employeesTable)).load(employeeId));
 * ```
 */
export const employeesTable: StateTable<Identity.EmployeeState, typeof employeeColumns> = defineStateTable({
  streamType: 'employee',
  table: 'employees',
  columns: employeeColumns,
  initialState: (): Identity.EmployeeState => ({ status: 'absent' }),
  toRow: (s) => {
    // An absent aggregate is never saved: saving needs events, and every event makes it present.
    if (s.status === 'absent') throw new TypeError('employeesTable.toRow: an absent employee has no row');
    return {
      state: s.status,
      first_name: s.firstName,
      last_name: s.lastName,
      email: s.email,
      host_user_id: s.hostUserId,
      manager_id: s.managerId,
      hire_date: s.hireDate,
      deactivated_at: s.status === 'active' ? null : s.deactivatedAt,
      archived_at: s.status === 'archived' ? s.archivedAt : null,
    };
  },
  fromRow: (r, id) => {
    const details = {
      employeeId: id as Identity.EmployeeId,
      firstName: r.first_name,
      lastName: r.last_name,
      email: r.email,
      hostUserId: r.host_user_id,
      managerId: r.manager_id as Identity.EmployeeId | null,
      hireDate: r.hire_date as Identity.IsoDate | null,
    };
    switch (r.state) {
      case 'archived':
        return {
          ...details,
          status: 'archived',
          deactivatedAt: r.deactivated_at as Instant,
          archivedAt: r.archived_at as Instant,
        };
      case 'inactive':
        return { ...details, status: 'inactive', deactivatedAt: r.deactivated_at as Instant };
      default:
        return { ...details, status: 'active' };
    }
  },
});
