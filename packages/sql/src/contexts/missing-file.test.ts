// A test helper of the CSV imports' unit tests (not a test file itself).
import { createReadStream, type ReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `work` on a file stream of a missing file; what reached the process as an uncaught exception. */
export async function escapedFrom(work: (source: ReadStream) => Promise<unknown>): Promise<unknown[]> {
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
