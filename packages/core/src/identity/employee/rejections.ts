import type { Rejection } from '../../kernel/index.js';

/**
 * Why an employee command was refused (stable codes):
 * - `EMPLOYEE_ALREADY_EXISTS` — `create` on an existing employee.
 * - `EMPLOYEE_NOT_FOUND` — any other command before `create`.
 * - `EMPLOYEE_NOT_ACTIVE` — `deactivate` on an employee that is not active.
 * - `EMPLOYEE_NOT_INACTIVE` — `archive` on an employee that is not inactive (deactivate first).
 * - `EMPLOYEE_ARCHIVED` — any change to an archived employee (terminal, immutable).
 * - `EMPLOYEE_MANAGER_NOT_ACTIVE` — the named manager is not an active employee.
 * - `EMPLOYEE_MANAGER_CYCLE` — the employee would manage themself, directly or up the chain.
 * - `EMPLOYEE_HAS_DEPENDANTS` — deactivating/archiving someone who still manages people or teams
 *   (or, for archiving, still has open team memberships).
 * - `EMPLOYEE_FACTS_MISSING` — the application did not load the facts the command needs.
 */
export type EmployeeRejectionCode =
  | 'EMPLOYEE_ALREADY_EXISTS'
  | 'EMPLOYEE_NOT_FOUND'
  | 'EMPLOYEE_NOT_ACTIVE'
  | 'EMPLOYEE_NOT_INACTIVE'
  | 'EMPLOYEE_ARCHIVED'
  | 'EMPLOYEE_MANAGER_NOT_ACTIVE'
  | 'EMPLOYEE_MANAGER_CYCLE'
  | 'EMPLOYEE_HAS_DEPENDANTS'
  | 'EMPLOYEE_FACTS_MISSING';

/** A refused employee command. */
export type EmployeeRejection = Rejection<EmployeeRejectionCode>;

/**
 * Every employee rejection code, for documentation and exhaustive tests.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...EMPLOYEE_REJECTION_CODES].sort());
 * ```
 */
export const EMPLOYEE_REJECTION_CODES: readonly EmployeeRejectionCode[] = [
  'EMPLOYEE_ALREADY_EXISTS',
  'EMPLOYEE_NOT_FOUND',
  'EMPLOYEE_NOT_ACTIVE',
  'EMPLOYEE_NOT_INACTIVE',
  'EMPLOYEE_ARCHIVED',
  'EMPLOYEE_MANAGER_NOT_ACTIVE',
  'EMPLOYEE_MANAGER_CYCLE',
  'EMPLOYEE_HAS_DEPENDANTS',
  'EMPLOYEE_FACTS_MISSING',
];
