import type { EventFilter } from './definition.js';

/** A reader of one path: the value at it, `undefined` when a step is missing. */
type PathReader = (source: unknown) => unknown;

/** Readers by path text, shared by every engine: one function per path. */
const readers = new Map<string, PathReader>();

/**
 * A reader generated for one path, its names written as literals: each of its property reads then sees
 * only the shapes that path meets, where a loop over the names is one read site for every path of every
 * definition (megamorphic, a lookup in V8's stub cache per step). The names are written with
 * `JSON.stringify`, so a path stays data: it is never code.
 */
function readerOf(segments: readonly string[]): PathReader {
  const text = segments.join('.');
  let reader = readers.get(text);
  if (reader === undefined) {
    const steps = segments.map(
      (name) => `if (v === null || typeof v !== 'object') return undefined;\nv = v[${JSON.stringify(name)}];`,
    );
    try {
      reader = new Function('v', `${steps.join('\n')}\nreturn v;`) as PathReader;
    } catch {
      // Code generation is off (`--disallow-code-generation-from-strings`, a CSP): the loop reads it.
      reader = (source) => readLoop(source, segments);
    }
    readers.set(text, reader);
  }
  return reader;
}

/** A dotted path split once, with its reader (see {@link read}). */
export function compilePath(path: string): readonly string[] {
  const segments = path.split('.');
  Object.defineProperty(segments, 'read', { value: readerOf(segments) });
  return segments;
}

/** The value at a compiled path of an event (or any object); `undefined` when a step is missing. */
export function read(source: unknown, segments: readonly string[]): unknown {
  const reader = (segments as { read?: PathReader }).read;
  return reader === undefined ? readLoop(source, segments) : reader(source);
}

/** {@link read} step by step (a path given as a plain array, or no code generation). */
function readLoop(source: unknown, segments: readonly string[]): unknown {
  let v: unknown = source;
  for (let i = 0; i < segments.length; i++) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[segments[i] as string];
  }
  return v;
}

/** A test of every filter (AND); no filter passes everything. A missing value reads as `null`. */
export function compileWhere<E>(where: readonly EventFilter[] | undefined): (e: E) => boolean {
  if (where === undefined || where.length === 0) return () => true;
  const tests = where.map((f) => {
    const segs = compilePath(f.path);
    if (f.in !== undefined) {
      const set = new Set<unknown>(f.in);
      return (e: E) => set.has(read(e, segs) ?? null);
    }
    const expected = f.equals;
    return (e: E) => (read(e, segs) ?? null) === expected;
  });
  if (tests.length === 1) return tests[0] as (e: E) => boolean;
  return (e) => {
    for (let i = 0; i < tests.length; i++) if (!(tests[i] as (e: E) => boolean)(e)) return false;
    return true;
  };
}

/** True for a `Money` value (`{ amountMinor, currency }`). */
export function isMoney(v: unknown): v is { amountMinor: number; currency: string } {
  return (
    v !== null && typeof v === 'object' && typeof (v as { amountMinor?: unknown }).amountMinor === 'number'
  );
}

/** A non-empty string at a path, else `null` (an entity's key). */
export function keyOf(source: unknown, segs: readonly string[]): string | null {
  const v = read(source, segs);
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** A safe integer at a path, else `null`. */
export function intAt(source: unknown, segs: readonly string[]): number | null {
  const v = read(source, segs);
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}
