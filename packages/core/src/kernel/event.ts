import { z } from 'zod';
import { type Uuid, uuidSchema } from './ids.js';
import { type Instant, instantSchema } from './instant.js';

/** Who caused an event. */
export interface Actor {
  readonly type: 'employee' | 'system' | 'integration';
  /** Employee id, system component name or integration name; `null` for anonymous system work. */
  readonly id: string | null;
}

/**
 * References that make an event understandable on its own (customer, project, ticket…). Used by KPI
 * scoping and the activity feed; unknown keys are kept.
 */
export interface EventContext {
  readonly customerId?: string;
  readonly projectId?: string;
  readonly ticketId?: string;
  readonly quoteId?: string;
  readonly teamIds?: readonly string[];
  readonly [key: string]: unknown;
}

/**
 * An event as a decider or application produces it, before the store assigns `streamVersion`,
 * `position` and `recordedAt`. `type` is dotted and namespaced by context (`quote.accepted`).
 */
export interface EventDraft<Type extends string = string, Payload = unknown> {
  readonly eventId: Uuid;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly streamType: string;
  readonly occurredAt: Instant;
  readonly actor: Actor;
  readonly context: EventContext;
  readonly correlationId: Uuid | null;
  readonly causationId: Uuid | null;
  readonly idempotencyKey?: string;
  readonly payload: Payload;
}

/**
 * An event as stored: the draft plus its stream, its version in the stream (1, 2, …), its global
 * `position` (a BIGINT, hence `bigint`) and when the store recorded it.
 */
export interface StoredEvent<Type extends string = string, Payload = unknown>
  extends EventDraft<Type, Payload> {
  readonly streamId: Uuid;
  readonly streamVersion: number;
  readonly position: bigint;
  readonly recordedAt: Instant;
}

/** What an append reports: the stream's new last version and the stored events (or the first ones, on replay). */
export interface AppendResult {
  readonly streamId: Uuid;
  /** The stream's last version after the append. */
  readonly nextExpectedVersion: number;
  /** Positions of the appended events, in order. */
  readonly positions: readonly bigint[];
  /** True when the append was a duplicate (same event ids or idempotency key) and nothing was written. */
  readonly duplicate: boolean;
}

const STREAM_TYPE_RE = /^[a-z][a-z0-9_]{0,63}$/;
/**
 * What an event type looks like: dotted lower-case names (`quote.accepted`). Checked wherever a type
 * enters (drafts, the registry, KPI definitions), and what lets an adapter inline a type as a SQL literal.
 *
 * @example `EVENT_TYPE_PATTERN.test('quote.accepted'); // true`
 */
export const EVENT_TYPE_PATTERN: RegExp = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * Zod schema of an {@link EventDraft}'s envelope (the payload is checked by the event registry).
 *
 * @example `parseInput(eventDraftSchema, input, 'event draft')`
 */
export const eventDraftSchema: z.ZodType<EventDraft> = z.object({
  eventId: uuidSchema,
  type: z.string().max(128).regex(EVENT_TYPE_PATTERN, 'must be dotted lower-case, e.g. quote.accepted'),
  schemaVersion: z.number().int().min(1).max(65535),
  streamType: z.string().regex(STREAM_TYPE_RE, 'must match ^[a-z][a-z0-9_]{0,63}$'),
  occurredAt: instantSchema,
  actor: z.object({
    type: z.enum(['employee', 'system', 'integration']),
    id: z.string().min(1).max(64).nullable(),
  }),
  context: z.record(z.string(), z.unknown()),
  correlationId: uuidSchema.nullable(),
  causationId: uuidSchema.nullable(),
  // No surrounding whitespace: SQL collations ignore trailing spaces, so such keys could not be told apart.
  idempotencyKey: z
    .string()
    .min(1)
    .max(191)
    .regex(/^\S(?:[\s\S]*\S)?$/, 'must not start or end with whitespace')
    .optional(),
  payload: z.unknown(),
}) as unknown as z.ZodType<EventDraft>;
