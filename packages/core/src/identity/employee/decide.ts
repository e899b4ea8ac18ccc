import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { normalizeEmployeeEmail } from '../fields.js';
import type { EmployeeId } from '../ids.js';
import { type EmployeeCommand, type EmployeeFacts, employeeCommandSchema } from './commands.js';
import type { EmployeeChanges, EmployeeEvent } from './events.js';
import type { EmployeeRejection } from './rejections.js';
import type { EmployeeDetails, EmployeeState } from './state.js';

type Decision = Result<readonly EmployeeEvent[], EmployeeRejection>;

function managerProblem(
  self: EmployeeId,
  managerId: EmployeeId,
  facts: EmployeeFacts | undefined,
): EmployeeRejection | undefined {
  if (managerId === self) {
    return reject('EMPLOYEE_MANAGER_CYCLE', 'an employee cannot manage themself', { managerId });
  }
  const manager = facts?.manager;
  if (manager === undefined || manager.employeeId !== managerId) {
    return reject('EMPLOYEE_FACTS_MISSING', 'the proposed manager was not loaded', {
      fact: 'manager',
      managerId,
    });
  }
  if (manager.status !== 'active') {
    return reject('EMPLOYEE_MANAGER_NOT_ACTIVE', 'the manager must be an active employee', {
      managerId,
      status: manager.status,
    });
  }
  if (manager.managerChain.includes(self)) {
    return reject('EMPLOYEE_MANAGER_CYCLE', 'the manager already reports to this employee', {
      managerId,
      managerChain: manager.managerChain,
    });
  }
  return undefined;
}

/** The changed fields only (the e-mail compared in normalised form). */
function diff(current: EmployeeDetails, requested: EmployeeChanges): EmployeeChanges {
  const out: { -readonly [K in keyof EmployeeChanges]: EmployeeChanges[K] } = {};
  if (requested.firstName !== undefined && requested.firstName.trim() !== current.firstName)
    out.firstName = requested.firstName.trim();
  if (requested.lastName !== undefined && requested.lastName.trim() !== current.lastName)
    out.lastName = requested.lastName.trim();
  if (requested.email !== undefined && normalizeEmployeeEmail(requested.email) !== current.email)
    out.email = normalizeEmployeeEmail(requested.email);
  if (requested.hostUserId !== undefined && requested.hostUserId !== current.hostUserId)
    out.hostUserId = requested.hostUserId;
  if (requested.managerId !== undefined && requested.managerId !== current.managerId)
    out.managerId = requested.managerId;
  if (requested.hireDate !== undefined && requested.hireDate !== current.hireDate)
    out.hireDate = requested.hireDate;
  return out;
}

function dependantsProblem(
  facts: EmployeeFacts | undefined,
  includeMemberships: boolean,
): EmployeeRejection | undefined {
  const d = facts?.dependants;
  if (d === undefined) {
    return reject('EMPLOYEE_FACTS_MISSING', 'the employee’s dependants were not loaded', {
      fact: 'dependants',
    });
  }
  const open = includeMemberships ? d.openMembershipIds : [];
  if (d.directReportIds.length > 0 || d.managedTeamIds.length > 0 || open.length > 0) {
    return reject('EMPLOYEE_HAS_DEPENDANTS', 'reassign reports and teams (and end memberships) first', {
      directReportIds: d.directReportIds,
      managedTeamIds: d.managedTeamIds,
      openMembershipIds: open,
    });
  }
  return undefined;
}

/**
 * Decides an employee command. Rules: a manager must be an active employee and no management cycle
 * may form; active → inactive only when nobody reports to the employee and they manage no active team;
 * inactive → archived also needs every team membership ended; archived is immutable.
 *
 * @example
 * ```ts
 * const r = decideEmployee({ type: 'deactivate', at }, state, { dependants });
 * if (!r.ok) console.log(r.error.code); // e.g. EMPLOYEE_HAS_DEPENDANTS
 * ```
 */
export function decideEmployee(
  command: EmployeeCommand,
  state: EmployeeState,
  facts: EmployeeFacts | undefined,
): Decision {
  return checkedDecision(employeeCommandSchema, command, 'employee command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') {
        return err(
          reject('EMPLOYEE_ALREADY_EXISTS', 'the employee exists already', { status: state.status }),
        );
      }
      if (command.managerId !== null) {
        const problem = managerProblem(command.employeeId, command.managerId, facts);
        if (problem !== undefined) return err(problem);
      }
      return ok([
        {
          type: 'employee.created',
          payload: {
            employeeId: command.employeeId,
            firstName: command.firstName.trim(),
            lastName: command.lastName.trim(),
            email: normalizeEmployeeEmail(command.email),
            hostUserId: command.hostUserId,
            managerId: command.managerId,
            hireDate: command.hireDate,
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('EMPLOYEE_NOT_FOUND', 'no such employee'));
    if (state.status === 'archived') {
      return err(reject('EMPLOYEE_ARCHIVED', 'an archived employee cannot change', { status: state.status }));
    }
    switch (command.type) {
      case 'update': {
        const changes = diff(state, command.changes);
        if (Object.keys(changes).length === 0) return ok([]);
        if (changes.managerId !== undefined && changes.managerId !== null) {
          const problem = managerProblem(state.employeeId, changes.managerId, facts);
          if (problem !== undefined) return err(problem);
        }
        return ok([{ type: 'employee.updated', payload: { employeeId: state.employeeId, changes } }]);
      }
      case 'deactivate': {
        if (state.status !== 'active') {
          return err(
            reject('EMPLOYEE_NOT_ACTIVE', 'only an active employee can be deactivated', {
              status: state.status,
            }),
          );
        }
        const problem = dependantsProblem(facts, false);
        if (problem !== undefined) return err(problem);
        return ok([
          { type: 'employee.deactivated', payload: { employeeId: state.employeeId, at: command.at } },
        ]);
      }
      case 'archive': {
        if (state.status !== 'inactive') {
          return err(
            reject('EMPLOYEE_NOT_INACTIVE', 'deactivate the employee before archiving', {
              status: state.status,
            }),
          );
        }
        const problem = dependantsProblem(facts, true);
        if (problem !== undefined) return err(problem);
        return ok([{ type: 'employee.archived', payload: { employeeId: state.employeeId, at: command.at } }]);
      }
    }
  });
}
