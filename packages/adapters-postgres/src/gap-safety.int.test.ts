// The gap-safety contract on PostgreSQL: writers never wait for one another here (snapshot gap safety),
// so commits land out of position order and the reader must wait out each gap it meets.
import { createEventStore } from '@pet-ops/sql';
import { describeGapSafetyContract } from '../../sql/src/contract/gap-safety-contract.test.js';
import { freshPostgres } from './fixtures.test.js';

describeGapSafetyContract('postgres', async () => {
  const prefix = 'pet_';
  const fx = await freshPostgres(prefix, 'marketing');
  const [a, b] = [await fx.open(), await fx.open()];
  return {
    stores: [
      createEventStore({ db: a.db, dialect: a.dialect, prefix }),
      createEventStore({ db: b.db, dialect: b.dialect, prefix }),
    ],
    gapSafety: a.dialect.gapSafety,
    close: async () => {
      await a.close();
      await b.close();
      await fx.drop();
    },
  };
});
