import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, readCsvRecords, releaseSource } from './csv-records.js';

const utf8 = new TextEncoder();

/** The text as a stream of chunks cut at `cuts` (byte offsets; a cut may split a character). */
async function* chunks(text: string, cuts: readonly number[] = []): AsyncGenerator<Uint8Array> {
  const bytes = utf8.encode(text);
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    yield bytes.subarray(at, cut);
    at = cut;
  }
  yield bytes.subarray(at);
}

async function read(text: string, cuts: readonly number[] = []): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsvRecords(chunks(text, cuts))) out.push(r);
  return out;
}

const quote = (f: string): string => (/[",\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f);

describe('readCsvRecords', () => {
  it('given plain, quoted, multi-line and CRLF records with a BOM and empty lines, then fields, start lines and raw text', async () => {
    const text = '\uFEFFname,website\r\nAcme,acme.test\n\n"Multi\nline, Ltd","say ""hi"""\nBare"quote,x\n';
    expect(await read(text)).toEqual([
      { line: 1, raw: 'name,website', fields: ['name', 'website'] },
      { line: 2, raw: 'Acme,acme.test', fields: ['Acme', 'acme.test'] },
      { line: 4, raw: '"Multi\nline, Ltd","say ""hi"""', fields: ['Multi\nline, Ltd', 'say "hi"'] },
      { line: 6, raw: 'Bare"quote,x', fields: ['Bare"quote', 'x'] },
    ]);
  });

  it('given records that cannot be read, then each is yielded with null fields and the reason, and reading goes on', async () => {
    const records = await read('a,b\nToo,many,fields\n"x"y,z\nok,fine\n"open,quote\nnever closed');
    expect(records.map((r) => [r.line, r.fields, r.error?.split(':')[0]])).toEqual([
      [1, ['a', 'b'], undefined],
      [2, null, 'Invalid Record Length'],
      [3, null, 'Invalid Closing Quote'],
      [4, ['ok', 'fine'], undefined],
      [5, null, 'Quote Not Closed'],
    ]);
    expect(records[1]?.raw).toBe('Too,many,fields');
  });

  it('given an empty text or only a header without a line break, then nothing or the header', async () => {
    expect(await read('')).toEqual([]);
    expect(await read('name')).toEqual([{ line: 1, raw: 'name', fields: ['name'] }]);
    expect(await read('a,,\n,,\n')).toEqual([
      { line: 1, raw: 'a,,', fields: ['a', '', ''] },
      { line: 2, raw: ',,', fields: ['', '', ''] },
    ]);
  });

  it('property: any table of fields, written as CSV and read in chunks cut anywhere, reads back field for field', async () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'é', '🦄', ',', '"', '\n', '\r\n', ' ', 'x'),
      maxLength: 6,
    });
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 }),
          ),
        fc.array(fc.nat(200), { maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
        async (table, cuts, eol) => {
          const text = table.map((row) => row.map(quote).join(',')).join(eol) + eol;
          const records = await read(text, cuts);
          expect(records.map((r) => r.fields)).toEqual(table);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('releaseSource', () => {
  it('given a file stream of a missing file that no reader started on, when released, then it is destroyed and its ENOENT does not escape as an uncaught exception', async () => {
    const escaped: unknown[] = [];
    const record = (e: unknown): void => void escaped.push(e);
    process.on('uncaughtException', record);
    try {
      const stream = createReadStream(join(tmpdir(), `pet-absent-${process.pid}-${Date.now()}.csv`));
      await releaseSource(stream);
      // Not `once(stream, 'close')`: it would listen for 'error' itself.
      await new Promise<void>((closed) => stream.on('close', () => closed()));
      expect(stream.destroyed).toBe(true);
      expect(escaped).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });

  it('given a reader stopped in the middle of a generator source, when released, then the source is returned (its finally runs)', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield utf8.encode('a\n1\n');
        yield utf8.encode('2\n');
      } finally {
        closed = true;
      }
    }
    const input = source();
    const records = readCsvRecords(input);
    await records.next();
    await releaseSource(input, records);
    expect(closed).toBe(true);
  });

  it('given a stream that errors after it was released, then the error is absorbed (an error listener stays attached)', async () => {
    const stream = new Readable({ read() {} });
    await releaseSource(stream);
    expect(stream.destroyed).toBe(true);
    expect(() => stream.emit('error', new Error('late'))).not.toThrow();
  });
});
