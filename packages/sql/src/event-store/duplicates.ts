import { type AppendResult, type EventDraft, PetError, type Uuid } from '@pet-ops/core';

/** An already-stored event that shares an event id or idempotency key with a draft. */
export interface ExistingEvent {
  readonly position: bigint;
  readonly eventId: Uuid;
  readonly streamId: Uuid;
  readonly streamVersion: number;
  readonly idempotencyKey: string | null;
}

/** What the stored events say about a batch that collided with them. */
export type DuplicateVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'duplicate'; readonly result: AppendResult }
  | { readonly kind: 'mismatch'; readonly error: PetError };

/**
 * Decides whether a batch is a replay of an earlier append. Every draft must already exist (same
 * `eventId`, or same `idempotencyKey`) in the same stream: then the append is a no-op that returns the
 * first result. If only some exist, any exists in another stream, or a draft's id and key point at two
 * different stored events, it is `IDEMPOTENCY_MISMATCH` (the semantics of the in-memory store).
 * Keys are compared exactly, whatever the column's collation says.
 *
 * @example
 * ```ts
 * const verdict = classifyDuplicates(streamId, drafts, existingRows);
 * if (verdict.kind === 'duplicate') return verdict.result;
 * ```
 */
export function classifyDuplicates(
  streamId: Uuid,
  drafts: readonly EventDraft[],
  existing: readonly ExistingEvent[],
): DuplicateVerdict {
  if (existing.length === 0) return { kind: 'none' };
  const byId = new Map(existing.map((e) => [e.eventId, e] as const));
  const byKey = new Map<string, ExistingEvent>();
  for (const e of existing) if (e.idempotencyKey !== null) byKey.set(e.idempotencyKey, e);
  const matched: (ExistingEvent | undefined)[] = [];
  for (const [i, d] of drafts.entries()) {
    const sameId = byId.get(d.eventId);
    const sameKey = d.idempotencyKey === undefined ? undefined : byKey.get(d.idempotencyKey);
    if (sameId !== undefined && sameKey !== undefined && sameId !== sameKey) {
      return {
        kind: 'mismatch',
        error: new PetError(
          'IDEMPOTENCY_MISMATCH',
          `append to stream ${streamId}: events.${i} has the event id of one stored event and the idempotency key of another`,
          { details: { streamId, index: i, eventId: d.eventId, idempotencyKey: d.idempotencyKey } },
        ),
      };
    }
    matched.push(sameId ?? sameKey);
  }
  const found = matched.filter((m): m is ExistingEvent => m !== undefined);
  const otherStreams = [...new Set(found.filter((m) => m.streamId !== streamId).map((m) => m.streamId))];
  const last = matched[matched.length - 1];
  if (found.length === drafts.length && otherStreams.length === 0 && last !== undefined) {
    return {
      kind: 'duplicate',
      result: {
        streamId,
        nextExpectedVersion: last.streamVersion,
        positions: found.map((m) => m.position),
        duplicate: true,
      },
    };
  }
  const why =
    otherStreams.length > 0
      ? `${found.length - found.filter((m) => m.streamId === streamId).length} of its events already exist in another stream`
      : found.length === 0
        ? 'its idempotency key or event id is taken by a different event'
        : `only ${found.length} of its ${drafts.length} events already exist`;
  return {
    kind: 'mismatch',
    error: new PetError('IDEMPOTENCY_MISMATCH', `append to stream ${streamId} is not a replay: ${why}`, {
      details: {
        streamId,
        existing: found.map((m) => m.eventId),
        total: drafts.length,
        otherStreams,
      },
    }),
  };
}
