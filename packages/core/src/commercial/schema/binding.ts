import type { FieldIssue } from '../../kernel/index.js';
import type { MalleableSchemaVersion } from './decider.js';
import { type MalleableData, malleableDataIssues } from './validate.js';

/**
 * Why a record's malleable data cannot be checked or is invalid, or null when it is valid:
 * `schema` — the given version is not the record's (entity type or number differ, or it is missing, or
 * a new record is bound to a version that is not active); `data` — the values break the version.
 */
export type MalleableCheck =
  | { readonly problem: 'schema'; readonly rule: string }
  | { readonly problem: 'data'; readonly issues: readonly FieldIssue[] }
  | null;

/**
 * Checks a record's malleable data against the schema version it is bound to. A record without a
 * version must carry no data. New records (`mustBeActive`) bind to the active version; existing ones
 * keep theirs forever, whatever became active since.
 *
 * @example
 * ```ts
 * checkMalleable({ entityType: 'lead', version: 1, schema: v1, data, mustBeActive: true });
 * ```
 */
export function checkMalleable(input: {
  readonly entityType: string;
  readonly version: number | null;
  readonly schema: MalleableSchemaVersion | null | undefined;
  readonly data: MalleableData;
  readonly mustBeActive: boolean;
  readonly requireAll?: boolean;
}): MalleableCheck {
  if (input.version === null) {
    return Object.keys(input.data).length === 0
      ? null
      : { problem: 'schema', rule: 'data needs a schema version' };
  }
  const s = input.schema;
  if (s === null || s === undefined)
    return { problem: 'schema', rule: `schema version ${input.version} was not given` };
  if (s.entityType !== input.entityType || s.version !== input.version) {
    return { problem: 'schema', rule: `the given schema is not ${input.entityType} v${input.version}` };
  }
  if (s.status === 'draft') return { problem: 'schema', rule: 'a draft schema version cannot hold records' };
  if (input.mustBeActive && s.status !== 'active') {
    return { problem: 'schema', rule: 'new records bind to the active schema version' };
  }
  const issues = malleableDataIssues(s.fields, input.data, { requireAll: input.requireAll ?? true });
  return issues.length === 0 ? null : { problem: 'data', issues };
}

/** One value of a record as rendered against its version (`deprecated` = gone from the active version). */
export interface MalleableValueView {
  readonly key: string;
  readonly label: string;
  readonly type: string;
  readonly value: unknown;
  /** Option label(s) for select types, resolved in the record's own version (removed options still resolve). */
  readonly display: string | readonly string[] | null;
  readonly deprecated: boolean;
}

/**
 * Renders a record with the version it is bound to (scenario 6): values unchanged, labels and option
 * labels from that version, and fields the active version no longer has marked `deprecated` (read-only).
 *
 * @example
 * ```ts
 * describeMalleableRecord(v1, activeV2, { stage: 'discovery' });
 * ```
 */
export function describeMalleableRecord(
  version: MalleableSchemaVersion,
  active: MalleableSchemaVersion | null,
  data: MalleableData,
): MalleableValueView[] {
  const activeKeys = new Set((active ?? version).fields.map((f) => f.key));
  return version.fields.map((f) => {
    const value = data[f.key] ?? null;
    const label = (id: unknown): string => f.options?.find((o) => o.id === id)?.label ?? String(id);
    const display =
      value === null || f.options === undefined
        ? null
        : Array.isArray(value)
          ? value.map(label)
          : label(value);
    return { key: f.key, label: f.label, type: f.type, value, display, deprecated: !activeKeys.has(f.key) };
  });
}
