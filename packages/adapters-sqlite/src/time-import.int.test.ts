// The timesheet CSV import (importTimeCsv) on SQLite: the shared contract, two connections to one file.
import { describeTimeImportContract } from '../../sql/src/contract/time-import-contract.test.js';
import { freshFile } from './fixtures.test.js';

describeTimeImportContract('sqlite', async () => {
  const file = await freshFile('pet_');
  const [a, b] = [file.open(), file.open()];
  return {
    prefix: 'pet_',
    first: a,
    second: b,
    close: async () => {
      await a.close();
      await b.close();
      file.remove();
    },
  };
});
