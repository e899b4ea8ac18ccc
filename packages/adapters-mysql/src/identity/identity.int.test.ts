import {
  type CommandRuntime,
  createCommandHandler,
  type Identity,
  type Instant,
  type Rejection,
  type Result,
} from '@pet-ops/core';
import { sequentialIds } from '@pet-ops/core/testing';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ACTOR, type CrmFixture, openCrmFixture, PREFIX } from '../crm/fixtures.test.js';
import {
  employeeBinding,
  orgStructureVersionBinding,
  teamBinding,
  teamMembershipBinding,
} from './bindings.js';
import { createIdentityRepository } from './repository.js';

let fx: CrmFixture;
let runtime: CommandRuntime;
const identity = createIdentityRepository(PREFIX);
const meta = { actor: ACTOR };

beforeAll(async () => {
  fx = await openCrmFixture(inject('mysqlUrl'));
  runtime = fx.runtime(300);
});
afterAll(async () => {
  await fx?.close();
});

const idGen = sequentialIds(301);
const id = <T>(): T => idGen.next() as unknown as T;
const stream = (x: string) =>
  x as unknown as Parameters<ReturnType<typeof createCommandHandler>>[0]['streamId'];
const code = (r: Result<unknown, Rejection>): string => (r.ok ? 'ok' : r.error.code);

async function employee(command: Identity.EmployeeCommand, employeeId: Identity.EmployeeId) {
  return createCommandHandler(
    runtime,
    employeeBinding,
  )({
    streamId: stream(employeeId),
    command,
    loadFacts: (scope, loaded) => identity.employeeFacts(scope, command, loaded.state),
    metadata: meta,
  });
}
async function team(command: Identity.TeamCommand, teamId: Identity.TeamId) {
  return createCommandHandler(
    runtime,
    teamBinding,
  )({
    streamId: stream(teamId),
    command,
    loadFacts: (scope, loaded) => identity.teamFacts(scope, command, loaded.state),
    metadata: meta,
  });
}
async function membership(command: Identity.TeamMembershipCommand, membershipId: Identity.TeamMembershipId) {
  return createCommandHandler(
    runtime,
    teamMembershipBinding,
  )({
    streamId: stream(membershipId),
    command,
    loadFacts: (scope) => identity.membershipFacts(scope, command),
    metadata: meta,
  });
}
const newEmployee = (employeeId: Identity.EmployeeId, email: string, managerId: Identity.EmployeeId | null) =>
  employee(
    {
      type: 'create',
      employeeId,
      firstName: 'F',
      lastName: email,
      email,
      hostUserId: null,
      managerId,
      hireDate: null,
    },
    employeeId,
  );

