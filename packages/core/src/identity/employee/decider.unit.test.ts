import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import { at, emp, membership, team, tracked } from '../test-support.test.js';
import type { CreateEmployee, EmployeeDependants, EmployeeFacts } from './commands.js';
import { employeeCommandSchema } from './commands.js';
import { employeeDecider } from './decider.js';
import type { EmployeeEvent } from './events.js';
import { EMPLOYEE_REJECTION_CODES } from './rejections.js';

const { decider, seen } = tracked(employeeDecider);
const spec = DeciderSpecification.for(decider);

const ada = emp(1);
const boss = emp(2);
const create: CreateEmployee = {
  type: 'create',
  employeeId: ada,
  firstName: ' Ada ',
  lastName: 'Lovelace',
  email: ' Ada@Example.COM ',
  hostUserId: '42',
  managerId: null,
  hireDate: null,
};
const created: EmployeeEvent = {
  type: 'employee.created',
  payload: {
    employeeId: ada,
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.com',
    hostUserId: '42',
    managerId: null,
    hireDate: null,
  },
};
const deactivated: EmployeeEvent = { type: 'employee.deactivated', payload: { employeeId: ada, at: at(10) } };
const archived: EmployeeEvent = { type: 'employee.archived', payload: { employeeId: ada, at: at(20) } };
const activeBoss: EmployeeFacts = { manager: { employeeId: boss, status: 'active', managerChain: [] } };
const none: EmployeeDependants = { directReportIds: [], managedTeamIds: [], openMembershipIds: [] };

describe('employee: create', () => {
  test('given nothing, when created, then employee.created with trimmed names and the normalised e-mail', () => {
    spec.given([]).when(create).then([created]);
    spec
      .given([])
      .when(create)
      .thenState({ status: 'active', ...created.payload } as never);
  });

  test('given an active manager, when created with it, then the manager is recorded', () => {
    spec
      .given([])
      .when({ ...create, managerId: boss }, activeBoss)
      .then([{ type: 'employee.created', payload: { ...created.payload, managerId: boss } }]);
  });

  test('given an existing employee, when created again, then EMPLOYEE_ALREADY_EXISTS', () => {
    spec.given([created]).when(create).thenRejects('EMPLOYEE_ALREADY_EXISTS', { status: 'active' });
  });

  test('given a manager that is not active, then EMPLOYEE_MANAGER_NOT_ACTIVE', () => {
    for (const status of ['inactive', 'archived'] as const) {
      spec
        .given([])
        .when({ ...create, managerId: boss }, { manager: { employeeId: boss, status, managerChain: [] } })
        .thenRejects('EMPLOYEE_MANAGER_NOT_ACTIVE', { managerId: boss, status });
    }
  });

  test('given no manager fact (or one for somebody else), then EMPLOYEE_FACTS_MISSING', () => {
    spec
      .given([])
      .when({ ...create, managerId: boss })
      .thenRejects('EMPLOYEE_FACTS_MISSING', { fact: 'manager' });
    spec
      .given([])
      .when({ ...create, managerId: emp(3) }, activeBoss)
      .thenRejects('EMPLOYEE_FACTS_MISSING', { managerId: emp(3) });
  });

  test('when the employee would manage themself, directly or up the chain, then EMPLOYEE_MANAGER_CYCLE', () => {
    spec
      .given([])
      .when({ ...create, managerId: ada })
      .thenRejects('EMPLOYEE_MANAGER_CYCLE');
    spec
      .given([])
      .when(
        { ...create, managerId: boss },
        { manager: { employeeId: boss, status: 'active', managerChain: [emp(5), ada] } },
      )
      .thenRejects('EMPLOYEE_MANAGER_CYCLE', { managerId: boss });
  });
});

describe('employee: update', () => {
  test('given an active employee, when updated, then only the changed fields are in the event', () => {
    spec
      .given([created])
      .when({ type: 'update', changes: { firstName: 'Ada', lastName: 'King', email: 'ADA@example.com ' } })
      .then([{ type: 'employee.updated', payload: { employeeId: ada, changes: { lastName: 'King' } } }]);
  });

  test('when nothing changes, then no event', () => {
    spec
      .given([created])
      .when({ type: 'update', changes: { hostUserId: '42', managerId: null } })
      .then([]);
  });

  test('given an inactive employee, when the manager changes to an active one, then employee.updated', () => {
    spec
      .given([created, deactivated])
      .when({ type: 'update', changes: { managerId: boss } }, activeBoss)
      .then([{ type: 'employee.updated', payload: { employeeId: ada, changes: { managerId: boss } } }]);
  });

  test('when the manager is set to an inactive employee, then EMPLOYEE_MANAGER_NOT_ACTIVE', () => {
    spec
      .given([created])
      .when(
        { type: 'update', changes: { managerId: boss } },
        { manager: { employeeId: boss, status: 'inactive', managerChain: [] } },
      )
      .thenRejects('EMPLOYEE_MANAGER_NOT_ACTIVE');
  });

  test('given no employee, then EMPLOYEE_NOT_FOUND', () => {
    spec
      .given([])
      .when({ type: 'update', changes: { firstName: 'X' } })
      .thenRejects('EMPLOYEE_NOT_FOUND');
  });

  test('given an archived employee, then EMPLOYEE_ARCHIVED (terminal, immutable)', () => {
    spec
      .given([created, deactivated, archived])
      .when({ type: 'update', changes: { firstName: 'X' } })
      .thenRejects('EMPLOYEE_ARCHIVED');
  });
});

