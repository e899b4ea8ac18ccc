import { createReadStream, type ReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCompaniesCsv, importPeopleCsv } from './crm-import.js';

/** Runs `work` on a file stream of a missing file; what reached the process as an uncaught exception. */
async function escapedFrom(work: (source: ReadStream) => Promise<unknown>): Promise<unknown[]> {
  const escaped: unknown[] = [];
  const record = (e: unknown): void => void escaped.push(e);
  process.on('uncaughtException', record);
  try {
    const source = createReadStream(join(tmpdir(), `pet-absent-${process.pid}-${Date.now()}.csv`));
    const closed = new Promise<void>((done) => source.on('close', () => done()));
    await work(source);
    await closed; // the stream's ENOENT, if unhandled, has escaped by now
    return escaped;
  } finally {
    process.off('uncaughtException', record);
  }
}

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
