import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import { at, emp, team, tracked } from '../test-support.test.js';
import { type CreateTeam, type TeamFacts, teamCommandSchema } from './commands.js';
import { teamDecider } from './decider.js';
import type { TeamEvent } from './events.js';
import { TEAM_REJECTION_CODES } from './rejections.js';

const { decider, seen } = tracked(teamDecider);
const spec = DeciderSpecification.for(decider);

const ops = team(1);
const root = team(2);
const sub = team(3);
const boss = emp(1);
const esc = emp(2);
const create: CreateTeam = {
  type: 'create',
  teamId: ops,
  name: ' Ops ',
  parentTeamId: root,
  managerId: boss,
  escalationManagerId: esc,
  visual: null,
};
const facts: TeamFacts = {
  parent: { teamId: root, status: 'active', ancestorIds: [] },
  siblingNames: ['Sales'],
  employees: [
    { employeeId: boss, status: 'active' },
    { employeeId: esc, status: 'active' },
  ],
};
const created: TeamEvent = {
  type: 'team.created',
  payload: {
    teamId: ops,
    name: 'Ops',
    parentTeamId: root,
    managerId: boss,
    escalationManagerId: esc,
    visual: null,
    visualVersion: 1,
  },
};
const archived: TeamEvent = { type: 'team.archived', payload: { teamId: ops, at: at(5) } };
const updated = (changes: object): TeamEvent => ({ type: 'team.updated', payload: { teamId: ops, changes } });

describe('team: create', () => {
  test('given nothing, when created under an active parent with active managers, then team.created (visual version 1)', () => {
    spec.given([]).when(create, facts).then([created]);
  });

  test('a root team without managers needs only the sibling names', () => {
    spec
      .given([])
      .when(
        { ...create, parentTeamId: null, managerId: null, escalationManagerId: null },
        { siblingNames: [] },
      )
      .then([
        {
          type: 'team.created',
          payload: { ...created.payload, parentTeamId: null, managerId: null, escalationManagerId: null },
        },
      ]);
  });

  test('given an existing team, then TEAM_ALREADY_EXISTS', () => {
    spec.given([created]).when(create, facts).thenRejects('TEAM_ALREADY_EXISTS');
  });

  test('given an archived parent, then TEAM_PARENT_NOT_ACTIVE', () => {
    spec
      .given([])
      .when(create, { ...facts, parent: { teamId: root, status: 'archived', ancestorIds: [] } })
      .thenRejects('TEAM_PARENT_NOT_ACTIVE', { parentTeamId: root });
  });

  test('when the team would be its own parent or ancestor, then TEAM_PARENT_CYCLE', () => {
    spec
      .given([])
      .when({ ...create, parentTeamId: ops }, facts)
      .thenRejects('TEAM_PARENT_CYCLE');
    spec
      .given([])
      .when(create, { ...facts, parent: { teamId: root, status: 'active', ancestorIds: [sub, ops] } })
      .thenRejects('TEAM_PARENT_CYCLE', { parentTeamId: root });
  });

  test('given a sibling with the same name (any case), then TEAM_NAME_TAKEN', () => {
    spec
      .given([])
      .when(create, { ...facts, siblingNames: [' OPS'] })
      .thenRejects('TEAM_NAME_TAKEN', { name: 'Ops' });
  });

  test('given an inactive manager or escalation manager, then the matching NOT_ACTIVE code', () => {
    spec
      .given([])
      .when(create, {
        ...facts,
        employees: [
          { employeeId: boss, status: 'inactive' },
          { employeeId: esc, status: 'active' },
        ],
      })
      .thenRejects('TEAM_MANAGER_NOT_ACTIVE', { employeeId: boss, status: 'inactive' });
    spec
      .given([])
      .when(create, {
        ...facts,
        employees: [
          { employeeId: boss, status: 'active' },
          { employeeId: esc, status: 'archived' },
        ],
      })
      .thenRejects('TEAM_ESCALATION_MANAGER_NOT_ACTIVE', { employeeId: esc });
  });

  test('without a needed fact, then TEAM_FACTS_MISSING naming it', () => {
    spec
      .given([])
      .when(create, { ...facts, parent: undefined } as never)
      .thenRejects('TEAM_FACTS_MISSING', { fact: 'parent' });
    spec
      .given([])
      .when(create, { parent: facts.parent, employees: facts.employees } as TeamFacts)
      .thenRejects('TEAM_FACTS_MISSING', { fact: 'siblingNames' });
    spec
      .given([])
      .when(create, { ...facts, employees: [] })
      .thenRejects('TEAM_FACTS_MISSING', { fact: 'employees' });
  });
});

