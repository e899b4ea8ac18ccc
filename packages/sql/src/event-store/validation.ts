import {
  EVENT_TYPE_PATTERN,
  type EventDraft,
  type ExpectedVersion,
  eventDraftSchema,
  isInstant,
  parseInput,
  type Uuid,
  uuidSchema,
} from '@pet-ops/core';
import { z } from 'zod';

/** Largest stream version (`INT UNSIGNED`). @example `if (version > MAX_STREAM_VERSION) …` */
export const MAX_STREAM_VERSION = 4_294_967_295;

/** Zod schema of an {@link ExpectedVersion}. @example `expectedVersionSchema.parse('no_stream')` */
export const expectedVersionSchema: z.ZodType<ExpectedVersion> = z.union([
  z.number().int().min(0).max(MAX_STREAM_VERSION),
  z.literal('no_stream'),
  z.literal('any'),
]);

/** A validated append. */
export interface AppendInput {
  readonly streamId: Uuid;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly EventDraft[];
}

const appendSchema = z
  .object({
    streamId: uuidSchema,
    expectedVersion: expectedVersionSchema,
    events: z.array(eventDraftSchema).min(1, 'must contain at least one event'),
  })
  .superRefine((input, ctx) => {
    const ids = new Set<string>();
    const keys = new Set<string>();
    input.events.forEach((e, i) => {
      if (ids.has(e.eventId))
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'eventId'],
          message: 'must be unique in the batch',
        });
      ids.add(e.eventId);
      if (e.idempotencyKey === undefined) return;
      if (keys.has(e.idempotencyKey)) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', i, 'idempotencyKey'],
          message: 'must be unique in the batch',
        });
      }
      keys.add(e.idempotencyKey);
    });
    const base = typeof input.expectedVersion === 'number' ? input.expectedVersion : 0;
    if (base + input.events.length > MAX_STREAM_VERSION) {
      ctx.addIssue({
        code: 'custom',
        path: ['events'],
        message: `stream versions must stay ≤ ${MAX_STREAM_VERSION}`,
      });
    }
  });

/**
 * Validates an append's arguments; throws a `ValidationError` naming each bad field (nothing is written).
 *
 * @example
 * ```ts
 * const input = parseAppend(streamId, 'no_stream', [draft]);
 * ```
 */
export function parseAppend(streamId: unknown, expectedVersion: unknown, events: unknown): AppendInput {
  // zod costs 10–15 µs an event, half of an embedded append: well-formed batches take the hand-written
  // check of the same rules (a property test holds the two equal); zod still words every refusal.
  return fastAppend(streamId, expectedVersion, events) ?? zodAppend(streamId, expectedVersion, events);
}

