import type { Uuid } from '@pet-ops/core';
import { createEventStore, createUnitOfWork, STATE_TABLES } from '@pet-ops/sql';
import { sql } from 'kysely';
import { describeUnitOfWorkContract } from '../../sql/src/contract/unit-of-work-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeUnitOfWorkContract('sqlite', async (appendEvents) => {
  const file = await freshFile('pet_');
  const [a, b] = [file.open(), file.open()];
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
      return r.rows[0];
    },
    concurrentWriters: false,
    close: async () => {
      await a.close();
      await b.close();
      file.remove();
    },
  };
});
