import { type Instant, type Uuid, uuidSchema, ValidationError } from '@pet-ops/core';
import { z } from 'zod';
import { instantToSql, sqlToInstant } from '../internal/datetime.js';
import { bytesToUuid, uuidToBytes } from '../internal/uuid-bytes.js';

/** A branded id as the stream id it also is. */
export const asUuid = (id: string): Uuid => id as Uuid;

/** Column helpers shared by the lead-pipeline state tables (ids are BINARY(16), JSON may come back as text). */
export const idOut = (id: string | null): Buffer | null => (id === null ? null : uuidToBytes(id));
export const idIn = <T extends string>(value: unknown): T | null =>
  value === null || value === undefined ? null : (bytesToUuid(value as Uint8Array) as string as T);
export const jsonIn = <T>(value: unknown): T =>
  (typeof value === 'string'
    ? JSON.parse(value)
    : Buffer.isBuffer(value)
      ? JSON.parse(value.toString('utf8'))
      : value) as T;
export const intIn = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
export const textIn = <T extends string = string>(value: unknown): T | null =>
  value === null || value === undefined ? null : (String(value) as T);
/** An instant column (`DATETIME(6)` UTC) out and in. */
export const instantOut = (at: Instant | null): string | null => (at === null ? null : instantToSql(at));
export const instantIn = (value: unknown): Instant | null =>
  value === null || value === undefined ? null : sqlToInstant(String(value));

const commandRequestSchema = z.object({ id: uuidSchema, command: z.looseObject({ type: z.string() }) });

/**
 * Checks the shape of a workflow's request before anything reads it: the aggregate id is a UUID and the
 * command an object with a `type` (its fields are checked by the command schema of the binding). Throws a
 * `ValidationError` naming `field` or `command…` — never a raw `TypeError` on a wrongly typed request.
 */
export function assertCommandRequest(what: string, field: string, id: unknown, command: unknown): void {
  const r = commandRequestSchema.safeParse({ id, command });
  if (r.success) return;
  throw new ValidationError(
    what,
    r.error.issues.map((i) => ({
      field: i.path[0] === 'id' ? field : i.path.map(String).join('.'),
      rule: i.message,
    })),
  );
}

/**
 * A creating command names its own id; it must be the stream it runs on, or the row (keyed by the
 * stream) and its events (carrying the command's id) would disagree.
 */
export function assertSameId(
  what: string,
  field: string,
  streamId: string,
  commandId: string | undefined,
): void {
  if (commandId !== undefined && commandId !== streamId) {
    throw new ValidationError(what, [{ field: `command.${field}`, rule: 'must equal the stream id' }]);
  }
}
