/**
 * The identity context's persistence contract, written once and run against every database (not a test
 * file itself: each adapter's `identity.int.test.ts` calls {@link describeIdentityContract}). Commands go
 * through `createCommandHandler` with the generic unit of work, the bindings of `@pet-ops/sql` and the
 * core's facts loaders.
 */
import {
  type CommandMetadata,
  type CommandRuntime,
  createCommandHandler,
  Identity,
  type Instant,
  type PetError,
  type Uuid,
} from '@pet-ops/core';
import { fixedClock } from '@pet-ops/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityBindings } from '../contexts/identity.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore, type SqlEventStore } from '../event-store/event-store.js';
import { type AnyStateTable, type ColumnSpec, decodeColumn } from '../state-table.js';
import {
  employeesTable,
  orgStructureVersionsTable,
  teamMembershipsTable,
  teamsTable,
} from '../tables/identity.js';
import { STATE_TABLES } from '../tables/index.js';
import { createUnitOfWork } from '../unit-of-work.js';
import { caught, newId } from './event-store-contract.test.js';

/** One database under test: migrated with `prefix`, reached through Kysely and its {@link PetDialect}. */
export interface IdentityTarget {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly prefix: string;
  readonly close: () => Promise<void>;
}

type Row = Record<string, unknown>;

const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 10, 23, 9) + minutes * 60_000).toISOString().replace('Z', '123Z') as Instant;
const employeeId = (): Identity.EmployeeId => newId() as string as Identity.EmployeeId;
const teamId = (): Identity.TeamId => newId() as string as Identity.TeamId;
const membershipId = (): Identity.TeamMembershipId => newId() as string as Identity.TeamMembershipId;
const versionId = (): Identity.OrgStructureVersionId => newId() as string as Identity.OrgStructureVersionId;
const stream = (id: string): Uuid => id as Uuid;
const code = (r: { ok: true } | { ok: false; error: { code: string } }): string =>
  r.ok ? 'ok' : r.error.code;

/**
 * Declares the identity persistence contract tests for one database.
 *
 * @example
 * ```ts
 * describeIdentityContract('sqlite', async () => ({ db, dialect, prefix: 'pet_', close }));
 * ```
 */
