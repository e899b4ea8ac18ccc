// The generic event store and unit of work of @pet-ops/sql on MariaDB, through this adapter's PetDialect:
// the same contract suites that run on SQLite.
import type { Uuid } from '@pet-ops/core';
import { createEventStore, createUnitOfWork, STATE_TABLES } from '@pet-ops/sql';
import { Kysely } from 'kysely';
import type { RowDataPacket } from 'mysql2/promise';
import { inject } from 'vitest';
import { describeEventStoreContract } from '../../sql/src/contract/event-store-contract.test.js';
import { describeUnitOfWorkContract } from '../../sql/src/contract/unit-of-work-contract.test.js';
import { connect } from './connection.js';
import { mapDriverError } from './errors.js';
import { countRows, openFixture } from './event-store/fixtures.test.js';
import { bytesToUuid, uuidToBytes } from './internal/uuid-bytes.js';
import { mysqlDialect } from './pet-dialect.js';

async function open(prefix: string) {
  const fx = await openFixture(inject('mysqlUrl'), prefix);
  const second = await connect({ url: fx.db.url, connectionLimit: 10 });
  const [a, b] = [mysqlDialect({ pool: fx.pool }), mysqlDialect({ pool: second })];
  // Kysely's end() would end the pools: the fixture ends them.
  const dbA = new Kysely<never>({ dialect: a.kysely });
  const dbB = new Kysely<never>({ dialect: b.kysely });
  return {
    fx,
    pools: [fx.pool, second] as const,
    stores: [
      createEventStore({ db: dbA, dialect: a, prefix }),
      createEventStore({ db: dbB, dialect: b, prefix }),
    ] as const,
    dialects: [a, b] as const,
    close: async () => {
      await second.end();
      await fx.close();
    },
  };
}

describeEventStoreContract('mariadb, generic store', async () => {
  const o = await open('pet_');
  return {
    store: o.stores[0],
    secondStore: o.stores[1],
    exec: async (statement) => {
      try {
        await o.fx.pool.query(statement);
      } catch (e) {
        throw mapDriverError(e, 'exec');
      }
    },
    countEvents: () => countRows(o.fx.pool, 'pet_domain_events'),
    eventsTable: '`pet_domain_events`',
    truncate: 'privileges-only',
    close: o.close,
  };
});

describeUnitOfWorkContract('mariadb', async (appendEvents) => {
  const o = await open('pet_');
  const unit = (i: 0 | 1) =>
    createUnitOfWork({
      dialect: o.dialects[i],
      prefix: 'pet_',
      events: o.stores[i],
      tables: STATE_TABLES,
      appendEvents,
    });
  return {
    uow: unit(0),
    secondUow: unit(1),
    events: o.stores[0],
    row: async (id: Uuid) => {
      const [rows] = await o.fx.pool.query<RowDataPacket[]>('SELECT * FROM pet_employees WHERE id = ?', [
        uuidToBytes(id),
      ]);
      const r = rows[0];
      return r === undefined
        ? undefined
        : { ...r, id: bytesToUuid(r['id'] as Buffer), version: Number(r['version']) };
    },
    concurrentWriters: true,
    close: o.close,
  };
});
