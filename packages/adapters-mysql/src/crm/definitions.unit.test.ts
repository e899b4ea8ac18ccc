import { fc } from '@fast-check/vitest';
import { Crm, type Identity, type Instant } from '@pet-ops/core';
import { sequentialIds } from '@pet-ops/core/testing';
import { describe, expect, it } from 'vitest';
import {
  employeeDefinition,
  orgStructureVersionDefinition,
  teamDefinition,
  teamMembershipDefinition,
} from '../identity/definitions.js';
import { encodeStateColumns } from '../unit-of-work/state-table.js';
import { companyDefinition, companySlotDefinition, personDefinition } from './definitions.js';

const ids = sequentialIds(77);
const id = <T>(): T => ids.next() as unknown as T;
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) })
  .chain((ms) =>
    fc
      .integer({ min: 0, max: 999 })
      .map((us) => `${new Date(ms).toISOString().slice(0, 23)}${String(us).padStart(3, '0')}Z` as Instant),
  );
const text = fc.string({ minLength: 1, maxLength: 20 });
const orNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

/** What the MySQL unit of work stores and hands back: columns via encodeStateColumns, plus the row id. */
function throughRow<S>(
  def: { encode: (s: S) => unknown; decode: (r: unknown) => S },
  state: S,
  rowId: string,
): S {
  const { id: own, ...rest } = def.encode(state) as Record<string, unknown>;
  expect(own).toBe(rowId);
  return def.decode({ ...Object.fromEntries(encodeStateColumns(rest)), id: rowId });
}

describe('state-table codecs round-trip (decode ∘ encode = id), through the row and in memory', () => {
  it('property: companies', () => {
    fc.assert(
      fc.property(
        instant,
        text,
        orNull(text),
        orNull(text),
        fc.option(instant, { nil: undefined }),
        (createdAt, name, externalId, einRaw, archivedAt) => {
          const details = {
            companyId: id<Crm.CompanyId>(),
            companyUid: Crm.formatCompanyUid(createdAt, 42),
            createdAt,
            name,
            website: 'acme.example' as Crm.NormalizedWebsite,
            externalId,
            einRaw,
          };
          const state: Crm.CompanyState =
            archivedAt === undefined
              ? { ...details, status: 'active' }
              : { ...details, status: 'archived', archivedAt };
          expect(throughRow(companyDefinition, state, details.companyId)).toEqual(state);
          expect(companyDefinition.decode(companyDefinition.encode(state))).toEqual(state);
        },
      ),
    );
  });

  it('property: slots and people', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('open', 'pending', 'filled'),
        fc.constantFrom(...Crm.SLOT_ROLES),
        instant,
        (status, role, createdAt) => {
          const companyUid = Crm.formatCompanyUid(createdAt, 1);
          const details = {
            slotId: id<Crm.CompanySlotId>(),
            slotUid: Crm.formatSlotUid(companyUid, role),
            companyId: id<Crm.CompanyId>(),
            companyUid,
            role,
          };
          const state: Crm.CompanySlotState =
            status === 'open' ? { ...details, status } : { ...details, status, personId: id<Crm.PersonId>() };
          expect(throughRow(companySlotDefinition, state, details.slotId)).toEqual(state);
          const person: Crm.PersonState = {
            status: 'active',
            personId: id<Crm.PersonId>(),
            personUid: Crm.formatPersonUid(createdAt, 3),
            createdAt,
            name: 'Ada',
            email: null,
            linkedinUrl: 'https://www.linkedin.com/in/ada',
            validationStatus: 'verified',
          };
          expect(throughRow(personDefinition, person, person.personId)).toEqual(person);
        },
      ),
    );
  });

  it('identity: employees, teams, memberships (open_marker follows the status), org versions', () => {
    const employeeId = id<Identity.EmployeeId>();
    const at = '2026-11-22T10:00:00.123456Z' as Instant;
    const employee: Identity.EmployeeState = {
      status: 'archived',
      employeeId,
      firstName: 'A',
      lastName: 'B',
      email: 'a@b.c',
      hostUserId: '7',
      managerId: id<Identity.EmployeeId>(),
      hireDate: '2026-01-31' as Identity.IsoDate,
      deactivatedAt: at,
      archivedAt: at,
    };
    expect(throughRow(employeeDefinition, employee, employeeId)).toEqual(employee);
    const teamId = id<Identity.TeamId>();
    const team: Identity.TeamState = {
      status: 'active',
      teamId,
      name: 'T',
      parentTeamId: null,
      managerId: employeeId,
      escalationManagerId: null,
      visual: null,
      visualVersion: 2,
    };
    expect(throughRow(teamDefinition, team, teamId)).toEqual(team);
    const membershipId = id<Identity.TeamMembershipId>();
    const open: Identity.TeamMembershipState = {
      status: 'open',
      membershipId,
      teamId,
      employeeId,
      role: 'lead',
      assignedAt: at,
    };
    expect((teamMembershipDefinition.encode(open) as { open_marker: unknown }).open_marker).toBe(1);
    expect(throughRow(teamMembershipDefinition, open, membershipId)).toEqual(open);
    const closed: Identity.TeamMembershipState = { ...open, status: 'closed', removedAt: at };
    expect((teamMembershipDefinition.encode(closed) as { open_marker: unknown }).open_marker).toBeNull();
    expect(throughRow(teamMembershipDefinition, closed, membershipId)).toEqual(closed);
    const versionId = id<Identity.OrgStructureVersionId>();
    const version: Identity.OrgStructureVersionState = {
      status: 'published',
      versionId,
      versionNumber: 3,
      effectiveFrom: at,
      publishedAt: at,
      structure: {
        teams: [],
        memberships: [],
        orgRoles: [{ employeeId, role: 'director' }],
        defaultEscalationManagerId: null,
      },
    };
    expect(throughRow(orgStructureVersionDefinition, version, versionId)).toEqual(version);
  });
});
