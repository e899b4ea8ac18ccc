import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTimeCsv } from './time-import.js';

describe('importTimeCsv', () => {
  it('given refused options and a file stream of a missing file, when importing, then VALIDATION_FAILED and the stream’s ENOENT does not escape to the process', async () => {
    const escaped: unknown[] = [];
    const record = (e: unknown): void => void escaped.push(e);
    process.on('uncaughtException', record);
    try {
      const source = createReadStream(join(tmpdir(), `pet-absent-${process.pid}-${Date.now()}.csv`));
      const closed = new Promise<void>((done) => source.on('close', () => done()));
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
      await closed; // the stream's ENOENT, if unhandled, has escaped by now
      expect(escaped).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});