describe('team: update', () => {
  test('a rename checks the siblings and emits only the name', () => {
    spec
      .given([created])
      .when({ type: 'update', changes: { name: 'Operations', managerId: boss } }, { siblingNames: [] })
      .then([updated({ name: 'Operations' })]);
    spec
      .given([created])
      .when({ type: 'update', changes: { name: 'sales' } }, { siblingNames: ['Sales'] })
      .thenRejects('TEAM_NAME_TAKEN');
  });

  test('a move checks the new parent, cycles and the names under the new parent', () => {
    const moveFacts: TeamFacts = {
      parent: { teamId: sub, status: 'active', ancestorIds: [root] },
      siblingNames: [],
    };
    spec
      .given([created])
      .when({ type: 'update', changes: { parentTeamId: sub } }, moveFacts)
      .then([updated({ parentTeamId: sub })]);
    spec
      .given([created])
      .when(
        { type: 'update', changes: { parentTeamId: sub } },
        { ...moveFacts, parent: { teamId: sub, status: 'active', ancestorIds: [ops, root] } },
      )
      .thenRejects('TEAM_PARENT_CYCLE', { parentTeamId: sub });
    spec
      .given([created])
      .when({ type: 'update', changes: { parentTeamId: sub } }, { ...moveFacts, siblingNames: ['ops'] })
      .thenRejects('TEAM_NAME_TAKEN');
  });

  test('moving to the top needs no parent fact', () => {
    spec
      .given([created])
      .when({ type: 'update', changes: { parentTeamId: null } }, { siblingNames: [] })
      .then([updated({ parentTeamId: null })]);
  });

  test('managers can be changed or cleared; a new one must be active', () => {
    spec
      .given([created])
      .when({ type: 'update', changes: { managerId: null, escalationManagerId: null } })
      .then([updated({ managerId: null, escalationManagerId: null })]);
    spec
      .given([created])
      .when(
        { type: 'update', changes: { escalationManagerId: emp(9) } },
        { employees: [{ employeeId: emp(9), status: 'archived' }] },
      )
      .thenRejects('TEAM_ESCALATION_MANAGER_NOT_ACTIVE');
  });

  test('every visual change increments visualVersion; the same visual is no change', () => {
    const visual = { kind: 'upload', ref: 'img/ops.png' } as const;
    spec
      .given([created])
      .when({ type: 'update', changes: { visual } })
      .then([updated({ visual, visualVersion: 2 })]);
    spec
      .given([created, updated({ visual, visualVersion: 2 })])
      .when({ type: 'update', changes: { visual: { ...visual } } })
      .then([]);
    spec
      .given([created, updated({ visual, visualVersion: 2 })])
      .when({ type: 'update', changes: { visual: null } })
      .thenState({ status: 'active', ...created.payload, visual: null, visualVersion: 3 } as never);
  });

  test('given no team, then TEAM_NOT_FOUND; given an archived one, then TEAM_ARCHIVED', () => {
    spec
      .given([])
      .when({ type: 'update', changes: { name: 'X' } })
      .thenRejects('TEAM_NOT_FOUND');
    spec
      .given([created, archived])
      .when({ type: 'update', changes: { name: 'X' } })
      .thenRejects('TEAM_ARCHIVED');
  });
});

describe('team: archive', () => {
  test('given no active sub-teams, when archived, then team.archived', () => {
    spec
      .given([created])
      .when({ type: 'archive', at: at(5) }, { activeChildTeamIds: [] })
      .then([archived]);
  });

  test('given active sub-teams, then TEAM_HAS_ACTIVE_CHILDREN', () => {
    spec
      .given([created])
      .when({ type: 'archive', at: at(5) }, { activeChildTeamIds: [sub] })
      .thenRejects('TEAM_HAS_ACTIVE_CHILDREN', { activeChildTeamIds: [sub] });
  });

  test('without the children fact, then TEAM_FACTS_MISSING; archived twice, then TEAM_ARCHIVED', () => {
    spec
      .given([created])
      .when({ type: 'archive', at: at(5) })
      .thenRejects('TEAM_FACTS_MISSING', { fact: 'activeChildTeamIds' });
    spec
      .given([created, archived])
      .when({ type: 'archive', at: at(6) }, { activeChildTeamIds: [] })
      .thenRejects('TEAM_ARCHIVED');
  });
});

test('the command schema trims names and defaults references to null', () => {
  expect(teamCommandSchema.parse({ type: 'create', teamId: ops, name: ' A ' })).toEqual({
    type: 'create',
    teamId: ops,
    name: 'A',
    parentTeamId: null,
    managerId: null,
    escalationManagerId: null,
    visual: null,
  });
  expect(teamCommandSchema.safeParse({ type: 'update', changes: { colour: 'red' } }).success).toBe(false);
});

test('every team rejection code is exercised above', () => {
  expect([...seen].sort()).toEqual([...TEAM_REJECTION_CODES].sort());
});
