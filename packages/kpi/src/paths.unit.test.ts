import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { compilePath, intAt, keyOf, read } from './paths.js';

/** The reference: a path read step by step. */
const stepwise = (source: unknown, path: string): unknown => {
  let v = source;
  for (const name of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[name];
  }
  return v;
};

// Names a definition's path may hold, including ones that would be code if written into a reader unescaped.
const name = fc.oneof(
  fc.constantFrom('payload', 'ticketId', 'context', 'projectId', 'a', 'length', '0', '__proto__x'),
  fc.constantFrom(
    '"]; throw new Error("injected"); //',
    "'",
    '\\',
    ['`$', '{1}`'].join(''),
    '\u2028',
    'constructor',
  ),
  fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes('.')),
);

describe('compiled paths', () => {
  test.prop([fc.array(name, { minLength: 1, maxLength: 4 }), fc.jsonValue(), fc.anything()])(
    'a compiled path reads what a step-by-step read gives, for any names and any source (its names stay data)',
    (names, leaf, noise) => {
      const path = names.join('.');
      // A source that holds `leaf` at the path, and one that does not.
      const holding: Record<string, unknown> = {};
      let at = holding;
      names.forEach((n, i) => {
        if (i === names.length - 1) at[n] = leaf;
        else {
          const next: Record<string, unknown> = {};
          at[n] = next;
          at = next;
        }
      });
      const segments = compilePath(path);
      for (const source of [holding, noise, null, undefined, 7, 'text', [leaf]])
        expect(read(source, segments)).toEqual(stepwise(source, path));
      expect(read(holding, segments)).toEqual(leaf);
      // A plain array of names (no reader) reads the same.
      expect(read(holding, [...names])).toEqual(leaf);
    },
  );

  test('given an event, when keys and integers are read at compiled paths, then only non-empty strings and safe integers count', () => {
    const e = { payload: { ticketId: 't-1', empty: '', minutes: 90, big: 2 ** 60, nested: { id: 'x' } } };
    expect(keyOf(e, compilePath('payload.ticketId'))).toBe('t-1');
    expect(keyOf(e, compilePath('payload.empty'))).toBeNull();
    expect(keyOf(e, compilePath('payload.nested.id'))).toBe('x');
    expect(keyOf(e, compilePath('payload.missing.id'))).toBeNull();
    expect(intAt(e, compilePath('payload.minutes'))).toBe(90);
    expect(intAt(e, compilePath('payload.big'))).toBeNull();
    expect(intAt(e, compilePath('payload.ticketId'))).toBeNull();
  });
});
