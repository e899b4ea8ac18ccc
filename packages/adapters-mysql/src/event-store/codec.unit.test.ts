import { fc, test } from '@fast-check/vitest';
import { type EventDraft, instantFromEpochMs, type Uuid, ValidationError } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { instantToSql } from '../internal/datetime.js';
import { bytesToUuid, uuidToBytes } from '../internal/uuid-bytes.js';
import { encodeDrafts, positionOf, type RawEventRow, rowToEvent, streamIdOf, uuidOf } from './codec.js';

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
  return [
    '9007199254740993',
    head[0] as Buffer,
    head[1] as string,
    head[2] as number,
    head[3] as string,
    Buffer.from(id(9).replace(/-/g, ''), 'hex'),
    4,
    tail[0] as string,
    instantToSql(d.occurredAt),
    tail[1] as string,
    tail[2] as string | null,
    tail[3] as Buffer | null,
    tail[4] as Buffer | null,
    tail[5] as string | null,
    tail[6] as string,
    tail[7] as string,
  ];
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
    const row = [...asRow(draftWith({ a: 1 }), encoded!.head, encoded!.tail)] as unknown[];
    row[13] = null;
    expect(rowToEvent(row as unknown as RawEventRow)).not.toHaveProperty('idempotencyKey');
    row[14] = { b: 1 };
    row[15] = { a: 2 };
    expect(rowToEvent(row as unknown as RawEventRow)).toMatchObject({
      payload: { a: 2 },
      context: { b: 1 },
    });
  });
});

describe('uuidOf', () => {
  test.prop([
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
  ])(
    'any 16 bytes read as the canonical text bytesToUuid gives, and an id read earlier keeps its text',
    (a, b) => {
      const first = uuidOf(a);
      const second = uuidOf(Buffer.from(b));
      expect(first).toBe(bytesToUuid(a));
      expect(second).toBe(bytesToUuid(b));
      expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(uuidToBytes(first)).toEqual(Buffer.from(a));
    },
  );

  it('passes server-rendered text through', () => {
    expect(uuidOf(id(5))).toBe(id(5));
  });
});

describe('streamIdOf', () => {
  test.prop([
    fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { minLength: 1, maxLength: 6 }),
    fc.array(fc.nat(5), { maxLength: 40 }),
  ])('reads any sequence of ids (runs of one id included) as uuidOf does', (ids, picks) => {
    for (const i of picks) {
      const bytes = ids[i % ids.length] as Uint8Array;
      expect(streamIdOf(Buffer.from(bytes))).toBe(bytesToUuid(bytes));
    }
  });

  it('keeps a copy of the last bytes: a buffer the driver reuses cannot return a stale id', () => {
    const buffer = Buffer.from(uuidToBytes(id(1)));
    expect(streamIdOf(buffer)).toBe(id(1));
    buffer.set(uuidToBytes(id(2)));
    expect(streamIdOf(buffer)).toBe(id(2));
    expect(streamIdOf(id(3))).toBe(id(3));
  });
});

describe('positionOf', () => {
  test.prop([fc.bigInt({ min: 1n, max: 2n ** 63n - 1n })])(
    'BIGINT text of any length reads as the exact bigint',
    (n) => {
      const row = [n.toString()] as unknown as RawEventRow;
      expect(positionOf(row)).toBe(n);
    },
  );

  it('reads 15 and 16 digits exactly (the number path ends at 15)', () => {
    expect(positionOf(['999999999999999'] as unknown as RawEventRow)).toBe(999_999_999_999_999n);
    expect(positionOf(['9007199254740993'] as unknown as RawEventRow)).toBe(9_007_199_254_740_993n);
  });
});
