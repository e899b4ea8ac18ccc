import type { Instant } from '@pet-ops/core';
import { instantToSql, sqlToInstant } from './datetime.js';
import { bytesToUuid, uuidToBytes } from './uuid-bytes.js';

/** A state-table row as mysql2 returns it (dateStrings on). */
export type Row = Readonly<Record<string, unknown>>;

/** UUID → BINARY(16) bind value (null stays null). */
export const idOut = (id: string | null): Buffer | null => (id === null ? null : uuidToBytes(id));

/** BINARY(16) → UUID string of the wanted brand. */
export function idIn<T extends string>(v: unknown): T {
  // The unit of work hands decode the row's own id as a UUID string; other id columns are bytes.
  return (typeof v === 'string' ? v : bytesToUuid(v as Uint8Array)) as unknown as T;
}

/** Nullable BINARY(16) → UUID or null. */
export function idInOrNull<T extends string>(v: unknown): T | null {
  return v === null || v === undefined ? null : idIn<T>(v);
}

/** Instant → DATETIME(6) literal (null stays null). */
export const instantOut = (i: Instant | null): string | null => (i === null ? null : instantToSql(i));

/** DATETIME(6) text → Instant. */
export const instantIn = (v: unknown): Instant => sqlToInstant(String(v));

/** Nullable DATETIME(6) text → Instant or null. */
export const instantInOrNull = (v: unknown): Instant | null =>
  v === null || v === undefined ? null : instantIn(v);

/** Nullable text → string or null (binary-collated columns may come back as bytes). */
export function textInOrNull<T extends string = string>(v: unknown): T | null {
  if (v === null || v === undefined) return null;
  return (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)) as T;
}

/** Required text → string. */
export const textIn = <T extends string = string>(v: unknown): T => textInOrNull<T>(v) ?? ('' as T);

/** A JSON column: MariaDB returns text, MySQL 8 the parsed value. */
export function jsonIn<T>(v: unknown): T {
  return (
    typeof v === 'string' ? JSON.parse(v) : Buffer.isBuffer(v) ? JSON.parse(v.toString('utf8')) : v
  ) as T;
}
