import { fc, test } from '@fast-check/vitest';
import type { Identity } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { type ActivityItem, canSeeActivity, createActivityFeedProjection } from './feed.js';
import { at, emp, eur, orgVersionOf, stream, team, utc, uuid } from './test-support.test.js';

const versions = [
  orgVersionOf(1, utc('2026-01-01T00:00:00'), [
    [emp(1), team(1)],
    [emp(2), team(2)],
  ]),
];

async function collect(it: AsyncIterable<ActivityItem>): Promise<ActivityItem[]> {
  const out: ActivityItem[] = [];
  for await (const i of it) out.push(i);
  return out;
}

describe('activity feed projection', () => {
  const events = stream([
    { type: 'lead.created', at: at(0), actor: emp(1), payload: { leadId: uuid(1) } },
    {
      type: 'quote.sent',
      at: at(10),
      actor: emp(1),
      customerId: uuid(0x77),
      payload: { quoteId: uuid(2), version: 1, totalSell: eur(1500) },
    },
    {
      type: 'quote.accepted',
      at: at(20),
      actor: emp(2),
      payload: {
        quoteId: uuid(2),
        version: 1,
        saleId: uuid(3),
        customerId: uuid(0x77),
        totalSell: eur(1500),
      },
    },
  ]);

  it('answers who, when, which entity, previous and new state; skips events with no feed meaning', async () => {
    const items = await collect(createActivityFeedProjection({ orgVersions: versions }).projectAll(events));
    expect(
      items.map((i) => [
        i.eventType,
        i.actorId,
        i.occurredAt,
        i.referenceType,
        i.referenceId,
        i.previousState,
        i.newState,
        i.customerId,
        i.scopeTeamIds,
      ]),
    ).toEqual([
      ['QUOTE_SENT', emp(1), at(10), 'quote', uuid(2), 'approved', 'sent', uuid(0x77), [team(1)]],
      ['QUOTE_ACCEPTED', emp(2), at(20), 'quote', uuid(2), 'sent', 'accepted', uuid(0x77), [team(2)]],
    ]);
    expect(items[0]?.headline).toBe('Quote sent (version 1)');
    expect(items[0]?.subline).toBe('EUR 1500 (minor units)');
    expect(items.map((i) => i.id)).toEqual([events[1]?.eventId, events[2]?.eventId]);
  });

  it('is deduplicated by position on re-reads and resumes after an offset', async () => {
    const feed = createActivityFeedProjection({ orgVersions: versions });
    const twice = await collect(feed.projectAll([...events, ...events]));
    expect(twice).toHaveLength(2);
    const resumed = await collect(feed.projectAll(events, 2n));
    expect(resumed.map((i) => i.eventType)).toEqual(['QUOTE_ACCEPTED']);
  });

  test.prop([
    fc.array(
      fc.tuple(
        fc.constantFrom('quote.sent', 'quote.accepted', 'lead.created'),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 3 }),
      ),
      { maxLength: 40 },
    ),
    fc.nat(),
  ])('a rebuild gives identical rows, in one go or resumed at any offset', async (specs, cut) => {
    const evs = stream(
      specs.map(([type, m, n]) => ({
        type,
        at: at(m),
        actor: emp(n),
        payload: { quoteId: uuid(n), totalSell: eur(m) },
      })),
    );
    const feed = createActivityFeedProjection({ orgVersions: versions });
    const all = await collect(feed.projectAll(evs));
    const k = BigInt(evs.length === 0 ? 0 : cut % (evs.length + 1));
    const head = await collect(feed.projectAll(evs.filter((e) => e.position <= k)));
    const tail = await collect(feed.projectAll(evs, k));
    expect([...head, ...tail]).toEqual(all);
    expect(await collect(createActivityFeedProjection({ orgVersions: versions }).projectAll(evs))).toEqual(
      all,
    );
  });
});

describe('feed visibility', () => {
  const manager = emp(9);
  const director = emp(10);
  const structure: Identity.OrgVersionSnapshot = {
    ...(versions[0] as Identity.OrgVersionSnapshot),
    structure: {
      ...(versions[0] as Identity.OrgVersionSnapshot).structure,
      teams: (versions[0] as Identity.OrgVersionSnapshot).structure.teams.map((t) =>
        t.teamId === team(1) ? { ...t, managerId: manager as Identity.EmployeeId } : t,
      ),
      orgRoles: [{ employeeId: director as Identity.EmployeeId, role: 'director' }],
    },
  };
  const item = (actor: string, teams: string[]) => ({
    actorType: 'employee' as const,
    actorId: actor,
    scopeTeamIds: teams,
  });
  const now = utc('2026-05-01T00:00:00');

  it('follows the visibility policy: self, managed teams and their members, org roles; others see nothing', () => {
    expect(
      canSeeActivity({ employeeId: emp(2) as Identity.EmployeeId }, item(emp(2), [team(2)]), now, [
        structure,
      ]),
    ).toBe(true);
    expect(
      canSeeActivity({ employeeId: manager as Identity.EmployeeId }, item(emp(1), [team(1)]), now, [
        structure,
      ]),
    ).toBe(true);
    expect(
      canSeeActivity({ employeeId: manager as Identity.EmployeeId }, item(emp(2), [team(2)]), now, [
        structure,
      ]),
    ).toBe(false);
    expect(
      canSeeActivity({ employeeId: emp(1) as Identity.EmployeeId }, item(emp(2), [team(2)]), now, [
        structure,
      ]),
    ).toBe(false);
    expect(
      canSeeActivity({ employeeId: director as Identity.EmployeeId }, item(emp(2), [team(2)]), now, [
        structure,
      ]),
    ).toBe(true);
  });
});
