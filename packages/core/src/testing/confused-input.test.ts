/**
 * The fast-check arbitraries of the public-input fuzz suites (issue 29), shared by the unit suite of
 * `@pet-ops/core` and the database contract of `@pet-ops/sql`: type-confused values, plausible values
 * by field name, and commands built from a context's command schema. A test helper, not shipped.
 */
import fc from 'fast-check';
import type { z } from 'zod';

/** Values of the wrong type: numbers for strings, objects, arrays, null, NaN, huge strings, `__proto__`… */
export const confused: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    -1,
    true,
    '',
    ' ',
    '💥🦄',
    "'; DROP TABLE domain_events; --",
    'x'.repeat(100_000),
    new Date(Number.NaN),
    10n,
    Symbol('confused'),
    () => 1,
    JSON.parse('{"__proto__": {"polluted": true}}'),
    { constructor: { prototype: { polluted: true } } },
    { evil: true },
    [],
    [1, 'a', null],
  ),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.anything(),
);

/** Instants as they come from outside: valid ones, rolled-over dates, wrong precision, no date at all. */
export const instantLike: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().replace('Z', '000Z')),
  fc.constantFrom(
    '2026-03-02T09:00:00.000000Z',
    '2026-02-30T09:00:00.000000Z',
    '2026-03-02T24:00:00.000000Z',
    '2026-03-02T09:00:00.000Z',
    '2026-03-02',
    '0000-00-00T00:00:00.000000Z',
    '275760-09-13T00:00:00.000000Z',
    'not a date',
  ),
);

/** Numbers as they come from outside: small and negative, unsafe, NaN, fractions. */
export const integerLike: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -5, max: 2_000 }),
  fc.constantFrom(
    0,
    -1,
    1.5,
    Number.NaN,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    -(2 ** 63),
    1e308,
  ),
);

/** Text as it comes from outside: emoji, SQL, control characters, huge. */
export const textLike: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    'Fix the build',
    '💥🦄 résumé 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    "x'); DELETE FROM pet_domain_events; --",
    'a\u0000b',
    '   ',
    'y'.repeat(70_000),
  ),
);

/**
 * A value for a field, by its name: ids drawn from `ids` (so commands meet streams that exist),
 * instants, integers or text that look right or almost right, and now and then a confused value.
 *
 * @example
 * ```ts
 * fc.sample(plausible('ticketId', fc.constantFrom(id1, id2)), 3);
 * ```
 */
export function plausible(field: string, ids: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const of = (main: fc.Arbitrary<unknown>) =>
    fc.oneof({ arbitrary: main, weight: 6 }, { arbitrary: confused, weight: 1 });
  if (/(Id|By|^by)$/.test(field)) return of(fc.oneof({ arbitrary: ids, weight: 5 }, fc.constant(null)));
  if (/(^at|At|^now|^start|^end|Start|End|Date)$/.test(field)) return of(instantLike);
  if (/(Minutes|sequence|[vV]ersion|Number|rating|^sold|^observed|amount|Bp)$/.test(field)) {
    return of(integerLike);
  }
  return of(fc.oneof(textLike, fc.boolean(), fc.constant(null), integerLike));
}

/**
 * `{ type, …every field of that command type }` of a discriminated command schema, with every field
 * drawn from `field(name)` (some left out), or now and then a value that is no command at all.
 *
 * @example
 * ```ts
 * fc.sample(commandsOf(Support.ticketCommandSchema, () => confused), 3);
 * ```
 */
export function commandsOf(
  schema: z.ZodType,
  field: (name: string) => fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const options = (schema as unknown as { options?: { shape?: Record<string, unknown> }[] }).options ?? [];
  const shaped = options.flatMap((o) => (o.shape ? [o.shape] : []));
  const typed = shaped.map((shape) => {
    // A literal type (`create`) or an enum of them (`publish | deprecate | archive`).
    const tag = shape['type'] as { value?: unknown; options?: readonly unknown[] } | undefined;
    const types = tag?.options ?? [tag?.value];
    const fields = Object.keys(shape).filter((k) => k !== 'type');
    return fc
      .tuple(
        fc.constantFrom(...types),
        fc.record(Object.fromEntries(fields.map((k) => [k, field(k)])), { requiredKeys: [] }),
      )
      .map(([type, r]) => ({ ...r, type }));
  });
  const anyField = field('');
  return typed.length > 0
    ? fc.oneof({ arbitrary: anyField, weight: 1 }, ...typed.map((arbitrary) => ({ arbitrary, weight: 4 })))
    : anyField;
}

