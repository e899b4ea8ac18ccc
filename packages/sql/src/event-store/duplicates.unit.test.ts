import { type EventDraft, instantFromEpochMs, type Uuid } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { classifyDuplicates, type ExistingEvent } from './duplicates.js';

const id = (n: number): Uuid => `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}` as Uuid;
const S = id(100);
const OTHER = id(200);

function d(n: number, idempotencyKey?: string): EventDraft {
  return {
    eventId: id(n),
    type: 'test.happened',
    schemaVersion: 1,
    streamType: 'test',
    occurredAt: instantFromEpochMs(0),
    actor: { type: 'system', id: null },
    context: {},
    correlationId: null,
    causationId: null,
    payload: {},
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  };
}

function stored(n: number, version: number, streamId = S, key: string | null = null): ExistingEvent {
  return { position: BigInt(n * 10), eventId: id(n), streamId, streamVersion: version, idempotencyKey: key };
}

describe('classifyDuplicates', () => {
  it('given nothing stored, then none', () => {
    expect(classifyDuplicates(S, [d(1)], [])).toEqual({ kind: 'none' });
  });

  it('given every event stored in the stream, then the first result, in batch order', () => {
    const verdict = classifyDuplicates(S, [d(1), d(2)], [stored(2, 6), stored(1, 5)]);
    expect(verdict).toEqual({
      kind: 'duplicate',
      result: { streamId: S, nextExpectedVersion: 6, positions: [10n, 20n], duplicate: true },
    });
  });

  it('given a stored idempotency key under another event id, then a duplicate (keys compared exactly)', () => {
    expect(classifyDuplicates(S, [d(7, 'k')], [stored(3, 1, S, 'k')]).kind).toBe('duplicate');
    expect(classifyDuplicates(S, [d(7, 'k')], [stored(3, 1, S, 'K')]).kind).toBe('mismatch');
  });

  it('given only part of the batch stored, then IDEMPOTENCY_MISMATCH naming the stored ones', () => {
    const verdict = classifyDuplicates(S, [d(1), d(2)], [stored(1, 1)]);
    expect(verdict.kind).toBe('mismatch');
    if (verdict.kind !== 'mismatch') return;
    expect(verdict.error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(verdict.error.details['existing']).toEqual([id(1)]);
  });

  it('given the events stored in another stream, then IDEMPOTENCY_MISMATCH naming it', () => {
    const verdict = classifyDuplicates(S, [d(1)], [stored(1, 1, OTHER)]);
    expect(verdict.kind === 'mismatch' && verdict.error.details['otherStreams']).toEqual([OTHER]);
  });

  it('given a draft whose id and key are two different stored events, then IDEMPOTENCY_MISMATCH', () => {
    const verdict = classifyDuplicates(S, [d(1, 'k2')], [stored(1, 1, S, 'k1'), stored(2, 2, S, 'k2')]);
    expect(verdict.kind === 'mismatch' && verdict.error.details['index']).toBe(0);
  });
});
