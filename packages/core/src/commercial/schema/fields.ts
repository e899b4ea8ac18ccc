import { z } from 'zod';
import { type CurrencyCode, currencyCodeSchema, type FieldIssue } from '../../kernel/index.js';

/**
 * The field types a malleable schema may declare (spec §2.6, plus integer and money).
 *
 * @example
 * ```ts
 * z.enum(MALLEABLE_FIELD_TYPES).parse('money');
 * ```
 */
export const MALLEABLE_FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'integer',
  'money',
  'boolean',
  'date',
  'datetime',
  'select',
  'multiselect',
  'email',
  'url',
] as const;

/** One malleable field type. */
export type MalleableFieldType = (typeof MALLEABLE_FIELD_TYPES)[number];

/** A select option: `id` is the stable value stored in records; `label` is display only. */
export interface MalleableOption {
  readonly id: string;
  readonly label: string;
}

/**
 * One typed field of a schema version. `options` only for select types; `min`/`max` only for number
 * and integer; `maxLength` only for text types; `currency` only (and always) for money.
 */
export interface MalleableField {
  readonly key: string;
  readonly label: string;
  readonly type: MalleableFieldType;
  readonly required: boolean;
  readonly options?: readonly MalleableOption[];
  readonly min?: number;
  readonly max?: number;
  readonly maxLength?: number;
  readonly currency?: CurrencyCode;
}

/**
 * Keys of fields and option ids: lower-case letters, digits and underscores (spec §2.6).
 *
 * @example
 * ```ts
 * MALLEABLE_KEY_RE.test('budget_eur'); // true
 * MALLEABLE_KEY_RE.test('Budget'); // false
 * ```
 */
export const MALLEABLE_KEY_RE: RegExp = /^[a-z0-9_]+$/;
/**
 * Longest field key / option id.
 *
 * @example
 * ```ts
 * z.string().min(1).max(MAX_MALLEABLE_KEY_LENGTH).regex(MALLEABLE_KEY_RE);
 * ```
 */
export const MAX_MALLEABLE_KEY_LENGTH = 64;
/**
 * Longest field or option label (spec §2.6: ≤ 100 characters).
 *
 * @example
 * ```ts
 * z.string().trim().min(1).max(MAX_MALLEABLE_LABEL_LENGTH);
 * ```
 */
export const MAX_MALLEABLE_LABEL_LENGTH = 100;
/** Most fields one version may declare. @example `z.array(malleableFieldSchema).max(MAX_MALLEABLE_FIELDS)` */
export const MAX_MALLEABLE_FIELDS = 200;
/**
 * Default longest text value (text: 255, textarea: 10 000) when `maxLength` is not given.
 *
 * @example
 * ```ts
 * const max = field.maxLength ?? DEFAULT_TEXT_MAX.text; // 255 unless the field sets maxLength
 * ```
 */
export const DEFAULT_TEXT_MAX: Readonly<Record<'text' | 'textarea', number>> = {
  text: 255,
  textarea: 10_000,
};

const keySchema = z
  .string()
  .min(1)
  .max(MAX_MALLEABLE_KEY_LENGTH)
  .regex(MALLEABLE_KEY_RE, 'must match [a-z0-9_]+');
const labelSchema = z.string().trim().min(1).max(MAX_MALLEABLE_LABEL_LENGTH);
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Zod schema of one {@link MalleableField} (shape only; cross-field rules are {@link fieldRuleIssues}).
 *
 * @example
 * ```ts
 * malleableFieldSchema.parse({ key: 'budget', label: 'Budget', type: 'money', required: false, currency: 'EUR' });
 * ```
 */
export const malleableFieldSchema: z.ZodType<MalleableField> = z
  .object({
    key: keySchema,
    label: labelSchema,
    type: z.enum(MALLEABLE_FIELD_TYPES),
    required: z.boolean(),
    options: z
      .array(z.object({ id: keySchema, label: labelSchema }).strict())
      .max(500)
      .exactOptional(),
    min: z.number().finite().exactOptional(),
    max: z.number().finite().exactOptional(),
    maxLength: z.number().int().min(1).max(65_535).exactOptional(),
    currency: currencyCodeSchema.exactOptional(),
  })
  .strict() as z.ZodType<MalleableField>;

/** Zod schema of a field list (shape only). @example `malleableFieldsSchema.parse(fields)` */
export const malleableFieldsSchema: z.ZodType<readonly MalleableField[]> = z
  .array(malleableFieldSchema)
  .max(MAX_MALLEABLE_FIELDS);

const isSelect = (t: MalleableFieldType): boolean => t === 'select' || t === 'multiselect';
const isNumeric = (t: MalleableFieldType): boolean => t === 'number' || t === 'integer';
const isText = (t: MalleableFieldType): boolean => t === 'text' || t === 'textarea';

/**
 * The field rules of spec §2.6 over a whole field list: each shape is valid, keys are unique, select
 * types have a non-empty option list with unique ids, and type-specific settings appear only on the
 * types they belong to. Returns one issue per broken rule (empty when the list is valid).
 *
 * @example
 * ```ts
 * fieldRuleIssues([{ key: 'Bad Key', label: 'x', type: 'text', required: false }]);
 * // → [{ field: 'fields.0.key', rule: 'must match [a-z0-9_]+' }]
 * ```
 */
export function fieldRuleIssues(fields: readonly unknown[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (fields.length > MAX_MALLEABLE_FIELDS) {
    issues.push({ field: 'fields', rule: `at most ${MAX_MALLEABLE_FIELDS} fields` });
  }
  const keys = new Set<string>();
  fields.forEach((raw, i) => {
    const at = `fields.${i}`;
    const parsed = malleableFieldSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({ field: [at, ...issue.path.map(String)].join('.'), rule: issue.message });
      }
      return;
    }
    const f = parsed.data;
    if (keys.has(f.key)) issues.push({ field: `${at}.key`, rule: 'keys must be unique' });
    // A record is a plain object: these keys would read (or, assigned, replace) its prototype.
    if (RESERVED_KEYS.has(f.key)) {
      issues.push({ field: `${at}.key`, rule: 'must not be __proto__, constructor or prototype' });
    }
    keys.add(f.key);
    if (isSelect(f.type)) {
      const ids = (f.options ?? []).map((o) => o.id);
      if (ids.length === 0) issues.push({ field: `${at}.options`, rule: 'select types need options' });
      if (new Set(ids).size !== ids.length) {
        issues.push({ field: `${at}.options`, rule: 'option ids must be unique' });
      }
    } else if (f.options !== undefined) {
      issues.push({ field: `${at}.options`, rule: 'only select types have options' });
    }
    if (!isNumeric(f.type) && (f.min !== undefined || f.max !== undefined)) {
      issues.push({ field: `${at}.min`, rule: 'only number and integer fields have min/max' });
    }
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) {
      issues.push({ field: `${at}.max`, rule: 'must be ≥ min' });
    }
    if (!isText(f.type) && f.maxLength !== undefined) {
      issues.push({ field: `${at}.maxLength`, rule: 'only text fields have maxLength' });
    }
    if ((f.type === 'money') !== (f.currency !== undefined)) {
      issues.push({ field: `${at}.currency`, rule: 'money fields (and only they) need a currency' });
    }
  });
  return issues;
}