/** The append's rules by the zod schema alone (what {@link fastAppend} is held equal to). @example `zodAppend(id, 0, drafts)` */
export function zodAppend(streamId: unknown, expectedVersion: unknown, events: unknown): AppendInput {
  return parseInput(appendSchema, { streamId, expectedVersion, events }, 'append') as AppendInput;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const STREAM_TYPE_RE = /^[a-z][a-z0-9_]{0,63}$/;
const KEY_RE = /^\S(?:[\s\S]*\S)?$/;
const ACTOR_TYPES = new Set(['employee', 'system', 'integration']);

const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID_RE.test(v);
const isUuidOrNull = (v: unknown): boolean => v === null || isUuid(v);
const isPlainRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * The append's rules checked by hand, giving what zod would give (known keys only, context copied), or
 * `undefined` when anything is off (then zod decides and words the refusal).
 *
 * @example `fastAppend(streamId, 'no_stream', [draft]) ?? slowPath()`
 */
export function fastAppend(
  streamId: unknown,
  expectedVersion: unknown,
  events: unknown,
): AppendInput | undefined {
  if (!isUuid(streamId)) return undefined;
  const expectedOk =
    expectedVersion === 'no_stream' ||
    expectedVersion === 'any' ||
    (Number.isSafeInteger(expectedVersion) &&
      (expectedVersion as number) >= 0 &&
      (expectedVersion as number) <= MAX_STREAM_VERSION);
  if (!expectedOk || !Array.isArray(events) || events.length === 0) return undefined;
  const base = typeof expectedVersion === 'number' ? expectedVersion : 0;
  if (base + events.length > MAX_STREAM_VERSION) return undefined;
  const ids = new Set<string>();
  const keys = new Set<string>();
  const out: EventDraft[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const d = events[i] as Record<string, unknown> | null;
    if (typeof d !== 'object' || d === null) return undefined;
    const {
      eventId,
      type,
      schemaVersion,
      streamType,
      occurredAt,
      actor,
      context,
      correlationId,
      causationId,
      idempotencyKey,
    } = d;
    if (!isUuid(eventId) || ids.has(eventId)) return undefined;
    ids.add(eventId);
    if (typeof type !== 'string' || type.length > 128 || !EVENT_TYPE_PATTERN.test(type)) return undefined;
    if (
      !Number.isInteger(schemaVersion) ||
      (schemaVersion as number) < 1 ||
      (schemaVersion as number) > 65535
    )
      return undefined;
    if (typeof streamType !== 'string' || !STREAM_TYPE_RE.test(streamType)) return undefined;
    if (!isInstant(occurredAt)) return undefined;
    if (typeof actor !== 'object' || actor === null) return undefined;
    const a = actor as Record<string, unknown>;
    if (typeof a['type'] !== 'string' || !ACTOR_TYPES.has(a['type'])) return undefined;
    const actorId = a['id'];
    if (actorId !== null && (typeof actorId !== 'string' || actorId.length < 1 || actorId.length > 64))
      return undefined;
    if (!isPlainRecord(context) || !isUuidOrNull(correlationId) || !isUuidOrNull(causationId))
      return undefined;
    if (idempotencyKey !== undefined) {
      if (typeof idempotencyKey !== 'string' || idempotencyKey.length > 191 || !KEY_RE.test(idempotencyKey))
        return undefined;
      if (keys.has(idempotencyKey)) return undefined;
      keys.add(idempotencyKey);
    }
    out[i] = {
      eventId,
      type,
      schemaVersion,
      streamType,
      occurredAt,
      actor: { type: a['type'], id: actorId },
      context: { ...context },
      correlationId,
      causationId,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      payload: d['payload'],
    } as EventDraft;
  }
  return { streamId: streamId as Uuid, expectedVersion: expectedVersion as ExpectedVersion, events: out };
}

/** Validated `readAll` options. */
export interface ReadAllInput {
  readonly after: bigint;
  readonly limit: number | undefined;
}

const readAllSchema = z
  .object({
    after: z.bigint().min(0n, 'must be ≥ 0').optional(),
    limit: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .optional();

/** Validates `readAll` options. @example `parseReadAll({ after: 10n })` */
export function parseReadAll(options: unknown): ReadAllInput {
  const o = parseInput(readAllSchema, options, 'readAll options');
  return { after: o?.after ?? 0n, limit: o?.limit };
}

const readStreamSchema = z.object({
  streamId: uuidSchema,
  options: z.object({ fromVersion: z.number().int().min(0).max(MAX_STREAM_VERSION).optional() }).optional(),
});

/** Validates `readStream` arguments. @example `parseReadStream(id, { fromVersion: 3 })` */
export function parseReadStream(
  streamId: unknown,
  options: unknown,
): { streamId: Uuid; fromVersion: number } {
  const v = parseInput(readStreamSchema, { streamId, options }, 'readStream');
  return { streamId: v.streamId, fromVersion: v.options?.fromVersion ?? 1 };
}

const idempotencyKeySchema = z.object({ key: z.string().min(1).max(191) });

/** Validates an idempotency key lookup. @example `parseIdempotencyKey('import-42')` */
export function parseIdempotencyKey(key: unknown): string {
  return parseInput(idempotencyKeySchema, { key }, 'idempotency key').key;
}
