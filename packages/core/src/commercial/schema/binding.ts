import type { FieldIssue } from '../../kernel/index.js';
import type { MalleableSchemaVersion } from './decider.js';
import { type MalleableData, malleableDataIssues } from './validate.js';

/**
 * Why a record's malleable data cannot be checked or is invalid, or null when it is valid:
 * `schema` — the given version is not the record's (entity type or number differ, or it is missing, or
 * a new record is bound to a version that is not active); `data` — the values break the version;
 * `deprecated` — an edit changes a field the active version dropped, or picks an option it dropped.
 */
export type MalleableCheck =
  | { readonly problem: 'schema'; readonly rule: string }
  | { readonly problem: 'data'; readonly issues: readonly FieldIssue[] }
  | { readonly problem: 'deprecated'; readonly issues: readonly FieldIssue[] }
  | null;

/**
 * Checks a record's malleable data against the schema version it is bound to. A record without a
 * version must carry no data. New records (`mustBeActive`) bind to the active version; existing ones
 * keep theirs forever, whatever became active since.
 *
 * Given `before` (an edit of an existing record), the fields of a historical version that the active
 * version dropped are read-only (scenario 6): their values must stay as they were, and an option the
 * active version dropped may be kept but not newly chosen. Deciding that needs the active version
 * (`active`); an edit of a record on a historical version without it is a `schema` problem.
 *
 * @example
 * ```ts
 * checkMalleable({ entityType: 'lead', version: 1, schema: v1, data, mustBeActive: true });
 * // an edit of a record on v1 while v2 is active:
 * checkMalleable({ entityType: 'lead', version: 1, schema: v1, active: v2, before, data, mustBeActive: false });
 * ```
 */
export function checkMalleable(input: {
  readonly entityType: string;
  readonly version: number | null;
  readonly schema: MalleableSchemaVersion | null | undefined;
  readonly data: MalleableData;
  readonly mustBeActive: boolean;
  readonly requireAll?: boolean;
  /** The record's data before an edit; absent when the record is new. */
  readonly before?: MalleableData;
  /** The schema's active version, needed to edit a record bound to a historical one. */
  readonly active?: MalleableSchemaVersion | null | undefined;
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
  if (issues.length > 0) return { problem: 'data', issues };
  if (input.before === undefined || s.status !== 'historical') return null;
  const active = input.active;
  if (active === null || active === undefined || active.status !== 'active') {
    return { problem: 'schema', rule: 'editing a record on a historical version needs the active version' };
  }
  if (active.entityType !== input.entityType) {
    return { problem: 'schema', rule: `the given active schema is not of ${input.entityType}` };
  }
  const deprecated = deprecatedEdits(s, active, input.before, input.data);
  return deprecated.length === 0 ? null : { problem: 'deprecated', issues: deprecated };
}

/** A record's own value for `key` (never one inherited from `Object.prototype`), or null. */
const ownValue = (data: MalleableData, key: string): unknown =>
  Object.hasOwn(data, key) ? (data[key] ?? null) : null;

const options = (value: unknown): readonly unknown[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];

/** What an edit from `before` to `after` changes that the active version deprecated. */
function deprecatedEdits(
  version: MalleableSchemaVersion,
  active: MalleableSchemaVersion,
  before: MalleableData,
  after: MalleableData,
): FieldIssue[] {
  const activeFields = new Map(active.fields.map((f) => [f.key, f]));
  const out: FieldIssue[] = [];
  for (const f of version.fields) {
    const was = ownValue(before, f.key);
    const now = ownValue(after, f.key);
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    const current = activeFields.get(f.key);
    if (current === undefined) {
      out.push({ field: f.key, rule: `deprecated: v${active.version} dropped it, so it is read-only` });
      continue;
    }
    if (f.options === undefined) continue;
    const offered = new Set((current.options ?? []).map((o) => o.id));
    const kept = new Set(options(was));
    for (const id of options(now)) {
      if (!offered.has(String(id)) && !kept.has(id)) {
        out.push({ field: f.key, rule: `deprecated option ${String(id)}: v${active.version} dropped it` });
      }
    }
  }
  return out;
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
    const value = ownValue(data, f.key);
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
