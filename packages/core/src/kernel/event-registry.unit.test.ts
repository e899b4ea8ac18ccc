import { readdirSync, readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { z } from 'zod';
import { isPetError, type PetError, type ValidationError } from './errors.js';
import {
  createEventRegistry,
  decodeFixtures,
  defineEvent,
  defineUpcaster,
  eventFixtureSchema,
  missingFixtures,
} from './event-registry.js';
import { instantSchema } from './instant.js';

function thrown(f: () => unknown): PetError {
  try {
    f();
  } catch (e) {
    if (isPetError(e)) return e;
    throw e;
  }
  throw new Error('expected a PetError');
}
const issuesOf = (f: () => unknown) => (thrown(f) as ValidationError).issues;

// A sample type with three versions: v1 { name } → v2 { firstName, lastName|null } → v3 (+ reason).
const renamedV1 = defineEvent({
  type: 'sample.renamed',
  version: 1,
  payload: z.object({ name: z.string() }),
});
const renamedV2 = defineEvent({
  type: 'sample.renamed',
  version: 2,
  payload: z.object({ firstName: z.string(), lastName: z.string().nullable() }),
});
const renamedV3 = defineEvent({
  type: 'sample.renamed',
  version: 3,
  payload: z.object({ firstName: z.string().min(1), lastName: z.string().nullable(), reason: z.string() }),
});
const renamed1to2 = defineUpcaster({
  type: 'sample.renamed',
  from: 1,
  to: 2,
  up: (p: { name: string }) => {
    const [first = '', ...rest] = p.name.split(' ');
    return { firstName: first, lastName: rest.length > 0 ? rest.join(' ') : null };
  },
});
const renamed2to3 = defineUpcaster({
  type: 'sample.renamed',
  from: 2,
  to: 3,
  up: (p: { firstName: string; lastName: string | null }) => ({ ...p, reason: 'unknown' }),
});
const closed = defineEvent({ type: 'sample.closed', version: 1, payload: z.object({ at: instantSchema }) });

const registry = createEventRegistry({
  events: [renamedV1, renamedV2, renamedV3, closed],
  upcasters: [renamed2to3, renamed1to2],
});

describe('defineEvent / defineUpcaster', () => {
  test('reject a bad type, version or schema, naming each field', () => {
    expect(
      issuesOf(() => defineEvent({ type: 'Renamed', version: 0, payload: {} as z.ZodType })).map(
        (i) => i.field,
      ),
    ).toEqual(['type', 'version', 'payload']);
    expect(thrown(() => defineEvent({ type: 'a.b', version: 1.5, payload: z.object({}) })).code).toBe(
      'VALIDATION_FAILED',
    );
  });

  test('an upcaster lifts exactly one version', () => {
    expect(issuesOf(() => defineUpcaster({ type: 'a.b', from: 1, to: 3, up: (p) => p }))).toEqual([
      { field: 'to', rule: 'must be from + 1 (2)' },
    ]);
    expect(issuesOf(() => defineUpcaster({ type: 'a.b', from: 0, to: 1, up: (p) => p }))[0]?.field).toBe(
      'from',
    );
  });
});

describe('createEventRegistry', () => {
  test('knows types and current versions', () => {
    expect(registry.knownTypes()).toEqual(['sample.closed', 'sample.renamed']);
    expect(registry.currentVersion('sample.renamed')).toBe(3);
    expect(registry.currentVersion('sample.closed')).toBe(1);
  });

  test('an unknown type is UNKNOWN_EVENT_TYPE', () => {
    const e = thrown(() => registry.currentVersion('sample.unknown'));
    expect(e.code).toBe('UNKNOWN_EVENT_TYPE');
    expect(e.details).toEqual({ type: 'sample.unknown' });
  });

  test('current-version-only registries are fine (old schemas are optional)', () => {
    const r = createEventRegistry({ events: [renamedV3], upcasters: [renamed1to2, renamed2to3] });
    expect(r.upcast({ type: 'sample.renamed', schemaVersion: 1, payload: { name: 'Ada' } }).payload).toEqual({
      firstName: 'Ada',
      lastName: null,
      reason: 'unknown',
    });
  });

  test.each([
    [
      'a duplicate definition',
      [renamedV1, renamedV1],
      [],
      'events.1',
      /duplicate definition of sample.renamed v1/,
    ],
    [
      'a gap between versions',
      [renamedV1, renamedV3],
      [renamed1to2, renamed2to3],
      'events',
      /version 2 is missing/,
    ],
    ['a missing upcaster', [renamedV3], [renamed1to2], 'upcasters', /no upcaster from v2 to v3/],
    ['a duplicate upcaster', [renamedV2], [renamed1to2, renamed1to2], 'upcasters.1', /duplicate upcaster/],
    [
      'an upcaster for an unknown type',
      [closed],
      [renamed1to2],
      'upcasters.0',
      /unknown event type sample.renamed/,
    ],
    [
      'an upcaster beyond the current version',
      [renamedV1],
      [renamed1to2],
      'upcasters.0',
      /must lift one version within 1..1/,
    ],
  ])('construction rejects %s', (_what, events, upcasters, field, rule) => {
    const issues = issuesOf(() => createEventRegistry({ events, upcasters }));
    expect(issues.some((i) => i.field === field && rule.test(i.rule))).toBe(true);
  });

  test('construction lists every problem at once', () => {
    const issues = issuesOf(() =>
      createEventRegistry({
        events: [renamedV3, { type: 'Bad', version: 1, payload: z.object({}) }],
        upcasters: [],
      }),
    );
    expect(issues.map((i) => i.field)).toEqual(['events.1.type', 'upcasters', 'upcasters']);
  });
});

describe('validateDraft', () => {
  test('returns the draft with the parsed payload', () => {
    const draft = {
      type: 'sample.closed',
      schemaVersion: 1,
      payload: { at: '2026-01-01T00:00:00.000000Z', extra: 1 },
      other: 'kept',
    };
    expect(registry.validateDraft(draft)).toEqual({
      ...draft,
      payload: { at: '2026-01-01T00:00:00.000000Z' },
    });
  });

  test('names the payload fields that are wrong', () => {
    const issues = issuesOf(() =>
      registry.validateDraft({
        type: 'sample.renamed',
        schemaVersion: 3,
        payload: { firstName: '', lastName: 3 },
      }),
    );
    expect(issues.map((i) => i.field)).toEqual(['payload.firstName', 'payload.lastName', 'payload.reason']);
    expect(
      issuesOf(() => registry.validateDraft({ type: 'sample.closed', schemaVersion: 1, payload: null }))[0]
        ?.field,
    ).toBe('payload');
  });

  test('drafts must use the current version', () => {
    expect(
      issuesOf(() => registry.validateDraft({ type: 'sample.renamed', schemaVersion: 2, payload: {} })),
    ).toEqual([{ field: 'schemaVersion', rule: 'must be the current version 3 of sample.renamed' }]);
  });

  test('an unknown type is UNKNOWN_EVENT_TYPE', () => {
    expect(thrown(() => registry.validateDraft({ type: 'x.y', schemaVersion: 1, payload: {} })).code).toBe(
      'UNKNOWN_EVENT_TYPE',
    );
  });
});

describe('upcast', () => {
  const stored = {
    eventId: 'kept',
    type: 'sample.renamed',
    schemaVersion: 1,
    payload: { name: 'Ada King Lovelace' },
  };

  test('lifts v1 through every upcaster to the current version, keeping the envelope', () => {
    expect(registry.upcast(stored)).toEqual({
      eventId: 'kept',
      type: 'sample.renamed',
      schemaVersion: 3,
      payload: { firstName: 'Ada', lastName: 'King Lovelace', reason: 'unknown' },
    });
  });

  test('a current event is parsed by the current schema (unknown keys dropped)', () => {
    const e = {
      type: 'sample.closed',
      schemaVersion: 1,
      payload: { at: '2026-01-01T00:00:00.000000Z', x: 1 },
    };
    expect(registry.upcast(e).payload).toEqual({ at: '2026-01-01T00:00:00.000000Z' });
  });

  test.each([
    ['a newer version than the registry knows', { ...stored, schemaVersion: 4 }, /version must be 1..3/],
    ['version 0', { ...stored, schemaVersion: 0 }, /version must be 1..3/],
    ['a payload invalid for its own version', { ...stored, payload: { name: 7 } }, /payload invalid for v1/],
    [
      'a payload the current schema refuses',
      { ...stored, payload: { name: '' } },
      /payload invalid for current v3/,
    ],
  ])('%s is UPCAST_FAILED', (_what, event, message) => {
    const e = thrown(() => registry.upcast(event));
    expect(e.code).toBe('UPCAST_FAILED');
    expect(e.message).toMatch(message);
    expect(e.details).toMatchObject({ type: 'sample.renamed', schemaVersion: event.schemaVersion });
  });

  test('an upcaster that throws is UPCAST_FAILED with the step and the cause', () => {
    const boom = new Error('boom');
    const r = createEventRegistry({
      events: [renamedV2],
      upcasters: [
        defineUpcaster({
          type: 'sample.renamed',
          from: 1,
          to: 2,
          up: () => {
            throw boom;
          },
        }),
      ],
    });
    const e = thrown(() => r.upcast(stored));
    expect(e.code).toBe('UPCAST_FAILED');
    expect(e.details).toMatchObject({ step: 1 });
    expect(e.cause).toBe(boom);
  });

  test('an unknown type is UNKNOWN_EVENT_TYPE', () => {
    expect(thrown(() => registry.upcast({ type: 'x.y', schemaVersion: 1, payload: {} })).code).toBe(
      'UNKNOWN_EVENT_TYPE',
    );
  });

  // Version k's payload records the path it took: { v: k, trail: [...] }; upcaster k→k+1 appends f_k(trail).
  const chains = fc.record({
    n: fc.integer({ min: 1, max: 8 }),
    steps: fc.array(fc.func(fc.integer()), { minLength: 8, maxLength: 8 }),
    withOldSchemas: fc.boolean(),
    start: fc.nat(),
    trail: fc.array(fc.integer(), { maxLength: 3 }),
  });
  const build = (n: number, steps: ((...a: unknown[]) => number)[], withOldSchemas: boolean) => {
    const schema = (k: number) => z.object({ v: z.literal(k), trail: z.array(z.number().int()) });
    const events = Array.from({ length: n }, (_, i) =>
      defineEvent({ type: 'prop.thing', version: i + 1, payload: schema(i + 1) }),
    );
    const up = (k: number) => (p: { v: number; trail: number[] }) => ({
      v: k + 1,
      trail: [...p.trail, steps[k - 1]?.(k, p.trail) ?? 0],
    });
    const upcasters = Array.from({ length: n - 1 }, (_, i) =>
      defineUpcaster({ type: 'prop.thing', from: i + 1, to: i + 2, up: up(i + 1) }),
    );
    return {
      registry: createEventRegistry({
        events: withOldSchemas ? events : events.slice(-1),
        upcasters: [...upcasters].reverse(),
      }),
      up,
    };
  };

  test.prop([chains])(
    'any chain of N upcasters lifts every version k..N to the current one; composing = stepwise',
    ({ n, steps, withOldSchemas, start, trail }) => {
      const { registry: r, up } = build(n, steps, withOldSchemas);
      const k = (start % n) + 1;
      const event = { type: 'prop.thing', schemaVersion: k, payload: { v: k, trail } };
      const lifted = r.upcast(event);
      expect(lifted.schemaVersion).toBe(n);
      // the same as applying each step by hand…
      let manual: { v: number; trail: number[] } = event.payload;
      for (let v = k; v < n; v++) manual = up(v)(manual);
      expect(lifted.payload).toEqual(manual);
      expect((lifted.payload as { trail: number[] }).trail).toHaveLength(trail.length + n - k);
      // …and the same as lifting one step first, then the rest
      if (k < n) {
        const oneStep = { type: 'prop.thing', schemaVersion: k + 1, payload: up(k)(event.payload) };
        expect(r.upcast(oneStep)).toEqual(lifted);
      }
      // idempotent at the current version
      expect(r.upcast(lifted)).toEqual(lifted);
    },
  );
});

describe('frozen fixtures', () => {
  const dir = new URL('./__fixtures__/events/', import.meta.url);
  const fixtures = Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as unknown]),
  );

  test('every frozen fixture decodes with the current registry, forever', () => {
    expect(Object.keys(fixtures).length).toBeGreaterThanOrEqual(4);
    expect(decodeFixtures(registry, fixtures)).toEqual([]);
  });

  test('every (type, version) of the registry has a frozen fixture', () => {
    expect(missingFixtures(registry, fixtures)).toEqual([]);
    const { 'sample.renamed.v2.json': _dropped, ...fewer } = fixtures;
    expect(missingFixtures(registry, fewer)).toEqual([{ type: 'sample.renamed', schemaVersion: 2 }]);
  });

  test('failures name the fixture and the error code', () => {
    const failures = decodeFixtures(registry, {
      'ok.json': { type: 'sample.closed', schemaVersion: 1, payload: { at: '2026-01-01T00:00:00.000000Z' } },
      'shape.json': { type: 'sample.closed', payload: {} },
      'unknown.json': { type: 'sample.gone', schemaVersion: 1, payload: {} },
      'broken.json': { type: 'sample.renamed', schemaVersion: 1, payload: { name: 1 } },
    });
    expect(failures.map((f) => [f.name, f.code])).toEqual([
      ['shape.json', 'VALIDATION_FAILED'],
      ['unknown.json', 'UNKNOWN_EVENT_TYPE'],
      ['broken.json', 'UPCAST_FAILED'],
    ]);
    expect(failures[0]?.message).toMatch(/schemaVersion/);
  });

  test('eventFixtureSchema checks the fixture shape', () => {
    expect(eventFixtureSchema.safeParse({ type: 'a.b', schemaVersion: 1, payload: null }).success).toBe(true);
    expect(eventFixtureSchema.safeParse({ type: 'ab', schemaVersion: 1, payload: null }).success).toBe(false);
  });
});
