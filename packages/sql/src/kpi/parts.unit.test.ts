import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  DEFLATED,
  deflateChunks,
  deflateLink,
  deflateLinkPieces,
  inflateLink,
  inflateLinkPieces,
  PART_BYTES,
  partBytes,
  storedPieces,
} from './parts.js';

const partsOf = async (pieces: readonly string[], size?: number): Promise<Buffer[]> => {
  const out: Buffer[] = [];
  for await (const p of partBytes(pieces, size)) out.push(p);
  return out;
};

describe('partBytes', () => {
  test.prop([
    fc.array(fc.string({ unit: 'grapheme', maxLength: 60 }), { maxLength: 20 }),
    fc.integer({ min: 2, max: 40 }),
  ])(
    'parts rejoin to the pieces joined, each within the size unless one character is longer, and each valid UTF-8',
    async (pieces, size) => {
      const parts = await partsOf(pieces, size);
      expect(Buffer.concat(parts).toString('utf8')).toBe(pieces.join(''));
      for (const p of parts) {
        expect(p.length).toBeGreaterThan(0);
        const text = p.toString('utf8');
        // Valid UTF-8: decoding and encoding again gives the same bytes (a cut character would not).
        expect(Buffer.from(text, 'utf8').equals(p)).toBe(true);
        if (p.length > size) expect([...text]).toHaveLength(1);
      }
    },
  );

  it('given a text longer than one part, when split with the default size, then the parts are full but the last, and rejoin', async () => {
    const text = 'a'.repeat(PART_BYTES * 2 + 10);
    const parts = await partsOf([text.slice(0, 1000), text.slice(1000)]);
    expect(parts.map((p) => p.length)).toEqual([PART_BYTES, PART_BYTES, 10]);
    expect(Buffer.concat(parts).toString('latin1')).toBe(text);
  });

  it('given a four-byte character across a part boundary, when split, then the part ends before it', async () => {
    const parts = await partsOf(['ab😀cd'], 4);
    expect(parts.map((p) => p.toString('utf8'))).toEqual(['ab', '😀', 'cd']);
  });

  it('given no text, when split, then there are no parts', async () => {
    expect(await partsOf([])).toEqual([]);
    expect(await partsOf(['', ''])).toEqual([]);
  });
});

describe('stored link compression', () => {
  test.prop([fc.string({ unit: 'binary', maxLength: 2000 })])(
    'a deflated link inflates back to its JSON, and is base64 after the marker',
    (json) => {
      const stored = deflateLink(json);
      expect(stored.startsWith(DEFLATED)).toBe(true);
      expect(stored.slice(1)).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
      expect(inflateLink(stored)).toBe(json);
    },
  );

  test.prop([fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 30 })])(
    'a link deflated from pieces inflates back to the pieces joined, whatever the piece boundaries',
    async (pieces) => {
      const out: string[] = [];
      for await (const p of deflateLinkPieces(pieces)) out.push(p);
      expect(inflateLink(out.join(''))).toBe(pieces.join(''));
    },
  );

  test.prop([fc.array(fc.string({ unit: 'binary', maxLength: 300 }), { maxLength: 30 })])(
    'compressed chunks held as bytes, then turned into stored text, inflate back to the pieces joined',
    async (pieces) => {
      const chunks: Buffer[] = [];
      for await (const c of deflateChunks(pieces)) chunks.push(c);
      const out: string[] = [];
      for await (const p of storedPieces(chunks)) out.push(p);
      expect(out[0]).toBe(DEFLATED);
      expect(inflateLink(out.join(''))).toBe(pieces.join(''));
    },
  );

  it('given a large repetitive checkpoint in pieces, when deflated, then it is stored several times smaller and splits into parts that rejoin', async () => {
    const pieces = Array.from(
      { length: 200 },
      (_, i) =>
        `["sales.win-rate@1","0190a0b0-0000-7000-8000-${String(i).padStart(12, '0')}","2026-01-01",${i}],`,
    );
    const out: string[] = [];
    for await (const p of deflateLinkPieces(pieces)) out.push(p);
    const stored = out.join('');
    expect(stored.length * 4).toBeLessThan(pieces.join('').length);
    const parts = await partsOf(out, 97);
    expect(parts.length).toBeGreaterThan(1);
    expect(inflateLink(Buffer.concat(parts).toString('latin1'))).toBe(pieces.join(''));
  });

  it('given a consumer that stops after the first compressed piece, when it breaks, then no further input piece is pulled and the input is closed', async () => {
    let pulled = 0;
    let closed = false;
    // Random text does not compress: every piece soon fills the compressor's output.
    const noise = (i: number): string =>
      Array.from({ length: 4096 }, (_, j) => String.fromCharCode(33 + ((i * 7919 + j * 104729) % 89))).join(
        '',
      );
    function* pieces(): Generator<string> {
      try {
        for (let i = 0; i < 10_000; i++) {
          pulled++;
          yield noise(i);
        }
      } finally {
        closed = true;
      }
    }
    const taken: string[] = [];
    for await (const p of deflateLinkPieces(pieces())) {
      taken.push(p);
      if (taken.length === 2) break;
    }
    const atBreak = pulled;
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(closed).toBe(true);
    expect(pulled).toBe(atBreak);
    expect(pulled).toBeLessThan(10_000);
  });

  it('given a link stored plain (before compression), when read, then it is returned as is', () => {
    expect(inflateLink('{"format":3,"cells":[]}')).toBe('{"format":3,"cells":[]}');
  });

  it('given a damaged compressed link, when inflated, then it throws (the runner rebuilds instead)', () => {
    expect(() => inflateLink(`${DEFLATED}AAAA`)).toThrow();
  });
});

describe('inflateLinkPieces', () => {
  const joined = async (parts: (string | undefined)[] | AsyncIterable<string>): Promise<string> => {
    let text = '';
    for await (const piece of inflateLinkPieces(parts)) text += piece;
    return text;
  };

  test.prop([
    fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { maxLength: 30 }),
    fc.integer({ min: 2, max: 64 }),
  ])(
    'a link deflated in pieces and stored in parts of any size inflates to its text; each part is dropped once read',
    async (pieces, size) => {
      const stored: string[] = [];
      for await (const p of deflateLinkPieces(pieces)) stored.push(p);
      const parts: (string | undefined)[] = (await partsOf(stored, size)).map((b) => b.toString('utf8'));
      const asRead = [...parts] as string[];
      expect(await joined(parts)).toBe(pieces.join(''));
      expect(parts.every((p) => p === undefined)).toBe(true);
      // The same parts as a database read hands them over, one at a time.
      expect(
        await joined(
          (async function* () {
            yield* asRead;
          })(),
        ),
      ).toBe(pieces.join(''));
    },
  );

  it('given a link stored plain (before compression), when read in parts, then the parts are its text', async () => {
    expect(await joined(['{"format":4,', '"cells":[]}'])).toBe('{"format":4,"cells":[]}');
  });

  it('given a damaged compressed link, when read, then it fails instead of yielding a wrong text', async () => {
    await expect(joined([`${DEFLATED}AAAA`, 'not-base64-at-all'])).rejects.toThrow();
  });
});
