import {
  type EventDraft,
  type ExpectedVersion,
  eventDraftSchema,
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
  return parseInput(appendSchema, { streamId, expectedVersion, events }, 'append') as AppendInput;
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
