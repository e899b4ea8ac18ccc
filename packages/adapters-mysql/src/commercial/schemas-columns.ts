import { type Uuid, ValidationError } from '@pet-ops/core';
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
