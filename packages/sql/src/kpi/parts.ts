import { Readable } from 'node:stream';
import { createDeflateRaw, createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Bytes per stored part: a stored link is ASCII (base64), so also characters; under any server's
 * `max_allowed_packet` (≥ 1 MiB).
 *
 * @example
 * ```ts
 * for await (const body of partBytes(pieces, PART_BYTES)) await insertPart(body);
 * ```
 */
export const PART_BYTES: number = 256 * 1024;

/** First byte of the UTF-8 character that holds byte `i` (continuation bytes are `10xxxxxx`). */
function charStart(b: Buffer, i: number): number {
  let at = i;
  while (at > 0 && ((b[at] as number) & 0xc0) === 0x80) at--;
  return at;
}

/**
 * A link's stored text, given in pieces, as UTF-8 parts of at most `size` bytes, never ending inside a
 * character (one character longer than `size` is a part of its own), so each part is valid text and the
 * parts concatenate to the input. Each piece becomes bytes as it arrives: strings held across the writes'
 * round trips would survive scavenges, and V8 grows its young generation once enough bytes have survived.
 *
 * @example
 * ```ts
 * for await (const body of partBytes(deflateLinkPieces(engine.checkpointJson(state)), PART_BYTES)) await insertPart(body);
 * ```
 */
export async function* partBytes(
  pieces: Iterable<string> | AsyncIterable<string>,
  size: number = PART_BYTES,
): AsyncGenerator<Buffer, void, undefined> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const piece of pieces) {
    if (piece.length === 0) continue;
    const bytes = Buffer.from(piece, 'utf8');
    held.push(bytes);
    heldBytes += bytes.length;
    if (heldBytes <= size) continue;
    let all = held.length === 1 ? bytes : Buffer.concat(held, heldBytes);
    while (all.length > size) {
      let cut = charStart(all, size);
      if (cut === 0) {
        cut = 1;
        while (cut < all.length && ((all[cut] as number) & 0xc0) === 0x80) cut++;
      }
      yield all.subarray(0, cut);
      all = all.subarray(cut);
    }
    held = all.length === 0 ? [] : [all];
    heldBytes = all.length;
  }
  if (heldBytes > 0) yield held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held, heldBytes);
}

/**
 * First character of a stored link that is compressed: raw deflate, then base64 (a checkpoint's JSON
 * always starts with `{`, so older plain links stay readable).
 *
 * @example
 * ```ts
 * const compressed = stored.startsWith(DEFLATED);
 * ```
 */
export const DEFLATED = '~';
// Level 1: a 1M-event state's 48 MB of JSON becomes 7.5 MB in ≈ 0.35 s; higher levels save little more.
const LEVEL = 1;

/**
 * A link's JSON as stored: compressed (see {@link DEFLATED}).
 *
 * @example
 * ```ts
 * const stored = deflateLink(JSON.stringify(engine.checkpointDelta(state)));
 * ```
 */
export function deflateLink(json: string): string {
  return DEFLATED + deflateRawSync(Buffer.from(json, 'utf8'), { level: LEVEL }).toString('base64');
}

/**
 * A link given in pieces (a large checkpoint never exists as one string), raw-deflated: the compressed
 * bytes in chunks, off the JS heap (zlib works in libuv's thread pool). A consumer that stops early
 * (`break`, or `return()`) stops the compression too: no further piece is pulled from `pieces`.
 *
 * @example
 * ```ts
 * const chunks: Buffer[] = [];
 * for await (const c of deflateChunks(engine.checkpointJson(state))) chunks.push(c);
 * for await (const piece of storedPieces(chunks)) pending += piece;
 * ```
 */
export async function* deflateChunks(
  pieces: Iterable<string> | AsyncIterable<string>,
): AsyncGenerator<Buffer, void, undefined> {
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
 * {@link partBytes}: base64 in whole 3-byte groups, so the pieces concatenate to the base64 of the whole.
 *
 * @example
 * ```ts
 * for await (const piece of storedPieces(deflateChunks(engine.checkpointJson(state)))) text += piece;
 * ```
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
export function deflateLinkPieces(
  pieces: Iterable<string> | AsyncIterable<string>,
): AsyncGenerator<string, void, undefined> {
  return storedPieces(deflateChunks(pieces));
}

/**
 * A stored link's JSON: inflated when compressed, as is when stored plain.
 *
 * @example
 * ```ts
 * const checkpoint = JSON.parse(inflateLink(parts.join(''))) as KpiCheckpoint;
 * ```
 */
export function inflateLink(stored: string): string {
  return stored.startsWith(DEFLATED)
    ? inflateRawSync(Buffer.from(stored.slice(DEFLATED.length), 'base64')).toString('utf8')
    : stored;
}

/**
 * {@link inflateLink} for a link stored in parts, as JSON text in pieces: the parts are decoded and
 * inflated as they are read (zlib in libuv's thread pool) and each part is dropped from `parts` once
 * read, so neither the compressed nor the inflated text exists whole. A plain link's parts are its text.
 * The parts may also come as they are read from the database (an async iterable), so that not even the
 * compressed link is held.
 *
 * @example
 * ```ts
 * const state = await engine.restoreJson(inflateLinkPieces(parts), deltas);
 * ```
 */
export async function* inflateLinkPieces(
  parts: (string | undefined)[] | AsyncIterable<string>,
): AsyncGenerator<string, void, undefined> {
  const each: AsyncIterator<string> | Iterator<string> = Array.isArray(parts)
    ? (function* () {
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i] ?? '';
          parts[i] = undefined;
          yield part;
        }
      })()
    : parts[Symbol.asyncIterator]();
  const head = await each.next();
  const first = head.done === true ? '' : head.value;
  const remaining = async function* (): AsyncGenerator<string, void, undefined> {
    for (let next = await each.next(); next.done !== true; next = await each.next()) yield next.value;
  };
  if (!first.startsWith(DEFLATED)) {
    if (first.length > 0) yield first;
    yield* remaining();
    return;
  }
  const inflate = createInflateRaw();
  const source = Readable.from(
    (async function* () {
      // Base64 in whole 4-character groups: a part may end inside one.
      let pending = '';
      const decode = (text: string): Buffer | null => {
        const whole = text.length - (text.length % 4);
        pending = text.slice(whole);
        return whole > 0 ? Buffer.from(text.slice(0, whole), 'base64') : null;
      };
      const opened = decode(first.slice(DEFLATED.length));
      if (opened !== null) yield opened;
      for await (const part of remaining()) {
        const bytes = decode(pending + part);
        if (bytes !== null) yield bytes;
      }
      if (pending.length > 0) yield Buffer.from(pending, 'base64');
    })(),
    { objectMode: false },
  );
  source.on('error', (e) => inflate.destroy(e));
  source.pipe(inflate);
  // Streaming: a character cut between two inflated chunks is completed by the next.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      const text = decoder.decode(chunk, { stream: true });
      if (text.length > 0) yield text;
    }
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } finally {
    source.destroy();
    inflate.destroy();
  }
}
