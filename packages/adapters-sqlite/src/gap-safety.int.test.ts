// The gap-safety contract on SQLite: one writer at a time (BEGIN IMMEDIATE), so commits follow positions.
import { createEventStore } from '@pet-ops/sql';
import { describeGapSafetyContract } from '../../sql/src/contract/gap-safety-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeGapSafetyContract('sqlite', async () => {
  const file = await freshFile('pet_');
  const [a, b] = [file.open(), file.open()];
  return {
    stores: [
      createEventStore({ db: a.db, dialect: a.dialect, prefix: 'pet_' }),
      createEventStore({ db: b.db, dialect: b.dialect, prefix: 'pet_' }),
    ],
    gapSafety: a.dialect.gapSafety,
    close: async () => {
      await a.close();
      await b.close();
      file.remove();
    },
  };
});
