import { type FieldIssue, ValidationError } from '@pet-ops/core';
import type { SqlValue } from '../event-store/codec.js';

const COLUMN_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const RESERVED = new Set(['id', 'version']);

/**
 * Turns what an aggregate definition's `encode(state)` returned into column → bind value pairs.
 * Objects and arrays become JSON text, `bigint` a decimal string, booleans 1/0; `id` and `version`
 * belong to the unit of work. Anything else is a `ValidationError` naming `state.<column>`.
 *
 * @example
 * ```ts
 * encodeStateColumns({ title: 'x', lines: [1, 2] }); // [['title', 'x'], ['lines', '[1,2]']]
 * ```
 */
export function encodeStateColumns(encoded: unknown): [string, SqlValue][] {
  if (typeof encoded !== 'object' || encoded === null || Array.isArray(encoded)) {
    throw new ValidationError('aggregate state', [
      { field: 'state', rule: 'encode(state) must return an object of column → value' },
    ]);
  }
  const issues: FieldIssue[] = [];
  const out: [string, SqlValue][] = [];
  for (const [column, value] of Object.entries(encoded)) {
    const field = `state.${column}`;
    if (!COLUMN_RE.test(column)) {
      issues.push({ field, rule: 'column names must match ^[A-Za-z_][A-Za-z0-9_]{0,63}$' });
    } else if (RESERVED.has(column.toLowerCase())) {
      issues.push({ field, rule: 'id and version are managed by the unit of work' });
    } else {
      const v = toSqlValue(value);
      if (v === undefined)
        issues.push({ field, rule: 'must be a string, number, bigint, boolean, null, bytes or JSON' });
      else out.push([column, v.value]);
    }
  }
  if (issues.length > 0) throw new ValidationError('aggregate state', issues);
  return out;
}

function toSqlValue(value: unknown): { value: SqlValue } | undefined {
  switch (typeof value) {
    case 'string':
      return { value };
    case 'number':
      return Number.isFinite(value) ? { value } : undefined;
    case 'bigint':
      return { value: value.toString() };
    case 'boolean':
      return { value: value ? 1 : 0 };
    case 'object': {
      if (value === null) return { value: null };
      if (Buffer.isBuffer(value)) return { value };
      if (value instanceof Uint8Array) return { value: Buffer.from(value) };
      try {
        const text = JSON.stringify(value);
        return typeof text === 'string' ? { value: text } : undefined;
      } catch {
        return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** The state columns of a loaded row: everything but `id` and `version`. */
export function stateColumnsOf(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!RESERVED.has(k.toLowerCase())) out[k] = v;
  return out;
}
