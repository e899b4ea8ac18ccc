// The unit-of-work contract on PostgreSQL: two pools on one database, each with its own event store.
import type { Uuid } from '@pet-ops/core';
import { createEventStore, createUnitOfWork, STATE_TABLES } from '@pet-ops/sql';
import { sql } from 'kysely';
import { describeUnitOfWorkContract } from '../../sql/src/contract/unit-of-work-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeUnitOfWorkContract('postgres', async (appendEvents) => {
  const fx = await freshPostgres('pet_');
  const [a, b] = [fx.client(), fx.client()];
  const unit = (d: typeof a) =>
    createUnitOfWork({
      dialect: d.dialect,
      prefix: 'pet_',
      events: createEventStore({ db: d.db, dialect: d.dialect, prefix: 'pet_' }),
      tables: STATE_TABLES,
      appendEvents,
    });
  return {
    uow: unit(a),
    secondUow: unit(b),
    events: createEventStore({ db: a.db, dialect: a.dialect, prefix: 'pet_' }),
    row: async (id: Uuid) => {
      const r = await sql<Record<string, unknown>>`SELECT * FROM pet_employees WHERE id = ${id}`.execute(
        a.db,
      );
      const row = r.rows[0];
      // An unsigned int is a bigint here (its whole range), which node-postgres reads as text.
      return row === undefined ? undefined : { ...row, version: Number(row['version']) };
    },
    concurrentWriters: true,
    close: async () => {
      await a.close();
      await b.close();
      await fx.drop();
    },
  };
});
