import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Instant } from '../../kernel/index.js';
import {
  assertEvolveNeverThrows,
  assertReplayDeterministic,
  DeciderSpecification,
} from '../../testing/index.js';
import type { IsoDate } from '../ids.js';
import { at, emp, orgVersion, team, tracked } from '../test-support.test.js';
import { orgStructureVersionCommandSchema, type PublishOrgVersion } from './commands.js';
import { orgStructureVersionDecider } from './decider.js';
import type { OrgStructureVersionEvent } from './events.js';
import { dayStart, effectivePeriods, validateOrgHistory, versionAsOf } from './periods.js';
import { ORG_STRUCTURE_VERSION_REJECTION_CODES } from './rejections.js';
import type { PublishedOrgVersion } from './state.js';
import { type OrgStructure, subtreeTeamIds, validateOrgStructure } from './structure.js';

const { decider, seen } = tracked(orgStructureVersionDecider);
const spec = DeciderSpecification.for(decider);

const structure: OrgStructure = {
  teams: [
    { teamId: team(1), name: 'Company', parentTeamId: null, managerId: emp(1), escalationManagerId: null },
    { teamId: team(2), name: 'Ops', parentTeamId: team(1), managerId: emp(2), escalationManagerId: emp(3) },
  ],
  memberships: [{ teamId: team(2), employeeId: emp(4), role: 'member' }],
  orgRoles: [{ employeeId: emp(1), role: 'director' }],
  defaultEscalationManagerId: emp(1),
};
const publish: PublishOrgVersion = {
  type: 'publish',
  versionId: orgVersion(2),
  effectiveFrom: at(100),
  publishedAt: at(50),
  structure,
};
const published = (
  versionNumber: number,
  effectiveFrom: Instant,
  publishedAt: Instant,
): OrgStructureVersionEvent => ({
  type: 'org_structure.version_published',
  payload: { versionId: orgVersion(2), versionNumber, effectiveFrom, publishedAt, structure },
});

describe('org structure version: publish', () => {
  test('given no version yet, the first one may start in the past and gets number 1', () => {
    spec
      .given([])
      .when({ ...publish, effectiveFrom: at(0) }, { latest: null })
      .then([published(1, at(0), at(50))]);
  });

  test('given a latest version, the next one continues its number and starts later, not before publication', () => {
    spec
      .given([])
      .when(publish, { latest: { versionNumber: 3, effectiveFrom: at(60) } })
      .then([published(4, at(100), at(50))]);
    spec
      .given([])
      .when({ ...publish, publishedAt: at(100) }, { latest: { versionNumber: 3, effectiveFrom: at(60) } })
      .then([published(4, at(100), at(100))]);
  });

  test('given a published version, when published again, then ORG_VERSION_ALREADY_PUBLISHED (immutable)', () => {
    spec
      .given([published(1, at(0), at(0))])
      .when(publish, { latest: null })
      .thenRejects('ORG_VERSION_ALREADY_PUBLISHED', { versionNumber: 1 });
  });

  test('a start not after the latest start is ORG_VERSION_NOT_AFTER_PREVIOUS', () => {
    spec
      .given([])
      .when(publish, { latest: { versionNumber: 1, effectiveFrom: at(100) } })
      .thenRejects('ORG_VERSION_NOT_AFTER_PREVIOUS');
    spec
      .given([])
      .when(publish, { latest: { versionNumber: 1, effectiveFrom: at(200) } })
      .thenRejects('ORG_VERSION_NOT_AFTER_PREVIOUS');
  });

  test('a start before publication (after the first version) is ORG_VERSION_RETROACTIVE', () => {
    spec
      .given([])
      .when({ ...publish, publishedAt: at(101) }, { latest: { versionNumber: 1, effectiveFrom: at(0) } })
      .thenRejects('ORG_VERSION_RETROACTIVE', { effectiveFrom: at(100), publishedAt: at(101) });
  });

  test('an invalid structure is ORG_STRUCTURE_INVALID listing the issues; missing facts ORG_VERSION_FACTS_MISSING', () => {
    const cyclic: OrgStructure = {
      ...structure,
      teams: [{ ...structure.teams[0]!, parentTeamId: team(2) }, structure.teams[1]!],
    };
    spec
      .given([])
      .when({ ...publish, structure: cyclic }, { latest: null })
      .thenRejects('ORG_STRUCTURE_INVALID', {
        issues: [
          { field: 'teams.0.parentTeamId', rule: 'forms a cycle' },
          { field: 'teams.1.parentTeamId', rule: 'forms a cycle' },
        ],
      });
    spec.given([]).when(publish).thenRejects('ORG_VERSION_FACTS_MISSING');
  });

  test('every org-version rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...ORG_STRUCTURE_VERSION_REJECTION_CODES].sort());
  });

  test('the command schema checks the snapshot shape', () => {
    expect(orgStructureVersionCommandSchema.parse(publish)).toEqual(publish);
    const r = orgStructureVersionCommandSchema.safeParse({
      ...publish,
      structure: { ...structure, teams: [{ teamId: 'x' }] },
    });
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('structure.teams.0.teamId');
  });
});

