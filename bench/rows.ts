// Raw mysql2 encoding of bench events: what a hand-written script would send for the same rows.
import type { EventDraft, Uuid } from '@pet-ops/core';
import type { ExecuteValues } from 'mysql2/promise';

type ExecuteValue = Extract<ExecuteValues, readonly unknown[]>[number];

export const EVENT_COLUMNS =
  'event_id, event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, actor_type, actor_id, correlation_id, causation_id, idempotency_key, context, payload';

const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

export function insertSql(table: string, rows: number): string {
  return `INSERT INTO \`${table}\` (${EVENT_COLUMNS}) VALUES ${Array.from({ length: rows }, () => ROW).join(', ')}`;
}

const bytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ''), 'hex');

export function rowParams(
  streamId: Uuid,
  firstVersion: number,
  events: readonly EventDraft[],
): ExecuteValue[] {
  const out: ExecuteValue[] = [];
  events.forEach((e, i) => {
    out.push(
      bytes(e.eventId),
      e.type,
      e.schemaVersion,
      e.streamType,
      bytes(streamId),
      firstVersion + i,
      `${e.occurredAt.slice(0, 10)} ${e.occurredAt.slice(11, 26)}`,
      e.actor.type,
      e.actor.id,
      null,
      null,
      e.idempotencyKey ?? null,
      JSON.stringify(e.context),
      JSON.stringify(e.payload),
    );
  });
  return out;
}
