import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect } from './connection.js';
import { createMysqlEventStore } from './event-store/event-store.js';
import { countRows, drafts, type Fixture, newId, openFixture } from './event-store/fixtures.test.js';
import { PREPARED_PER_CONNECTION } from './prepared-inserts.js';

// One pooled connection, so the session counters read below are the appends' own.
describe('large INSERTs as prepared statements (MariaDB)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture(inject('mysqlUrl'), 'pet_', 1);
  });
  afterAll(async () => {
    await fx.close();
  });

  const counters = async (pool: Pool = fx.pool): Promise<{ prepared: number; executed: number }> => {
    const [rows] = await pool.query<RowDataPacket[]>(
      "SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute')",
    );
    const of = (name: string): number => Number(rows.find((r) => r['Variable_name'] === name)?.['Value']);
    return { prepared: of('Com_stmt_prepare'), executed: of('Com_stmt_execute') };
  };

  it('given batches of 1000 events, when appended, then the first goes as text, the same INSERT is prepared once after, and every event reads back as written', async () => {
    const store = createMysqlEventStore({ pool: fx.pool, prefix: 'pet_' });
    const before = await counters();
    const batches = [0, 1, 2].map(() => ({ streamId: newId(), events: drafts(1000) }));
    for (const b of batches) await store.append(b.streamId, 'no_stream', b.events);
    const after = await counters();
    // Each statement of a 1-connection pool runs on the session read here (SHOW STATUS is not prepared).
    expect(after.prepared - before.prepared).toBe(1);
    expect(after.executed - before.executed).toBe(2);
    for (const b of batches) {
      const stored = await store.readStream(b.streamId);
      expect(stored.map((e) => e.eventId)).toEqual(b.events.map((e) => e.eventId));
      expect(stored.map((e) => e.payload)).toEqual(b.events.map((e) => e.payload));
      expect(stored.map((e) => e.occurredAt)).toEqual(b.events.map((e) => e.occurredAt));
      expect(stored.map((e) => e.streamVersion)).toEqual(b.events.map((_, i) => i + 1));
    }
    const positions = (await store.readStream(batches[2]?.streamId as never)).map((e) => e.position);
    expect(positions.every((p, i) => i === 0 || p === (positions[i - 1] as bigint) + 1n)).toBe(true);
  });

  it(`given many sizes of large batch, when each is appended twice, then one connection prepares at most ${PREPARED_PER_CONNECTION}`, async () => {
    // A connection of its own (the first test's already holds one prepared INSERT), and two stores on it:
    // the bound is the connection's, not each store's.
    const pool = await connect({ url: fx.db.url, connectionLimit: 1 });
    try {
      const stores = [0, 1].map(() => createMysqlEventStore({ pool, prefix: 'pet_' }));
      const before = await counters(pool);
      for (const size of [100, 200, 300, 400, 500, 600]) {
        for (const store of stores) await store.append(newId(), 'no_stream', drafts(size));
      }
      const after = await counters(pool);
      expect(after.prepared - before.prepared).toBe(PREPARED_PER_CONNECTION);
      expect(await countRows(pool, 'pet_domain_events')).toBeGreaterThanOrEqual(2 * 2100);
    } finally {
      await pool.end();
    }
  });

  it('given small appends, when many are written, then none is prepared', async () => {
    const store = createMysqlEventStore({ pool: fx.pool, prefix: 'pet_' });
    const before = await counters();
    for (let i = 0; i < 20; i++) await store.append(newId(), 'no_stream', drafts(3));
    const after = await counters();
    expect(after.prepared - before.prepared).toBe(0);
    expect(after.executed - before.executed).toBe(0);
  });
});