describe('employee: deactivate and archive', () => {
  test('given an active employee nobody depends on, when deactivated, then employee.deactivated', () => {
    spec
      .given([created])
      .when({ type: 'deactivate', at: at(10) }, { dependants: none })
      .then([deactivated]);
    spec
      .given([created])
      .when({ type: 'deactivate', at: at(10) }, { dependants: none })
      .thenState({ status: 'inactive', ...created.payload, deactivatedAt: at(10) } as never);
  });

  test('open memberships do not block deactivation', () => {
    spec
      .given([created])
      .when(
        { type: 'deactivate', at: at(10) },
        { dependants: { ...none, openMembershipIds: [membership(1)] } },
      )
      .then([deactivated]);
  });

  test('given reports or managed teams, when deactivated, then EMPLOYEE_HAS_DEPENDANTS', () => {
    spec
      .given([created])
      .when({ type: 'deactivate', at: at(10) }, { dependants: { ...none, directReportIds: [boss] } })
      .thenRejects('EMPLOYEE_HAS_DEPENDANTS', { directReportIds: [boss] });
    spec
      .given([created])
      .when({ type: 'deactivate', at: at(10) }, { dependants: { ...none, managedTeamIds: [team(1)] } })
      .thenRejects('EMPLOYEE_HAS_DEPENDANTS', { managedTeamIds: [team(1)] });
  });

  test('without the dependants fact, then EMPLOYEE_FACTS_MISSING', () => {
    spec
      .given([created])
      .when({ type: 'deactivate', at: at(10) })
      .thenRejects('EMPLOYEE_FACTS_MISSING', { fact: 'dependants' });
  });

  test('given an inactive employee, when deactivated again, then EMPLOYEE_NOT_ACTIVE', () => {
    spec
      .given([created, deactivated])
      .when({ type: 'deactivate', at: at(11) }, { dependants: none })
      .thenRejects('EMPLOYEE_NOT_ACTIVE');
  });

  test('given an inactive employee, when archived, then employee.archived', () => {
    spec
      .given([created, deactivated])
      .when({ type: 'archive', at: at(20) }, { dependants: none })
      .then([archived]);
  });

  test('given an active employee, when archived, then EMPLOYEE_NOT_INACTIVE (deactivate first)', () => {
    spec
      .given([created])
      .when({ type: 'archive', at: at(20) }, { dependants: none })
      .thenRejects('EMPLOYEE_NOT_INACTIVE');
  });

  test('given open memberships, when archived, then EMPLOYEE_HAS_DEPENDANTS', () => {
    spec
      .given([created, deactivated])
      .when({ type: 'archive', at: at(20) }, { dependants: { ...none, openMembershipIds: [membership(1)] } })
      .thenRejects('EMPLOYEE_HAS_DEPENDANTS', { openMembershipIds: [membership(1)] });
  });

  test('given an archived employee, when archived or deactivated, then EMPLOYEE_ARCHIVED', () => {
    spec
      .given([created, deactivated, archived])
      .when({ type: 'archive', at: at(30) }, { dependants: none })
      .thenRejects('EMPLOYEE_ARCHIVED');
    spec
      .given([created, deactivated, archived])
      .when({ type: 'deactivate', at: at(30) }, { dependants: none })
      .thenRejects('EMPLOYEE_ARCHIVED');
  });
});

describe('employee command schema', () => {
  test('normalises the e-mail, trims names and defaults optional references to null', () => {
    expect(
      employeeCommandSchema.parse({
        type: 'create',
        employeeId: ada,
        firstName: ' Ada',
        lastName: 'L ',
        email: ' A@B.CO ',
      }),
    ).toEqual({
      type: 'create',
      employeeId: ada,
      firstName: 'Ada',
      lastName: 'L',
      email: 'a@b.co',
      hostUserId: null,
      managerId: null,
      hireDate: null,
    });
  });

  test('names the bad fields', () => {
    const r = employeeCommandSchema.safeParse({
      type: 'create',
      employeeId: 'x',
      firstName: ' ',
      lastName: 'L',
      email: 'nope',
      hireDate: '2026-02-30',
    });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'email',
      'employeeId',
      'firstName',
      'hireDate',
    ]);
  });
});

test('every employee rejection code is exercised above', () => {
  expect([...seen].sort()).toEqual([...EMPLOYEE_REJECTION_CODES].sort());
});
