/**
 * "The structure as of T" at its boundaries, as fixed examples (issue 29, "Tests that bite": the
 * property test over random histories caught a flipped `<=` in only one seed of seven). A version is in
 * effect on `[effectiveFrom, next effectiveFrom)`: from exactly its start instant, not one microsecond
 * before, and until exactly the next version's start.
 */
import { describe, expect, test } from 'vitest';
import type { Instant } from '../../kernel/index.js';
import { DeciderSpecification } from '../../testing/index.js';
import {
  canSee,
  effectivePeriods,
  type OrgStructure,
  type OrgVersionSnapshot,
  orgStructureVersionDecider,
  validateOrgHistory,
  versionAsOf,
} from '../index.js';
import { emp, orgVersion, team } from '../test-support.test.js';

const T1 = '2026-01-01T00:00:00.000000Z' as Instant;
const T2 = '2026-07-01T00:00:00.000000Z' as Instant;
const BEFORE_T1 = '2025-12-31T23:59:59.999999Z' as Instant;
const AFTER_T1 = '2026-01-01T00:00:00.000001Z' as Instant;
const BEFORE_T2 = '2026-06-30T23:59:59.999999Z' as Instant;
const AFTER_T2 = '2026-07-01T00:00:00.000001Z' as Instant;

const lead = emp(1);
const member = emp(2);
/** Version 1: `member` is in Support, which `lead` does not manage; version 2: `member` moved to Sales, managed by `lead`. */
const structure = (memberTeam: number): OrgStructure => ({
  teams: [
    { teamId: team(1), name: 'Sales', parentTeamId: null, managerId: lead, escalationManagerId: null },
    { teamId: team(2), name: 'Support', parentTeamId: null, managerId: emp(3), escalationManagerId: null },
  ],
  memberships: [{ teamId: team(memberTeam), employeeId: member, role: 'member' }],
  orgRoles: [],
  defaultEscalationManagerId: null,
});
const v1: OrgVersionSnapshot = { versionNumber: 1, effectiveFrom: T1, structure: structure(2) };
const v2: OrgVersionSnapshot = { versionNumber: 2, effectiveFrom: T2, structure: structure(1) };
const history = [v1, v2];

describe('versionAsOf at the effective-from instant', () => {
  test.each([
    ['one microsecond before the first version', BEFORE_T1, null],
    ['exactly at the first version', T1, 1],
    ['one microsecond after the first version', AFTER_T1, 1],
    ['one microsecond before the second version', BEFORE_T2, 1],
    ['exactly at the second version', T2, 2],
    ['one microsecond after the second version', AFTER_T2, 2],
    ['long after the last version', '2099-12-31T23:59:59.999999Z' as Instant, 2],
  ] as const)('given versions from T1 and T2, when asked %s, then version %s', (_, at, expected) => {
    expect(versionAsOf(history, at)?.versionNumber ?? null).toBe(expected);
    // The order the versions are given in does not matter.
    expect(versionAsOf([v2, v1], at)?.versionNumber ?? null).toBe(expected);
  });

  test('given no version, then nothing is in effect at any instant', () => {
    expect(versionAsOf([], T2)).toBeNull();
  });

  test('the effective periods are half-open: version 1 ends exactly where version 2 starts', () => {
    expect(effectivePeriods([v2, v1])).toEqual([
      { versionNumber: 1, from: T1, to: T2 },
      { versionNumber: 2, from: T2, to: null },
    ]);
  });
});

describe('visibility follows the structure in effect at the boundary', () => {
  const seesMember = (asOf: Instant) =>
    canSee({ employeeId: lead }, { scope: 'employee', employeeId: member }, asOf, history);

  test('given the member joins the lead’s team at T2, then the lead sees them from T2 on, not before', () => {
    expect(seesMember(BEFORE_T2)).toBe(false);
    expect(seesMember(T2)).toBe(true);
    expect(seesMember(AFTER_T2)).toBe(true);
  });

  test('before the first version only one’s own records are visible', () => {
    expect(canSee({ employeeId: lead }, { scope: 'team', teamId: team(1) }, BEFORE_T1, history)).toBe(false);
    expect(canSee({ employeeId: lead }, { scope: 'team', teamId: team(1) }, T1, history)).toBe(true);
    expect(canSee({ employeeId: lead }, { scope: 'employee', employeeId: lead }, BEFORE_T1, history)).toBe(
      true,
    );
  });
});

describe('publishing a version at the boundary', () => {
  const spec = DeciderSpecification.for(orgStructureVersionDecider);
  const publish = (effectiveFrom: Instant, publishedAt: Instant) =>
    ({
      type: 'publish',
      versionId: orgVersion(9),
      effectiveFrom,
      publishedAt,
      structure: structure(1),
    }) as const;
  const latest = { latest: { versionNumber: 1, effectiveFrom: T2 } };

  test('given a latest version from T2, when the next starts exactly at T2, then ORG_VERSION_NOT_AFTER_PREVIOUS', () => {
    spec.given([]).when(publish(T2, BEFORE_T2), latest).thenRejects('ORG_VERSION_NOT_AFTER_PREVIOUS', {
      latestEffectiveFrom: T2,
      effectiveFrom: T2,
    });
    spec.given([]).when(publish(BEFORE_T2, BEFORE_T2), latest).thenRejects('ORG_VERSION_NOT_AFTER_PREVIOUS');
  });

  test('given a latest version from T2, when the next starts one microsecond later, then it is version 2', () => {
    spec
      .given([])
      .when(publish(AFTER_T2, T2), latest)
      .then([
        {
          type: 'org_structure.version_published',
          payload: {
            versionId: orgVersion(9),
            versionNumber: 2,
            effectiveFrom: AFTER_T2,
            publishedAt: T2,
            structure: structure(1),
          },
        },
      ]);
  });

  test('a version may take effect at the instant it is published, not one microsecond before', () => {
    const at = '2026-08-01T00:00:00.000000Z' as Instant;
    const justAfter = '2026-08-01T00:00:00.000001Z' as Instant;
    spec
      .given([])
      .when(publish(at, at), latest)
      .then([
        {
          type: 'org_structure.version_published',
          payload: {
            versionId: orgVersion(9),
            versionNumber: 2,
            effectiveFrom: at,
            publishedAt: at,
            structure: structure(1),
          },
        },
      ]);
    spec.given([]).when(publish(at, justAfter), latest).thenRejects('ORG_VERSION_RETROACTIVE', {
      effectiveFrom: at,
      publishedAt: justAfter,
    });
  });

  test('a history whose second version starts at the first one’s instant is broken; one microsecond later is valid', () => {
    expect(
      validateOrgHistory([
        { versionNumber: 1, effectiveFrom: T2 },
        { versionNumber: 2, effectiveFrom: T2 },
      ]),
    ).toEqual([{ field: '1.effectiveFrom', rule: "must be after version 1's start" }]);
    expect(
      validateOrgHistory([
        { versionNumber: 1, effectiveFrom: T2 },
        { versionNumber: 2, effectiveFrom: AFTER_T2 },
      ]),
    ).toEqual([]);
  });
});
