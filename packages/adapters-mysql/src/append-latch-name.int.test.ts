import { createEventStore } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import { createConnection, createPool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectionOptions, withDatabase } from './connection.js';
import { caught, drafts, type Fixture, newId, openFixture } from './event-store/fixtures.test.js';
import { appendLatchName } from './event-store/statements.js';
import { mysqlDialect } from './pet-dialect.js';

// A host's pool may be configured without a database and select one per session (`USE`): the seam's
// writers must still queue on the latch the adapter's own writers take, named after the database in use.
describe('append latch of mysqlDialect over a pool configured without a database', () => {
  let fx: Fixture;
  let database: string;
  beforeAll(async () => {
    fx = await openFixture(inject('mysqlUrl'), 'pet_');
    database = new URL(fx.db.url).pathname.slice(1);
  });
  afterAll(async () => {
    await fx.close();
  });

  it('given the adapter’s latch held elsewhere, when the seam appends, then it waits on that latch and times out; released, the append lands', async () => {
    const pool = createPool({ ...connectionOptions(withDatabase(fx.db.url, '')), connectionLimit: 2 });
    pool.on('connection', (conn) => {
      conn.query(`USE \`${database}\``);
    });
    const dialect = mysqlDialect({ pool });
    expect(dialect.database).toBe('');
    const db = new Kysely<never>({ dialect: dialect.kysely });
    const store = createEventStore({ db: db as never, dialect, prefix: 'pet_', latchTimeoutMs: 1000 });
    const holder = await createConnection(connectionOptions(fx.db.url));
    try {
      const name = appendLatchName(database, 'pet_domain_events');
      const [[held]] = (await holder.query('SELECT GET_LOCK(?, 0) AS got', [name])) as unknown as [
        [{ got: number }],
      ];
      expect(held?.got).toBe(1);
      const streamId = newId();
      const busy = await caught(store.append(streamId, 'no_stream', drafts(2)));
      expect(busy).toMatchObject({ code: 'LOCK_TIMEOUT', retryable: true });
      expect(await store.readStream(streamId)).toEqual([]);
      await holder.query('DO RELEASE_LOCK(?)', [name]);
      const appended = await store.append(streamId, 'no_stream', drafts(2));
      expect(appended.positions).toHaveLength(2);
      expect(await store.readStream(streamId)).toHaveLength(2);
    } finally {
      await holder.end();
      await pool.end();
    }
  });
});
