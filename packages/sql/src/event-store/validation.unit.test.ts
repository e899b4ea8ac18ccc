import { fc, test } from '@fast-check/vitest';
import { isPetError } from '@pet-ops/core';
import { describe, expect } from 'vitest';
import { fastAppend, parseAppend, zodAppend } from './validation.js';

const uuid = fc.uuid().map((u) => u.toLowerCase());
const good = {
  eventId: '01900000-0000-7000-8000-000000000001',
  type: 'quote.accepted',
  schemaVersion: 1,
  streamType: 'quote',
  occurredAt: '2026-01-02T03:04:05.678901Z',
  actor: { type: 'employee', id: 'e-1' },
  context: { customerId: 'c-1' },
  correlationId: null,
  causationId: null,
  payload: { n: 1 },
};

// Values that hit each rule's edges: the fast path must accept exactly what zod accepts.
const oddValue = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    '',
    ' ',
    ' k',
    'k ',
    'k',
    'a'.repeat(191),
    'a'.repeat(192),
    'quote.accepted',
    'Quote.accepted',
    'quote',
    `q.${'a'.repeat(126)}`,
    `q.${'a'.repeat(127)}`,
    0,
    1,
    65535,
    65536,
    1.5,
    -1,
    Number.NaN,
    'employee',
    'robot',
    '2026-02-30T00:00:00.000000Z',
    '2026-01-02T03:04:05.678Z',
    '2026-01-02T03:04:05.678901Z',
    '01900000-0000-7000-8000-000000000002',
    '01900000-0000-7000-C000-000000000002',
    [],
    {},
    { type: 'system', id: null },
    { type: 'system', id: '' },
    { type: 'system', id: 'x'.repeat(65) },
  ),
  uuid,
  fc.string({ maxLength: 8 }),
);

const FIELDS = [
  'eventId',
  'type',
  'schemaVersion',
  'streamType',
  'occurredAt',
  'actor',
  'context',
  'correlationId',
  'causationId',
  'idempotencyKey',
  'payload',
] as const;

const draft = fc
  .record({
    field: fc.option(fc.constantFrom(...FIELDS), { nil: undefined }),
    value: oddValue,
    // A small pool as well, so batches repeat an event id.
    id: fc.oneof(
      uuid,
      fc.constantFrom('01900000-0000-7000-8000-00000000000a', '01900000-0000-7000-8000-00000000000b'),
    ),
    key: fc.option(fc.constantFrom('k', 'k2', ' k', 'k'), { nil: undefined }),
  })
  .map(({ field, value, id, key }) => {
    const d: Record<string, unknown> = {
      ...good,
      eventId: id,
      ...(key === undefined ? {} : { idempotencyKey: key }),
    };
    if (field !== undefined) d[field] = value;
    return d;
  });

function zodOutcome(streamId: unknown, expected: unknown, events: unknown): unknown {
  try {
    return { ok: zodAppend(streamId, expected, events) };
  } catch (e) {
    if (isPetError(e, 'VALIDATION_FAILED')) return 'refused';
    throw e;
  }
}

let fastTaken = 0;

describe('the fast append check', () => {
  test.prop(
    [
      fc.oneof(uuid, oddValue),
      fc.oneof(
        fc.constantFrom('no_stream', 'any', 0, 3, 4_294_967_295, 4_294_967_296, -1, 2.5, 'x'),
        fc.nat(),
      ),
      fc.array(draft, { minLength: 0, maxLength: 4 }),
    ],
    { numRuns: 3000 },
  )('accepts exactly what the zod schema accepts, with the same result', (streamId, expected, events) => {
    const fast = fastAppend(streamId, expected, events);
    const slow = zodOutcome(streamId, expected, events);
    if (fast === undefined) {
      // Only allowed when zod refuses too, or when zod accepts an input the fast path leaves to it.
      if (slow !== 'refused') expect(slow).toHaveProperty('ok');
    } else {
      fastTaken += 1;
      expect(slow).toEqual({ ok: fast });
    }
  });

  test('the property above is not vacuous: many random batches take the fast path', () => {
    // About 3 % of the random batches are well formed (93 to 150 of 3,000 seen): the bound only says "many".
    expect(fastTaken).toBeGreaterThan(40);
  });

  test('a well-formed batch takes the fast path; one bad field falls back to zod, which names it', () => {
    expect(fastAppend(good.eventId, 'no_stream', [good])).toBeDefined();
    expect(fastAppend(good.eventId, 'no_stream', [{ ...good, type: 'Bad' }])).toBeUndefined();
    expect(() => parseAppend(good.eventId, 'no_stream', [{ ...good, type: 'Bad' }])).toThrow(
      /events\.0\.type/,
    );
  });
});