describe('identity on MySQL', () => {
  const boss = id<Identity.EmployeeId>();
  const dev = id<Identity.EmployeeId>();
  const root = id<Identity.TeamId>();
  const child = id<Identity.TeamId>();

  it('employees: create with a manager (facts loaded), find by e-mail, refuse deactivating a manager with reports', async () => {
    expect(code(await newEmployee(boss, 'boss@example.com', null))).toBe('ok');
    expect(code(await newEmployee(dev, 'Dev@Example.com', boss))).toBe('ok');
    const found = await fx.unitOfWork.run((s) => identity.employeeByEmail(s, 'DEV@example.com'));
    expect(found).toMatchObject({ status: 'active', employeeId: dev, managerId: boss });
    const at = '2026-11-23T00:00:00.000000Z' as Instant;
    expect(code(await employee({ type: 'deactivate', at }, boss))).toBe('EMPLOYEE_HAS_DEPENDANTS');
    const ghost = id<Identity.EmployeeId>();
    expect(code(await newEmployee(id<Identity.EmployeeId>(), 'x@example.com', ghost))).toBe(
      'EMPLOYEE_FACTS_MISSING',
    );
  });

  it('teams: nest under a parent, refuse a taken sibling name and archiving a parent with active children', async () => {
    const create = (teamId: Identity.TeamId, name: string, parentTeamId: Identity.TeamId | null) =>
      team(
        {
          type: 'create',
          teamId,
          name,
          parentTeamId,
          managerId: boss,
          escalationManagerId: null,
          visual: { kind: 'system', ref: 'blue' },
        },
        teamId,
      );
    expect(code(await create(root, 'Delivery', null))).toBe('ok');
    expect(code(await create(child, 'Platform', root))).toBe('ok');
    expect(code(await create(id<Identity.TeamId>(), 'platform', root))).toBe('TEAM_NAME_TAKEN');
    const at = '2026-11-23T00:00:00.000000Z' as Instant;
    expect(code(await team({ type: 'archive', at }, root))).toBe('TEAM_HAS_ACTIVE_CHILDREN');
    const stored = await fx.unitOfWork.run((s) => identity.teamById(s, child));
    expect(stored).toMatchObject({
      status: 'active',
      parentTeamId: root,
      managerId: boss,
      visual: { kind: 'system', ref: 'blue' },
      visualVersion: 1,
    });
    expect((await fx.unitOfWork.run((s) => identity.activeChildTeams(s, null))).map((t) => t.name)).toContain(
      'Delivery',
    );
  });

  it('memberships: one open per team and employee (decider and open_marker key), history kept after removal', async () => {
    const m1 = id<Identity.TeamMembershipId>();
    const at = '2026-11-22T12:00:00.000000Z' as Instant;
    const add = (membershipId: Identity.TeamMembershipId) =>
      membership(
        { type: 'add', membershipId, teamId: child, employeeId: dev, role: 'member', at },
        membershipId,
      );
    expect(code(await add(m1))).toBe('ok');
    expect(code(await add(id<Identity.TeamMembershipId>()))).toBe('MEMBERSHIP_ALREADY_OPEN');
    const [row] = (
      await fx.pool.query<RowDataPacket[]>(
        `SELECT state, open_marker FROM ${PREFIX}team_memberships WHERE id = UNHEX(REPLACE(?, '-', ''))`,
        [m1],
      )
    )[0];
    expect(row).toMatchObject({ state: 'open', open_marker: 1 });
    // The database refuses a second open row even when a writer skips the decider.
    const errno = await fx.pool
      .query(
        `INSERT INTO ${PREFIX}team_memberships (id, version, state, team_id, employee_id, role, assigned_at, open_marker) SELECT UNHEX(REPLACE(?, '-', '')), 1, 'open', team_id, employee_id, role, assigned_at, 1 FROM ${PREFIX}team_memberships WHERE id = UNHEX(REPLACE(?, '-', ''))`,
        [id<string>(), m1],
      )
      .then(
        () => 0,
        (x: { errno: number }) => x.errno,
      );
    expect(errno).toBe(1062);
    expect(code(await membership({ type: 'remove', at: '2026-11-22T13:00:00.000000Z' as Instant }, m1))).toBe(
      'ok',
    );
    expect(code(await add(id<Identity.TeamMembershipId>()))).toBe('ok');
    const history = await fx.unitOfWork.run((s) => identity.membershipsOfTeam(s, child));
    expect(history.map((m) => m.status)).toEqual(['open', 'closed']);
    expect(history[1]).toMatchObject({ membershipId: m1, removedAt: '2026-11-22T13:00:00.000000Z' });
    const [closed] = (
      await fx.pool.query<RowDataPacket[]>(
        `SELECT open_marker FROM ${PREFIX}team_memberships WHERE id = UNHEX(REPLACE(?, '-', ''))`,
        [m1],
      )
    )[0];
    expect(closed?.['open_marker']).toBeNull();
  });

  it('org structure versions: published in order, "as of" a date, append-only in the database', async () => {
    const structure: Identity.OrgStructure = {
      teams: [],
      memberships: [],
      orgRoles: [],
      defaultEscalationManagerId: boss,
    };
    const publish = (effectiveFrom: string, publishedAt: string) => {
      const versionId = id<Identity.OrgStructureVersionId>();
      const command: Identity.OrgStructureVersionCommand = {
        type: 'publish',
        versionId,
        effectiveFrom: effectiveFrom as Instant,
        publishedAt: publishedAt as Instant,
        structure,
      };
      return createCommandHandler(
        runtime,
        orgStructureVersionBinding,
      )({
        streamId: stream(versionId),
        command,
        loadFacts: (scope) => identity.orgStructureVersionFacts(scope),
        metadata: meta,
      });
    };
    expect(code(await publish('2026-12-01T00:00:00.000000Z', '2026-11-22T00:00:00.000000Z'))).toBe('ok');
    expect(code(await publish('2027-01-01T00:00:00.000000Z', '2026-11-22T00:00:00.000000Z'))).toBe('ok');
    expect(code(await publish('2026-12-15T00:00:00.000000Z', '2026-11-22T00:00:00.000000Z'))).toBe(
      'ORG_VERSION_NOT_AFTER_PREVIOUS',
    );
    const asOf = (at: string) => fx.unitOfWork.run((s) => identity.orgStructureAsOf(s, at as Instant));
    expect(await asOf('2026-11-30T00:00:00.000000Z')).toBeNull();
    expect((await asOf('2026-12-31T23:59:59.999999Z'))?.versionNumber).toBe(1);
    expect(await asOf('2027-02-01T00:00:00.000000Z')).toMatchObject({ versionNumber: 2, structure });
    expect(
      (await fx.unitOfWork.run((s) => identity.orgStructureVersions(s))).map((v) => v.versionNumber),
    ).toEqual([1, 2]);
    const refused = await fx.pool.query(`UPDATE ${PREFIX}org_structure_versions SET version_number = 9`).then(
      () => 0,
      (x: { errno: number }) => x.errno,
    );
    expect(refused).toBe(1644);
  });
});
