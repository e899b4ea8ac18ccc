import type { EventFilter } from './definition.js';

/** A dotted path split once, read many times. */
export function compilePath(path: string): readonly string[] {
  return path.split('.');
}

/** The value at a compiled path of an event (or any object); `undefined` when a step is missing. */
export function read(source: unknown, segments: readonly string[]): unknown {
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