describe('structure rules', () => {
  test('duplicate teams, unknown parents, unknown membership teams, duplicate pairs and roles are named', () => {
    const broken: OrgStructure = {
      teams: [
        ...structure.teams,
        { ...structure.teams[1]! },
        { ...structure.teams[1]!, teamId: team(3), parentTeamId: team(9) },
      ],
      memberships: [
        ...structure.memberships,
        ...structure.memberships,
        { teamId: team(8), employeeId: emp(1), role: 'lead' },
      ],
      orgRoles: [...structure.orgRoles, ...structure.orgRoles],
      defaultEscalationManagerId: null,
    };
    expect(validateOrgStructure(broken)).toEqual([
      { field: 'teams.2.teamId', rule: `duplicate team ${team(2)}` },
      { field: 'teams.3.parentTeamId', rule: `unknown team ${team(9)}` },
      { field: 'memberships.1', rule: 'duplicate team/employee membership' },
      { field: 'memberships.2.teamId', rule: `unknown team ${team(8)}` },
      { field: 'orgRoles.1', rule: 'duplicate org role' },
    ]);
    expect(validateOrgStructure(structure)).toEqual([]);
    expect([...subtreeTeamIds(structure, team(1))]).toEqual([team(1), team(2)]);
  });
});

describe('org version period rules', () => {
  type Attempt = { from: number; publishedAt: number };
  const attemptArb = fc.record({ from: fc.nat(500), publishedAt: fc.nat(500) });

  test.prop([
    fc.array(attemptArb, { minLength: 1, maxLength: 40 }),
    fc.array(fc.nat(600), { maxLength: 20 }),
  ])(
    'accepted versions are numbered 1..n with contiguous, non-overlapping periods, and "as of" finds the one containing the instant',
    (attempts: Attempt[], probes) => {
      const history: PublishedOrgVersion[] = [];
      attempts.forEach((a, i) => {
        const latest = history.at(-1) ?? null;
        const r = orgStructureVersionDecider.decide(
          {
            type: 'publish',
            versionId: orgVersion(i),
            effectiveFrom: at(a.from),
            publishedAt: at(a.publishedAt),
            structure,
          },
          { status: 'absent' },
          { latest },
        );
        if (!r.ok) return;
        const state = r.value.reduce(
          orgStructureVersionDecider.evolve,
          orgStructureVersionDecider.initialState(),
        );
        if (state.status === 'published') {
          if (latest !== null) expect(state.effectiveFrom >= state.publishedAt).toBe(true);
          history.push(state);
        }
      });
      expect(history.length).toBeGreaterThan(0);
      expect(validateOrgHistory(history)).toEqual([]);
      expect(history.map((v) => v.versionNumber)).toEqual(history.map((_, i) => i + 1));
      const periods = effectivePeriods([...history].reverse());
      periods.forEach((p, i) => {
        const next = periods[i + 1];
        if (next === undefined) expect(p.to).toBeNull();
        else {
          expect(p.to).toBe(next.from); // contiguous
          expect(p.from < next.from).toBe(true); // non-overlapping, non-empty
        }
      });
      for (const probe of probes) {
        const instant = at(probe);
        const containing = periods.find((p) => p.from <= instant && (p.to === null || instant < p.to));
        expect(versionAsOf(history, instant)?.versionNumber ?? null).toBe(containing?.versionNumber ?? null);
      }
    },
  );

  test('broken histories are named: gaps, repeats, starts that do not increase', () => {
    expect(
      validateOrgHistory([
        { versionNumber: 1, effectiveFrom: at(10) },
        { versionNumber: 3, effectiveFrom: at(5) },
      ]),
    ).toEqual([
      { field: '1.versionNumber', rule: 'must be 2 (numbers have no gaps)' },
      { field: '1.effectiveFrom', rule: "must be after version 1's start" },
    ]);
    expect(versionAsOf([], at(0))).toBeNull();
    expect(dayStart('2026-07-01' as IsoDate)).toBe('2026-07-01T00:00:00.000000Z');
  });

  test('laws: evolve never throws, replay is deterministic (only the first publication counts)', () => {
    const events = fc.array(
      fc.nat(100).map((t) => published(1, at(t), at(t))),
      { maxLength: 5 },
    );
    assertEvolveNeverThrows(orgStructureVersionDecider, events);
    assertReplayDeterministic(orgStructureVersionDecider, events);
  });
});
