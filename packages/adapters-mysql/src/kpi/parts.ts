import { Readable } from 'node:stream';
import { createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

/** UTF-16 units per stored part: at most 768 KiB of UTF-8, under any server's `max_allowed_packet` (≥ 1 MiB). */
export const PART_UNITS: number = 256 * 1024;

/**
 * Splits a checkpoint link's JSON into parts of at most `size` UTF-16 units, never between the two
 * halves of a surrogate pair, so each part is valid text and `parts.join('')` is the input.
 *
 * @example
 * ```ts
 * for (const [part, body] of splitParts(JSON.stringify(checkpoint)).entries()) await insertPart(part, body);
 * ```
 */
export function splitParts(json: string, size: number = PART_UNITS): string[] {
  const parts: string[] = [];
  for (let i = 0; i < json.length; ) {
    let end = Math.min(json.length, i + size);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && end - i > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(json.slice(i, end));
    i = end;
  }
  return parts;
}

/**
 * First character of a stored link that is compressed: raw deflate, then base64 (a checkpoint's JSON
 * always starts with `{`, so older plain links stay readable).
 */
export const DEFLATED = '~';
// Level 1: a 1M-event state's 48 MB of JSON becomes 7.5 MB in ≈ 0.35 s; higher levels save little more.
const LEVEL = 1;

/** A link's JSON as stored: compressed (see {@link DEFLATED}). */
export function deflateLink(json: string): string {
  return DEFLATED + deflateRawSync(Buffer.from(json, 'utf8'), { level: LEVEL }).toString('base64');
}

/**
 * A link given in pieces (a large checkpoint never exists as one string), raw-deflated: the compressed
 * bytes in chunks, off the JS heap — a rebuild holds them while the server loads its results, and 9 MB
 * of base64 strings held that long would count as young-generation survivors (V8 then grows its heap).
 * A consumer that stops early (`break`, or `return()`) stops the compression too: no further piece is
 * pulled from `pieces`.
 *
 * @example
 * ```ts
 * const chunks: Buffer[] = [];
 * for await (const c of deflateChunks(engine.checkpointJson(state))) chunks.push(c);
 * for await (const piece of storedPieces(chunks)) pending += piece;
 * ```
 */
export async function* deflateChunks(pieces: Iterable<string>): AsyncGenerator<Buffer, void, undefined> {
  const deflate = createDeflateRaw({ level: LEVEL });
  const source = Readable.from(pieces, { objectMode: false });
  source.on('error', (e) => deflate.destroy(e));
  source.pipe(deflate);
  try {
    yield* deflate as AsyncIterable<Buffer>;
  } finally {
    // Destroying the source calls the pieces' own return(): a checkpoint generator stops reading the state.
    source.destroy();
    deflate.destroy();
  }
}

/**
 * Raw-deflated chunks as the stored text of a link ({@link DEFLATED}, then base64) in pieces, ready for
 * {@link splitParts}: base64 in whole 3-byte groups, so the pieces concatenate to the base64 of the whole.
 */
export async function* storedPieces(
  chunks: Iterable<Buffer> | AsyncIterable<Buffer>,
): AsyncGenerator<string, void, undefined> {
  yield DEFLATED;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    const whole = bytes.length - (bytes.length % 3);
    if (whole > 0) yield bytes.subarray(0, whole).toString('base64');
    carry = bytes.subarray(whole);
  }
  if (carry.length > 0) yield carry.toString('base64');
}

/**
 * {@link deflateLink} for a link given in pieces: {@link storedPieces} of {@link deflateChunks}. A
 * consumer that stops early stops the compression too.
 *
 * @example
 * ```ts
 * for await (const piece of deflateLinkPieces(engine.checkpointJson(state))) await out.write(piece);
 * ```
 */
export function deflateLinkPieces(pieces: Iterable<string>): AsyncGenerator<string, void, undefined> {
  return storedPieces(deflateChunks(pieces));
}

/** A stored link's JSON: inflated when compressed, as is when stored plain. */
export function inflateLink(stored: string): string {
  return stored.startsWith(DEFLATED)
    ? inflateRawSync(Buffer.from(stored.slice(DEFLATED.length), 'base64')).toString('utf8')
    : stored;
}
