import type { Uuid } from '@pet-ops/core';
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
