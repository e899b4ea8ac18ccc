import { describe, expect, it } from 'vitest';
import { importCompaniesCsv, importPeopleCsv } from './crm-import.js';
import { escapedFrom } from './missing-file.test.js';

describe('importCompaniesCsv / importPeopleCsv', () => {
  it('given refused options and a file stream of a missing file, when importing, then VALIDATION_FAILED and the stream’s ENOENT does not escape to the process', async () => {
    for (const importer of [importCompaniesCsv, importPeopleCsv]) {
      const escaped = await escapedFrom(async (source) => {
        const refused = await importer({
          db: {},
          dialect: {},
          prefix: 'pet_',
          source,
          fileName: 'absent.csv',
          batchSize: 0,
        } as unknown as Parameters<typeof importer>[0]).catch((e: unknown) => e);
        expect(refused).toMatchObject({ code: 'VALIDATION_FAILED' });
        expect(source.destroyed).toBe(true);
      });
      expect(escaped).toEqual([]);
    }
  });
});