interface ZodDef {
  readonly type?: string;
  readonly shape?: Record<string, unknown>;
  readonly element?: unknown;
  readonly innerType?: unknown;
  readonly options?: readonly unknown[];
  readonly entries?: Record<string, unknown>;
  readonly values?: readonly unknown[];
  readonly valueType?: unknown;
  readonly in?: unknown;
}
const defOf = (schema: unknown): ZodDef => (schema as { _zod?: { def?: ZodDef } } | null)?._zod?.def ?? {};

/**
 * Values of a zod schema's outline — objects with their fields, enums' members, literals, arrays,
 * nullables — with the leaves (strings, numbers) from `plausible` by field name, and one field in
 * `1 / (1 + validWeight)` confused: most values pass the schema, so the fuzz reaches the decider and
 * the database, and the rest are wrong in one place.
 *
 * @example
 * ```ts
 * fc.sample(outlineOf(Support.ticketCommandSchema, fc.constantFrom(id1, id2)), 3);
 * ```
 */
export function outlineOf(
  schema: unknown,
  ids: fc.Arbitrary<unknown>,
  name = '',
  validWeight = 12,
  depth = 0,
): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const leaf = (a: fc.Arbitrary<unknown>) =>
    fc.oneof({ arbitrary: a, weight: validWeight }, { arbitrary: confused, weight: 1 });
  const inner = (s: unknown, n = name) => outlineOf(s, ids, n, validWeight, depth + 1);
  if (depth > 6) return plausible(name, ids);
  switch (def.type) {
    case 'object':
      return leaf(
        fc.record(Object.fromEntries(Object.entries(def.shape ?? {}).map(([k, s]) => [k, inner(s, k)]))),
      );
    case 'array':
      return leaf(fc.array(inner(def.element), { maxLength: 3 }));
    case 'enum':
      return leaf(fc.constantFrom(...Object.values(def.entries ?? { x: 'x' })));
    case 'literal':
      return fc.constantFrom(...(def.values ?? [undefined]));
    case 'nullable':
      return fc.oneof({ arbitrary: inner(def.innerType), weight: 3 }, fc.constant(null));
    case 'optional':
    case 'default':
      return fc.oneof({ arbitrary: inner(def.innerType), weight: 3 }, fc.constant(undefined));
    case 'union':
      return fc.oneof(...(def.options ?? []).map((o) => inner(o)));
    case 'record':
      return leaf(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), inner(def.valueType), { maxKeys: 3 }),
      );
    case 'pipe':
      return inner(def.in);
    case 'boolean':
      return leaf(fc.boolean());
    case 'number':
    case 'int':
      return leaf(integerLike);
    default:
      return leaf(exact(name, ids));
  }
}

/** A leaf that fits its name: an id of `ids`, a valid instant, a small count, or plain text. */
function exact(name: string, ids: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  if (/(Id|By|^by)$/.test(name)) return ids;
  if (/(^at|At|^now|^start|^end|Start|End)$/.test(name)) {
    return fc.constantFrom(
      '2026-03-02T09:00:00.000000Z',
      '2026-03-02T17:30:00.000000Z',
      '2026-04-01T08:00:00.000000Z',
    );
  }
  if (/(Minutes|sequence|[vV]ersion|Number|rating|^sold|^observed|amount|Bp)$/.test(name)) {
    return fc.integer({ min: 0, max: 600 });
  }
  if (/currency/i.test(name)) return fc.constantFrom('EUR', 'USD');
  return fc.oneof(
    fc.constantFrom('Fix the build', 'Übergabe 💥', "x'); --"),
    fc.string({ minLength: 1, maxLength: 20 }),
  );
}
