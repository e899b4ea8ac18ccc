import type { Identity, Instant } from '@pet-ops/core';
import { createActivityFeedProjection } from '@pet-ops/kpi';
import type { Connection, Pool, RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMysqlEventStore } from '../event-store/event-store.js';
import { commercialDrafts, fixtureId } from '../kpi/fixtures.test.js';
import { useFreshDatabase } from '../migration/fresh-database.test.js';
import { installSchema } from '../testing/schema.js';
import type { TestDatabase } from '../testing/test-database.js';
import { createActivityFeedRunner } from './activity-feed.js';

let db: TestDatabase;
let pool: Pool;
let conn: Connection;
useFreshDatabase((fresh) => {
  ({ db, pool, conn } = fresh);
});

const alice = fixtureId(0x100, 1) as string as Identity.EmployeeId;
const boss = fixtureId(0x100, 99) as string as Identity.EmployeeId;
const teamA = fixtureId(0xb00, 1) as string as Identity.TeamId;
const orgVersions: Identity.OrgVersionSnapshot[] = [
  {
    versionNumber: 1,
    effectiveFrom: '2025-01-01T00:00:00.000000Z' as Instant,
    structure: {
      teams: [
        { teamId: teamA, name: 'Sales A', parentTeamId: null, managerId: boss, escalationManagerId: null },
      ],
      memberships: [{ teamId: teamA, employeeId: alice, role: 'member' }],
      orgRoles: [],
      defaultEscalationManagerId: null,
    },
  },
];

async function rowsSnapshot(): Promise<unknown[]> {
  const [rows] = await conn.query<RowDataPacket[]>(
    'SELECT HEX(id) AS id, source_position, occurred_at, actor_id, event_type, reference_id, previous_state, new_state, scope_team_ids, headline, subline, tags, meta FROM activity_feed_projections ORDER BY source_position',
  );
  return rows;
}

beforeAll(async () => {
  await installSchema(db.url);
  await createMysqlEventStore({ pool, prefix: '' }).append(
    fixtureId(0xa00, 1),
    'no_stream',
    commercialDrafts(40),
  );
});

describe('activity feed on MariaDB', () => {
  it('given events, when caught up, then the rows equal the pure projection, and a rebuild adds nothing', async () => {
    const feed = createActivityFeedRunner({ pool, orgVersions, batchSize: 25 });
    const added = await feed.catchUp();
    const expected: unknown[] = [];
    const projection = createActivityFeedProjection({ orgVersions });
    for await (const i of projection.projectAll(createMysqlEventStore({ pool, prefix: '' }).readAll()))
      expected.push(i);
    expect(added).toBe(expected.length);
    expect(added).toBeGreaterThan(10);
    const before = await rowsSnapshot();
    expect(await feed.catchUp()).toBe(0);
    expect(await feed.rebuild()).toBe(0);
    expect(await rowsSnapshot()).toEqual(before);
    await expect(conn.query('UPDATE activity_feed_projections SET headline = ?', ['x'])).rejects.toThrow();
    await expect(conn.query('DELETE FROM activity_feed_projections')).rejects.toThrow();
  });

  it('returns only what the viewer may see, newest first', async () => {
    const feed = createActivityFeedRunner({ pool, orgVersions });
    const asOf = '2026-12-31T00:00:00.000000Z' as Instant;
    const since = '2025-01-01T00:00:00.000000Z' as Instant;
    const mine = await feed.items({ viewer: { employeeId: alice }, asOf, since, limit: 1000 });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i) => i.actorId === alice)).toBe(true);
    const managed = await feed.items({ viewer: { employeeId: boss }, asOf, since, limit: 1000 });
    expect(managed).toEqual(mine);
    const stranger = await feed.items({
      viewer: { employeeId: fixtureId(0x100, 50) as string as Identity.EmployeeId },
      asOf,
      since,
    });
    expect(stranger).toEqual([]);
    const times = mine.map((i) => i.occurredAt);
    expect(times).toEqual([...times].sort().reverse());
  });
});
