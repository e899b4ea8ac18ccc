import { z } from 'zod';
import { type FieldIssue, instantSchema } from '../../kernel/index.js';
import { DEFAULT_TEXT_MAX, type MalleableField } from './fields.js';

/** Malleable values of one record: field key → value (JSON). */
export type MalleableData = Readonly<Record<string, unknown>>;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

// The core has no URL global (no DOM/Node libs): an http(s) scheme, a host and no whitespace.
const URL_RE = /^https?:\/\/[^\s/?#:]+(?::\d{1,5})?(?:[/?#]\S*)?$/i;
const isUrl = (value: string): boolean => value.length <= 2048 && URL_RE.test(value);

const moneyValue = z.object({ amountMinor: z.number().int().safe(), currency: z.string() }).strict();

/** The rule a present value breaks, or null when it fits the field. */
function valueRule(field: MalleableField, value: unknown): string | null {
  switch (field.type) {
    case 'text':
    case 'textarea': {
      if (typeof value !== 'string') return 'must be a string';
      const max = field.maxLength ?? DEFAULT_TEXT_MAX[field.type];
      return value.length > max ? `must be at most ${max} characters` : null;
    }
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
      if (field.type === 'integer' && !Number.isSafeInteger(value)) return 'must be a safe integer';
      if (field.min !== undefined && value < field.min) return `must be ≥ ${field.min}`;
      if (field.max !== undefined && value > field.max) return `must be ≤ ${field.max}`;
      return null;
    }
    case 'money': {
      const m = moneyValue.safeParse(value);
      if (!m.success) return 'must be { amountMinor: safe integer, currency }';
      return m.data.currency === field.currency ? null : `currency must be ${field.currency}`;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be a boolean';
    case 'date':
      return typeof value === 'string' && isDate(value) ? null : 'must be a date YYYY-MM-DD';
    case 'datetime':
      return instantSchema.safeParse(value).success ? null : 'must be a UTC instant';
    case 'email':
      return typeof value === 'string' && value.length <= 254 && EMAIL_RE.test(value)
        ? null
        : 'must be an e-mail address';
    case 'url':
      return typeof value === 'string' && isUrl(value) ? null : 'must be an http(s) URL';
    case 'select': {
      const ids = (field.options ?? []).map((o) => o.id);
      return typeof value === 'string' && ids.includes(value) ? null : 'must be one of the option ids';
    }
    case 'multiselect': {
      const ids = (field.options ?? []).map((o) => o.id);
      if (!Array.isArray(value)) return 'must be a list of option ids';
      if (!value.every((v) => typeof v === 'string' && ids.includes(v))) return 'must be option ids';
      return new Set(value).size === value.length ? null : 'option ids must not repeat';
    }
  }
}

/**
 * Checks record values against the fields of one schema version: every key is declared, every value
 * fits its field's type and limits, and required fields are present (not null, not '') unless
 * `requireAll: false` (work in progress, e.g. a started qualification). Returns one
 * issue per offending field, named `data.<key>`; empty when the data is valid.
 *
 * @example
 * ```ts
 * malleableDataIssues([{ key: 'budget', label: 'Budget', type: 'integer', required: true }], { budget: 'x' });
 * // → [{ field: 'data.budget', rule: 'must be a finite number' }]
 * ```
 */
export function malleableDataIssues(
  fields: readonly MalleableField[],
  data: unknown,
  options: { readonly requireAll?: boolean } = {},
): FieldIssue[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return [{ field: 'data', rule: 'must be an object of field key → value' }];
  }
  const issues: FieldIssue[] = [];
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const [key, value] of Object.entries(data)) {
    const field = byKey.get(key);
    if (field === undefined) {
      issues.push({ field: `data.${key}`, rule: 'is not a field of the schema version' });
      continue;
    }
    if (value === null || value === undefined) continue;
    const rule = valueRule(field, value);
    if (rule !== null) issues.push({ field: `data.${key}`, rule });
  }
  for (const f of fields) {
    const value = Object.hasOwn(data, f.key) ? (data as Record<string, unknown>)[f.key] : undefined;
    if (
      options.requireAll !== false &&
      f.required &&
      (value === undefined || value === null || value === '')
    ) {
      issues.push({ field: `data.${f.key}`, rule: 'is required' });
    }
  }
  return issues;
}
