import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { assertEvolveNeverThrows, assertReplayDeterministic } from '../../testing/index.js';
import type { EmployeeId } from '../ids.js';
import { at, emp, model, pick } from '../test-support.test.js';
import type { EmployeeCommand, EmployeeFacts } from './commands.js';
import { employeeDecider } from './decider.js';
import type { EmployeeEvent } from './events.js';
import type { EmployeeState } from './state.js';

const N = 6;
type Step = { who: number; command: (self: EmployeeId) => EmployeeCommand };

const managerOf = (n: number | null) => (n === null ? null : emp(n));
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ who: pick(N), manager: fc.option(pick(N)) }).map(({ who, manager }) => ({
    who,
    command: (self: EmployeeId): EmployeeCommand => ({
      type: 'create',
      employeeId: self,
      firstName: `F${who}`,
      lastName: 'L',
      email: `e${who}@example.com`,
      hostUserId: null,
      managerId: managerOf(manager),
      hireDate: null,
    }),
  })),
  fc.record({ who: pick(N), manager: fc.option(pick(N)) }).map(({ who, manager }) => ({
    who,
    command: (): EmployeeCommand => ({ type: 'update', changes: { managerId: managerOf(manager) } }),
  })),
  fc.record({ who: pick(N), t: fc.nat(1000) }).map(({ who, t }) => ({
    who,
    command: (): EmployeeCommand => ({ type: 'deactivate', at: at(t) }),
  })),
  fc.record({ who: pick(N), t: fc.nat(1000) }).map(({ who, t }) => ({
    who,
    command: (): EmployeeCommand => ({ type: 'archive', at: at(t) }),
  })),
);

let assignments = 0;

describe('employee invariants under random command sequences', () => {
  test.prop([fc.array(stepArb, { minLength: 10, maxLength: 80 })])(
    'managers of non-archived employees are active, management never cycles, state = replay(events)',
    (steps) => {
      const m = model(employeeDecider);
      const stateOf = (id: EmployeeId) => m.state(id);
      const managerIdOf = (s: EmployeeState) => (s.status === 'absent' ? null : s.managerId);
      // The facts a loader would read from the other employees.
      const factsFor = (self: EmployeeId, command: EmployeeCommand): EmployeeFacts => {
        const proposed =
          command.type === 'create'
            ? command.managerId
            : command.type === 'update'
              ? command.changes.managerId
              : null;
        const reports = m
          .all()
          .filter(([, s]) => s.status !== 'absent' && s.status !== 'archived' && s.managerId === self)
          .map(([id]) => id as EmployeeId);
        const dependants = { directReportIds: reports, managedTeamIds: [], openMembershipIds: [] };
        const ms = proposed === undefined || proposed === null ? undefined : stateOf(proposed);
        if (proposed === undefined || proposed === null || ms === undefined || ms.status === 'absent')
          return { dependants };
        const chain: EmployeeId[] = [];
        for (let c = ms.managerId; c !== null && !chain.includes(c); c = managerIdOf(stateOf(c)))
          chain.push(c);
        return { dependants, manager: { employeeId: proposed, status: ms.status, managerChain: chain } };
      };
      for (const step of steps) {
        const self = emp(step.who);
        const command = step.command(self);
        const r = m.run(self, command, factsFor(self, command));
        const assigned = (e: EmployeeEvent) =>
          (e.type === 'employee.created' && e.payload.managerId !== null) ||
          (e.type === 'employee.updated' && typeof e.payload.changes.managerId === 'string');
        if (r.ok && r.events.some(assigned)) assignments += 1;
        for (const [id, s] of m.all()) {
          expect(m.replayMatches(id)).toBe(true);
          if (s.status === 'absent' || s.status === 'archived' || s.managerId === null) continue;
          expect(stateOf(s.managerId).status).toBe('active');
          const seen = new Set<string>([id]);
          for (let c: EmployeeId | null = s.managerId; c !== null; c = managerIdOf(stateOf(c))) {
            expect(seen.has(c)).toBe(false);
            seen.add(c);
          }
        }
      }
    },
  );
});

const eventArb: fc.Arbitrary<EmployeeEvent> = fc.oneof(
  fc.record({ first: fc.string({ minLength: 1 }), manager: fc.option(pick(N)) }).map(
    ({ first, manager }): EmployeeEvent => ({
      type: 'employee.created',
      payload: {
        employeeId: emp(1),
        firstName: first,
        lastName: 'L',
        email: 'a@b.co',
        hostUserId: null,
        managerId: managerOf(manager),
        hireDate: null,
      },
    }),
  ),
  fc.string({ minLength: 1 }).map(
    (lastName): EmployeeEvent => ({
      type: 'employee.updated',
      payload: { employeeId: emp(1), changes: { lastName } },
    }),
  ),
  fc
    .nat(100)
    .map(
      (t): EmployeeEvent => ({ type: 'employee.deactivated', payload: { employeeId: emp(1), at: at(t) } }),
    ),
  fc
    .nat(100)
    .map((t): EmployeeEvent => ({ type: 'employee.archived', payload: { employeeId: emp(1), at: at(t) } })),
);

test('the generator does reach manager assignments (the property is not vacuous)', () => {
  expect(assignments).toBeGreaterThan(0);
});

describe('employee laws', () => {
  test('evolve never throws and replay is deterministic for any event sequence', () => {
    assertEvolveNeverThrows(employeeDecider, fc.array(eventArb, { maxLength: 20 }));
    assertReplayDeterministic(employeeDecider, fc.array(eventArb, { maxLength: 20 }));
  });
});
