import type { Rejection } from '../../kernel/index.js';

/**
 * Why a malleable schema command was refused (stable codes):
 * - `SCHEMA_NOT_FOUND` — a command other than `create_draft` before the first draft.
 * - `SCHEMA_ENTITY_TYPE_MISMATCH` — `create_draft` names another entity type than the stream's.
 * - `SCHEMA_DRAFT_EXISTS` — a second draft while one is open (≤ 1 draft per entity type).
 * - `SCHEMA_NO_DRAFT` — update, discard or publish without an open draft.
 * - `SCHEMA_FIELDS_INVALID` — a field rule of §2.6 is broken (details.issues names each field and rule).
 * - `SCHEMA_FIELD_TYPE_CHANGED` — a field key published before with another type (records hold data of it).
 * - `SCHEMA_EMPTY` — publishing a draft without fields.
 */
export type MalleableSchemaRejectionCode =
  | 'SCHEMA_NOT_FOUND'
  | 'SCHEMA_ENTITY_TYPE_MISMATCH'
  | 'SCHEMA_DRAFT_EXISTS'
  | 'SCHEMA_NO_DRAFT'
  | 'SCHEMA_FIELDS_INVALID'
  | 'SCHEMA_FIELD_TYPE_CHANGED'
  | 'SCHEMA_EMPTY';

/** A refused malleable schema command. */
export type MalleableSchemaRejection = Rejection<MalleableSchemaRejectionCode>;

/**
 * Every malleable schema rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...MALLEABLE_SCHEMA_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const MALLEABLE_SCHEMA_REJECTION_CODES: readonly MalleableSchemaRejectionCode[] = [
  'SCHEMA_NOT_FOUND',
  'SCHEMA_ENTITY_TYPE_MISMATCH',
  'SCHEMA_DRAFT_EXISTS',
  'SCHEMA_NO_DRAFT',
  'SCHEMA_FIELDS_INVALID',
  'SCHEMA_FIELD_TYPE_CHANGED',
  'SCHEMA_EMPTY',
];