export function describeIdentityContract(name: string, open: () => Promise<IdentityTarget>): void {
  describe(`identity persistence contract (${name})`, () => {
    let t: IdentityTarget;
    let events: SqlEventStore;
    let runtime: CommandRuntime;
    const actor = employeeId();
    const metadata: CommandMetadata = { actor: { type: 'employee', id: actor } };

    beforeAll(async () => {
      t = await open();
      events = createEventStore({ db: t.db, dialect: t.dialect, prefix: t.prefix });
      runtime = {
        unitOfWork: createUnitOfWork({ dialect: t.dialect, prefix: t.prefix, events, tables: STATE_TABLES }),
        registry: Identity.identityEventRegistry,
        clock: fixedClock('2026-11-23T10:00:00.000000Z', 1),
        ids: { next: newId },
      };
    });
    afterAll(async () => {
      await t?.close();
    });

    const table = (logical: string) => `${t.prefix}${logical}`;

    /** The stored row of `id` in a declared table, decoded to logical values, with its `version`. */
    async function rowOf(declared: AnyStateTable, id: string): Promise<Row | undefined> {
      const row = (await t.db
        .selectFrom(table(declared.table))
        .selectAll()
        .where('id', '=', t.dialect.codecs.encodeId(id))
        .executeTakeFirst()) as Row | undefined;
      if (row === undefined) return undefined;
      const out: Row = { version: Number(row['version']) };
      for (const [column, spec] of Object.entries(declared.columns) as [string, ColumnSpec][])
        out[column] = decodeColumn(t.dialect.codecs, spec, row[column]);
      return out;
    }

    /** Everything stored for one aggregate: its row and how many events its stream has. */
    async function snapshot(declared: AnyStateTable, id: string) {
      return { row: await rowOf(declared, id), events: (await events.readStream(stream(id))).length };
    }

    /** fold = row: the stream's events, replayed with `evolve`, give the stored row (and its version). */
    async function expectRowIsFold<S, E>(
      declared: AnyStateTable,
      id: string,
      evolve: (state: S, event: E) => S,
      initial: S,
    ): Promise<S> {
      const stored = await events.readStream(stream(id));
      const folded = stored.reduce((s, e) => evolve(s, e as unknown as E), initial);
      const { version, ...row } = (await rowOf(declared, id)) as Row;
      expect(declared.toRow(folded)).toEqual(row);
      expect(version).toBe(stored.length);
      return folded;
    }

    const employee = (
      command: Identity.EmployeeCommand,
      id: Identity.EmployeeId,
      known?: Identity.KnownDependants,
    ) =>
      createCommandHandler(
        runtime,
        identityBindings.employee,
      )({
        streamId: stream(id),
        command,
        metadata,
        loadFacts: identityBindings.employeeFacts(command, known),
      });
    const team = (command: Identity.TeamCommand, id: Identity.TeamId, known?: Identity.KnownTeams) =>
      createCommandHandler(
        runtime,
        identityBindings.team,
      )({ streamId: stream(id), command, metadata, loadFacts: identityBindings.teamFacts(command, known) });
    const membership = (
      command: Identity.TeamMembershipCommand,
      id: Identity.TeamMembershipId,
      known?: Identity.KnownMemberships,
    ) =>
      createCommandHandler(
        runtime,
        identityBindings.teamMembership,
      )({
        streamId: stream(id),
        command,
        metadata,
        loadFacts: identityBindings.teamMembershipFacts(command, known),
      });
    const createEmployee = (
      id: Identity.EmployeeId,
      email: string,
      managerId: Identity.EmployeeId | null,
    ): Identity.CreateEmployee => ({
      type: 'create',
      employeeId: id,
      firstName: ' Ada ',
      lastName: email.split('@')[0] ?? 'x',
      email,
      hostUserId: null,
      managerId,
      hireDate: '2026-01-05' as Identity.IsoDate,
    });
    const createTeam = (
      id: Identity.TeamId,
      name: string,
      parentTeamId: Identity.TeamId | null,
      managerId: Identity.EmployeeId | null,
    ): Identity.CreateTeam => ({
      type: 'create',
      teamId: id,
      name,
      parentTeamId,
      managerId,
      escalationManagerId: null,
      visual: { kind: 'system', ref: 'blue' },
    });

    /** A new active employee (optionally under a manager). */
    async function hired(managerId: Identity.EmployeeId | null = null): Promise<Identity.EmployeeId> {
      const id = employeeId();
      const r = await employee(createEmployee(id, `e-${id}@example.com`, managerId), id);
      if (!r.ok) throw new Error(r.error.code);
      return id;
    }

    /** A new active team (a root team unless `parentTeamId`). */
    async function founded(
      parentTeamId: Identity.TeamId | null = null,
      managerId: Identity.EmployeeId | null = null,
    ): Promise<Identity.TeamId> {
      const id = teamId();
      const r = await team(createTeam(id, `Team ${id}`, parentTeamId, managerId), id, { teamIds: [] });
      if (!r.ok) throw new Error(r.error.code);
      return id;
    }

    it('given employees, when created under a manager, updated, deactivated and archived, then each row is the fold of its events', async () => {
      const boss = employeeId();
      const dev = employeeId();
      expect(code(await employee(createEmployee(boss, 'Boss@Example.com ', null), boss))).toBe('ok');
      expect(code(await employee(createEmployee(dev, 'dev@example.com', boss), dev))).toBe('ok');
      expect(await rowOf(employeesTable, dev)).toEqual({
        version: 1,
        state: 'active',
        first_name: 'Ada',
        last_name: 'dev',
        email: 'dev@example.com',
        host_user_id: null,
        manager_id: boss,
        hire_date: '2026-01-05',
        deactivated_at: null,
        archived_at: null,
      });
      expect((await rowOf(employeesTable, boss))?.['email']).toBe('boss@example.com');

      const update: Identity.EmployeeCommand = {
        type: 'update',
        changes: { lastName: 'Lovelace', hostUserId: `wp-${dev}`, managerId: null },
      };
      expect(code(await employee(update, dev))).toBe('ok');
      const none = { employeeIds: [], teamIds: [], membershipIds: [] };
      expect(code(await employee({ type: 'deactivate', at: at(1) }, dev, none))).toBe('ok');
      expect(code(await employee({ type: 'archive', at: at(2) }, dev, none))).toBe('ok');
      expect(await rowOf(employeesTable, dev)).toMatchObject({
        version: 4,
        state: 'archived',
        last_name: 'Lovelace',
        host_user_id: `wp-${dev}`,
        manager_id: null,
        deactivated_at: at(1),
        archived_at: at(2),
      });
      const folded = await expectRowIsFold(
        employeesTable,
        dev,
        Identity.evolveEmployee,
        Identity.initialEmployeeState(),
      );
      const loaded = await runtime.unitOfWork.run((s) =>
        s.aggregate(identityBindings.employee.definition).load(stream(dev)),
      );
      expect(loaded).toEqual({ state: folded, version: 4 });
      await expectRowIsFold(employeesTable, boss, Identity.evolveEmployee, Identity.initialEmployeeState());
    });

    it('given refused employee commands, then each names its code and nothing is written', async () => {
      const boss = await hired();
      const dev = await hired(boss);
      const lead = await founded(null, boss);
      const ghost = employeeId();
      const newcomer = employeeId();
      const cases: [string, Identity.EmployeeId, Identity.EmployeeCommand, Identity.KnownDependants?][] = [
        ['EMPLOYEE_FACTS_MISSING', newcomer, createEmployee(newcomer, `n-${newcomer}@example.com`, ghost)],
        ['EMPLOYEE_ALREADY_EXISTS', dev, createEmployee(dev, 'again@example.com', null)],
        ['EMPLOYEE_MANAGER_CYCLE', boss, { type: 'update', changes: { managerId: dev } }],
        ['EMPLOYEE_MANAGER_CYCLE', boss, { type: 'update', changes: { managerId: boss } }],
        [
          'EMPLOYEE_HAS_DEPENDANTS',
          boss,
          { type: 'deactivate', at: at(3) },
          { employeeIds: [dev], teamIds: [], membershipIds: [] },
        ],
        [
          'EMPLOYEE_HAS_DEPENDANTS',
          boss,
          { type: 'deactivate', at: at(3) },
          { employeeIds: [], teamIds: [lead], membershipIds: [] },
        ],
        ['EMPLOYEE_FACTS_MISSING', boss, { type: 'deactivate', at: at(3) }],
        ['EMPLOYEE_NOT_INACTIVE', dev, { type: 'archive', at: at(3) }],
        ['EMPLOYEE_NOT_FOUND', ghost, { type: 'deactivate', at: at(3) }],
      ];
      for (const [expected, id, command, known] of cases) {
        const before = await snapshot(employeesTable, id);
        const r = await employee(command, id, known);
        expect(code(r), expected).toBe(expected);
        expect(await snapshot(employeesTable, id), expected).toEqual(before);
      }
      expect(await rowOf(employeesTable, newcomer)).toBeUndefined();
    });

    it('given an e-mail or host user id another employee has, when a second one is created, then the database refuses it (DUPLICATE_KEY) and nothing is written', async () => {
      const first = await hired();
      const email = (await rowOf(employeesTable, first))?.['email'] as string;
      await employee({ type: 'update', changes: { hostUserId: `host-${first}` } }, first);
      const second = employeeId();
      const attempts: Identity.CreateEmployee[] = [
        createEmployee(second, email.toUpperCase(), null),
        { ...createEmployee(second, `other-${second}@example.com`, null), hostUserId: `host-${first}` },
      ];
      for (const command of attempts) {
        const e = await caught(employee(command, second));
        expect(e.code).toBe('DUPLICATE_KEY');
        expect(await snapshot(employeesTable, second)).toEqual({ row: undefined, events: 0 });
      }
    });

    it('given teams, when nested, renamed, given a new visual and archived, then each row is the fold of its events', async () => {
      const boss = await hired();
      const escalation = await hired();
      const root = teamId();
      const child = teamId();
      expect(code(await team(createTeam(root, 'Delivery', null, boss), root, { teamIds: [] }))).toBe('ok');
      expect(
        code(
          await team(
            { ...createTeam(child, ' Platform ', root, boss), escalationManagerId: escalation },
            child,
            { teamIds: [root] },
          ),
        ),
      ).toBe('ok');
      expect(await rowOf(teamsTable, child)).toEqual({
        version: 1,
        state: 'active',
        name: 'Platform',
        parent_team_id: root,
        manager_id: boss,
        escalation_manager_id: escalation,
        visual_kind: 'system',
        visual_ref: 'blue',
        visual_version: 1,
        archived_at: null,
      });
      const changes: Identity.TeamCommand = {
        type: 'update',
        changes: { name: 'Core', visual: { kind: 'upload', ref: 'logos/core.png' } },
      };
      expect(code(await team(changes, child, { teamIds: [child] }))).toBe('ok');
      expect(code(await team({ type: 'update', changes: { visual: null } }, child))).toBe('ok');
      expect(await rowOf(teamsTable, child)).toMatchObject({
        version: 3,
        name: 'Core',
        visual_kind: null,
        visual_ref: null,
        visual_version: 3,
      });
      expect(code(await team({ type: 'archive', at: at(4) }, child, { teamIds: [] }))).toBe('ok');
      expect(code(await team({ type: 'archive', at: at(5) }, root, { teamIds: [child] }))).toBe('ok');
      expect(await rowOf(teamsTable, root)).toMatchObject({
        version: 2,
        state: 'archived',
        archived_at: at(5),
      });
      for (const id of [root, child]) {
        const folded = await expectRowIsFold(
          teamsTable,
          id,
          Identity.evolveTeam,
          Identity.initialTeamState(),
        );
        const loaded = await runtime.unitOfWork.run((s) =>
          s.aggregate(identityBindings.team.definition).load(stream(id)),
        );
        expect(loaded.state).toEqual(folded);
      }
    });

    it('given refused team commands, then each names its code and nothing is written', async () => {
      const boss = await hired();
      const gone = await hired();
      await employee({ type: 'deactivate', at: at(1) }, gone, {
        employeeIds: [],
        teamIds: [],
        membershipIds: [],
      });
      const root = await founded(null, boss);
      const child = teamId();
      expect(code(await team(createTeam(child, 'Platform', root, boss), child, { teamIds: [] }))).toBe('ok');
      const archived = await founded();
      await team({ type: 'archive', at: at(2) }, archived, { teamIds: [] });
      const fresh = teamId();
      const cases: [string, Identity.TeamId, Identity.TeamCommand, Identity.KnownTeams?][] = [
        ['TEAM_NAME_TAKEN', fresh, createTeam(fresh, ' platform ', root, boss), { teamIds: [child] }],
        ['TEAM_FACTS_MISSING', fresh, createTeam(fresh, 'Data', root, boss)],
        ['TEAM_FACTS_MISSING', fresh, createTeam(fresh, 'Data', teamId(), boss), { teamIds: [] }],
        ['TEAM_PARENT_NOT_ACTIVE', fresh, createTeam(fresh, 'Data', archived, null), { teamIds: [] }],
        ['TEAM_MANAGER_NOT_ACTIVE', fresh, createTeam(fresh, 'Data', root, gone), { teamIds: [] }],
        ['TEAM_PARENT_CYCLE', root, { type: 'update', changes: { parentTeamId: child } }, { teamIds: [] }],
        ['TEAM_HAS_ACTIVE_CHILDREN', root, { type: 'archive', at: at(3) }, { teamIds: [child, archived] }],
        ['TEAM_FACTS_MISSING', root, { type: 'archive', at: at(3) }],
        ['TEAM_ARCHIVED', archived, { type: 'update', changes: { name: 'Again' } }, { teamIds: [] }],
        ['TEAM_NOT_FOUND', teamId(), { type: 'archive', at: at(3) }, { teamIds: [] }],
      ];
      for (const [expected, id, command, known] of cases) {
        const before = [await snapshot(teamsTable, id), await snapshot(teamsTable, root)];
        const r = await team(command, id, known);
        expect(code(r), expected).toBe(expected);
        expect([await snapshot(teamsTable, id), await snapshot(teamsTable, root)], expected).toEqual(before);
      }
      expect(await rowOf(teamsTable, fresh)).toBeUndefined();
    });

    it('given a membership, when added, refused while open, removed and added again, then rows keep the history and open_marker follows the state', async () => {
      const dev = await hired();
      const squad = await founded();
      const first = membershipId();
      const add = (id: Identity.TeamMembershipId, minutes = 0): Identity.TeamMembershipCommand => ({
        type: 'add',
        membershipId: id,
        teamId: squad,
        employeeId: dev,
        role: 'lead',
        at: at(minutes),
      });
      expect(code(await membership(add(first), first))).toBe('ok');
      expect(await rowOf(teamMembershipsTable, first)).toEqual({
        version: 1,
        state: 'open',
        team_id: squad,
        employee_id: dev,
        role: 'lead',
        assigned_at: at(0),
        removed_at: null,
        open_marker: true,
      });
      // The decider refuses a second open membership of the pair when the loader is told of the first …
      const second = membershipId();
      const refused = await membership(add(second), second, { membershipIds: [first] });
      expect(code(refused)).toBe('MEMBERSHIP_ALREADY_OPEN');
      expect(await snapshot(teamMembershipsTable, second)).toEqual({ row: undefined, events: 0 });
      // … and the database's uq_open_membership key refuses it when it is not.
      expect((await caught(membership(add(second), second))).code).toBe('DUPLICATE_KEY');
      expect(await snapshot(teamMembershipsTable, second)).toEqual({ row: undefined, events: 0 });

      const before = await snapshot(teamMembershipsTable, first);
      expect(code(await membership({ type: 'remove', at: at(-1) }, first))).toBe('MEMBERSHIP_INVALID_PERIOD');
      expect(await snapshot(teamMembershipsTable, first)).toEqual(before);
      expect(code(await membership({ type: 'remove', at: at(10) }, first))).toBe('ok');
      expect(await rowOf(teamMembershipsTable, first)).toMatchObject({
        version: 2,
        state: 'closed',
        removed_at: at(10),
        open_marker: null,
      });
      const closed = await snapshot(teamMembershipsTable, first);
      expect(code(await membership({ type: 'remove', at: at(11) }, first))).toBe(
        'MEMBERSHIP_ALREADY_REMOVED',
      );
      expect(await snapshot(teamMembershipsTable, first)).toEqual(closed);
      expect(code(await membership(add(second, 20), second, { membershipIds: [first] }))).toBe('ok');
      for (const id of [first, second]) {
        await expectRowIsFold(
          teamMembershipsTable,
          id,
          Identity.evolveTeamMembership,
          Identity.initialTeamMembershipState(),
        );
      }
    });

    it('given refused membership adds, then each names its code and nothing is written', async () => {
      const dev = await hired();
      const gone = await hired();
      await employee({ type: 'deactivate', at: at(1) }, gone, {
        employeeIds: [],
        teamIds: [],
        membershipIds: [],
      });
      const squad = await founded();
      const archived = await founded();
      await team({ type: 'archive', at: at(2) }, archived, { teamIds: [] });
      const taken = membershipId();
      await membership(
        { type: 'add', membershipId: taken, teamId: squad, employeeId: dev, role: 'member', at: at(3) },
        taken,
      );
      const add = (
        teamId: Identity.TeamId,
        employeeId: Identity.EmployeeId,
        id: Identity.TeamMembershipId = membershipId(),
      ): Identity.AddMember => ({
        type: 'add',
        membershipId: id,
        teamId,
        employeeId,
        role: 'member',
        at: at(4),
      });
      const cases: [string, Identity.TeamMembershipCommand, Identity.TeamMembershipId][] = [
        ['MEMBERSHIP_TEAM_NOT_ACTIVE', add(archived, dev), membershipId()],
        ['MEMBERSHIP_EMPLOYEE_NOT_ACTIVE', add(squad, gone), membershipId()],
        ['MEMBERSHIP_FACTS_MISSING', add(teamId(), dev), membershipId()],
        ['MEMBERSHIP_FACTS_MISSING', add(squad, employeeId()), membershipId()],
        ['MEMBERSHIP_ALREADY_EXISTS', add(squad, gone, taken), taken],
        ['MEMBERSHIP_NOT_FOUND', { type: 'remove', at: at(5) }, membershipId()],
      ];
      for (const [expected, command, fallback] of cases) {
        const id = command.type === 'add' ? command.membershipId : fallback;
        const before = await snapshot(teamMembershipsTable, id);
        const r = await membership(command, id);
        expect(code(r), expected).toBe(expected);
        expect(await snapshot(teamMembershipsTable, id), expected).toEqual(before);
      }
    });

    it('given org structure versions, when published in order, refused out of order or stale, then the rows are the folds and the database keeps them immutable', async () => {
      const boss = await hired();
      const root = await founded(null, boss);
      const structure: Identity.OrgStructure = {
        teams: [
          { teamId: root, name: 'Delivery', parentTeamId: null, managerId: boss, escalationManagerId: null },
        ],
        memberships: [{ teamId: root, employeeId: boss, role: 'lead' }],
        orgRoles: [{ employeeId: boss, role: 'director' }],
        defaultEscalationManagerId: boss,
      };
      const publish = (
        id: Identity.OrgStructureVersionId,
        previousVersionId: Identity.OrgStructureVersionId | null,
        effectiveFrom: Instant,
        publishedAt: Instant,
        body: Identity.OrgStructure = structure,
      ) =>
        createCommandHandler(
          runtime,
          identityBindings.orgStructureVersion,
        )({
          streamId: stream(id),
          command: { type: 'publish', versionId: id, effectiveFrom, publishedAt, structure: body },
          metadata,
          loadFacts: identityBindings.orgStructureVersionFacts({ previousVersionId }),
        });
      const [v1, v2] = [versionId(), versionId()];
      expect(code(await publish(v1, null, at(100), at(0)))).toBe('ok');
      expect(code(await publish(v2, v1, at(200), at(10)))).toBe('ok');
      expect(await rowOf(orgStructureVersionsTable, v2)).toEqual({
        version: 1,
        state: 'published',
        version_number: 2,
        effective_from: at(200),
        published_at: at(10),
        structure,
      });
      const [a, b, c, d, e, f] = [
        versionId(),
        versionId(),
        versionId(),
        versionId(),
        versionId(),
        versionId(),
      ];
      const invalid: Identity.OrgStructure = {
        ...structure,
        memberships: [{ teamId: teamId(), employeeId: boss, role: 'member' }],
      };
      const refusals: [string, Identity.OrgStructureVersionId, () => ReturnType<typeof publish>][] = [
        ['ORG_VERSION_NOT_AFTER_PREVIOUS', a, () => publish(a, v2, at(150), at(20))],
        ['ORG_VERSION_RETROACTIVE', b, () => publish(b, v2, at(300), at(400))],
        ['ORG_VERSION_FACTS_MISSING', c, () => publish(c, versionId(), at(300), at(20))],
        ['ORG_VERSION_ALREADY_PUBLISHED', v1, () => publish(v1, v2, at(300), at(20))],
        ['ORG_STRUCTURE_INVALID', d, () => publish(d, v2, at(300), at(20), invalid)],
      ];
      for (const [expected, id, attempt] of refusals) {
        const before = await snapshot(orgStructureVersionsTable, id);
        expect(code(await attempt()), expected).toBe(expected);
        expect(await snapshot(orgStructureVersionsTable, id), expected).toEqual(before);
      }
      // A caller that names an older version than the latest (or none) decides a number that exists: the
      // database's uq_version_number refuses it.
      for (const [id, previous] of [
        [e, v1],
        [f, null],
      ] as const) {
        expect((await caught(publish(id, previous, at(300), at(20)))).code).toBe('DUPLICATE_KEY');
        expect(await snapshot(orgStructureVersionsTable, id)).toEqual({ row: undefined, events: 0 });
      }
      for (const id of [v1, v2]) {
        await expectRowIsFold(
          orgStructureVersionsTable,
          id,
          Identity.evolveOrgStructureVersion,
          Identity.initialOrgStructureVersionState(),
        );
      }
      const key = t.dialect.codecs.encodeId(v1);
      const before = await rowOf(orgStructureVersionsTable, v1);
      for (const statement of [
        sql`UPDATE ${sql.table(table('org_structure_versions'))} SET version_number = ${9} WHERE id = ${key}`,
        sql`DELETE FROM ${sql.table(table('org_structure_versions'))} WHERE id = ${key}`,
      ]) {
        const refused: PetError = await caught(
          statement.execute(t.db).catch((x: unknown) => {
            throw t.dialect.classifyError(x, 'exec');
          }),
        );
        expect(refused.code).toBe('IMMUTABLE_ROW');
      }
      expect(await rowOf(orgStructureVersionsTable, v1)).toEqual(before);
    });

    it('given an invalid command, when handled, then VALIDATION_FAILED names the field and nothing is written', async () => {
      const id = employeeId();
      const e = await caught(employee(createEmployee(id, 'not-an-email', null), id));
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(e.details)).toContain('email');
      const squad = teamId();
      const bad = await caught(team({ ...createTeam(squad, '   ', null, null) }, squad, { teamIds: [] }));
      expect(bad.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(bad.details)).toContain('name');
      expect(await snapshot(employeesTable, id)).toEqual({ row: undefined, events: 0 });
      expect(await snapshot(teamsTable, squad)).toEqual({ row: undefined, events: 0 });
    });
  });
}
