import { fc, test } from '@fast-check/vitest';
import { type EventDraft, instantFromEpochMs, type Uuid, ValidationError } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { instantToSql } from '../internal/datetime.js';
import { encodeDrafts, type RawEventRow, rowToEvent } from './codec.js';

const id = (n: number): Uuid => `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}` as Uuid;

function draftWith(payload: unknown, context: Record<string, unknown> = {}): EventDraft {
  return {
    eventId: id(1),
    type: 'test.happened',
    schemaVersion: 2,
    streamType: 'test',
    occurredAt: instantFromEpochMs(Date.UTC(2026, 5, 1, 12), 7),
    actor: { type: 'employee', id: 'e-7' },
    context,
    correlationId: id(2),
    causationId: null,
    idempotencyKey: 'k-1',
    payload,
  };
}

/** What the database gives back for an encoded draft (JSON as text, times as DATETIME(6) text). */
function asRow(d: EventDraft, head: readonly unknown[], tail: readonly unknown[]): RawEventRow {
  return {
    position: '9007199254740993',
    event_id: head[0] as Buffer,
    event_type: head[1] as string,
    schema_version: head[2] as number,
    stream_type: head[3] as string,
    stream_id: Buffer.from(id(9).replace(/-/g, ''), 'hex'),
    stream_version: 4,
    occurred_at: tail[0] as string,
    recorded_at: instantToSql(d.occurredAt),
    actor_type: tail[1] as string,
    actor_id: tail[2] as string | null,
    correlation_id: tail[3] as Buffer | null,
    causation_id: tail[4] as Buffer | null,
    idempotency_key: tail[5] as string | null,
    context: tail[6] as string,
    payload: tail[7] as string,
  };
}

describe('encodeDrafts / rowToEvent', () => {
  test.prop([fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())])(
    'a draft survives encode → row → event (JSON values as JSON gives them back)',
    (payload, context) => {
      const d = draftWith(payload, context);
      const [encoded] = encodeDrafts([d]);
      const event = rowToEvent(asRow(d, encoded!.head, encoded!.tail));
      expect(event).toEqual({
        ...d,
        payload: JSON.parse(JSON.stringify(payload)),
        context: JSON.parse(JSON.stringify(context)),
        streamId: id(9),
        streamVersion: 4,
        position: 9007199254740993n,
        recordedAt: d.occurredAt,
      });
    },
  );

  it('names every field that is not JSON-serialisable', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    let error: unknown;
    try {
      encodeDrafts([draftWith({ ok: 1 }), draftWith(10n), draftWith(undefined, cyclic)]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toEqual([
      'events.1.payload',
      'events.2.context',
      'events.2.payload',
    ]);
  });

  it('leaves idempotencyKey out when the row has none, and parses JSON the driver already parsed', () => {
    const [encoded] = encodeDrafts([draftWith({ a: 1 })]);
    const row = { ...asRow(draftWith({ a: 1 }), encoded!.head, encoded!.tail), idempotency_key: null };
    expect(rowToEvent(row)).not.toHaveProperty('idempotencyKey');
    expect(rowToEvent({ ...row, payload: { a: 2 }, context: { b: 1 } })).toMatchObject({
      payload: { a: 2 },
      context: { b: 1 },
    });
  });
});
