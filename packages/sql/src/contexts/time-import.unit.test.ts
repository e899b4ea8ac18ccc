import { describe, expect, it } from 'vitest';
import { escapedFrom } from './missing-file.test.js';
import { importTimeCsv } from './time-import.js';

describe('importTimeCsv', () => {
  it('given refused options and a file stream of a missing file, when importing, then VALIDATION_FAILED and the stream’s ENOENT does not escape to the process', async () => {
    const escaped = await escapedFrom(async (source) => {
      const refused = await importTimeCsv({
        db: {},
        dialect: {},
        prefix: 'pet_',
        source,
        fileName: 'absent.csv',
        batchSize: 0,
      } as unknown as Parameters<typeof importTimeCsv>[0]).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(source.destroyed).toBe(true);
    });
    expect(escaped).toEqual([]);
  });
});
