/** Helpers shared by the lead-pipeline tests (not a test file itself; the `.test.ts` suffix keeps it out of builds). */
import { fc } from '@fast-check/vitest';
import type { CompanyId } from '../crm/ids.js';
import type { EmployeeId } from '../identity/ids.js';
import type { CurrencyCode, Instant } from '../kernel/index.js';
import type { LeadId, QualificationId } from './lead/events.js';
import type { OpportunityId } from './opportunity/events.js';
import type { MalleableSchemaVersion } from './schema/decider.js';
import type { MalleableSchemaId } from './schema/events.js';
import type { MalleableField } from './schema/fields.js';

/** A readable UUIDv7 whose last digits are `n`. */
export const uuid = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const schemaId = (n: number): MalleableSchemaId => uuid(0x700000 + n) as MalleableSchemaId;
export const leadId = (n: number): LeadId => uuid(0x710000 + n) as LeadId;
export const qualificationId = (n: number): QualificationId => uuid(0x720000 + n) as QualificationId;
export const opportunityId = (n: number): OpportunityId => uuid(0x730000 + n) as OpportunityId;
export const companyId = (n: number): CompanyId => uuid(0x400000 + n) as CompanyId;
export const employeeId = (n: number): EmployeeId => uuid(0x100000 + n) as EmployeeId;
export const EUR = 'EUR' as CurrencyCode;

/** `2026-11-22T00:00:00.000000Z` plus `minutes`. */
export const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 10, 22) + minutes * 60_000).toISOString().replace('Z', '000Z') as Instant;

/** The lead schema v1 used across tests: a required budget, an optional select and a note. */
export const leadFieldsV1: readonly MalleableField[] = [
  { key: 'budget', label: 'Budget', type: 'money', required: true, currency: EUR },
  {
    key: 'stage',
    label: 'Buying stage',
    type: 'select',
    required: false,
    options: [
      { id: 'discovery', label: 'Discovery' },
      { id: 'evaluation', label: 'Evaluation' },
    ],
  },
  { key: 'note', label: 'Note', type: 'text', required: false },
];

export const version = (
  entityType: string,
  n: number,
  fields: readonly MalleableField[],
  status: MalleableSchemaVersion['status'] = 'active',
): MalleableSchemaVersion => ({
  entityType,
  version: n,
  status,
  fields,
  publishedAt: status === 'draft' ? null : at(0),
});

const key = fc
  .stringMatching(/^[a-z0-9_]{1,12}$/)
  .filter((k) => k !== '__proto__' && k !== 'constructor' && k !== 'prototype');
const label = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/);
const options = fc.uniqueArray(fc.record({ id: key, label }), {
  minLength: 1,
  maxLength: 4,
  selector: (o) => o.id,
});

/** One valid field of any type (without its key; keys are made unique by {@link arbFields}). */
const arbFieldBody: fc.Arbitrary<Omit<MalleableField, 'key'>> = fc.oneof(
  fc.record({ label, type: fc.constantFrom('text' as const, 'textarea' as const), required: fc.boolean() }),
  fc.record({
    label,
    type: fc.constantFrom('number' as const, 'integer' as const),
    required: fc.boolean(),
    min: fc.integer({ min: -1000, max: 0 }),
    max: fc.integer({ min: 0, max: 1000 }),
  }),
  fc.record({
    label,
    type: fc.constant('money' as const),
    required: fc.boolean(),
    currency: fc.constant(EUR),
  }),
  fc.record({
    label,
    type: fc.constantFrom(
      'boolean' as const,
      'date' as const,
      'datetime' as const,
      'email' as const,
      'url' as const,
    ),
    required: fc.boolean(),
  }),
  fc.record({
    label,
    type: fc.constantFrom('select' as const, 'multiselect' as const),
    required: fc.boolean(),
    options,
  }),
);

/** A valid field list with unique keys. */
export const arbFields: fc.Arbitrary<MalleableField[]> = fc
  .uniqueArray(fc.tuple(key, arbFieldBody), { minLength: 1, maxLength: 6, selector: ([k]) => k })
  .map((list) => list.map(([k, body]) => ({ key: k, ...body })));

/** A value that fits `field`. */
export function arbValue(field: MalleableField): fc.Arbitrary<unknown> {
  switch (field.type) {
    case 'text':
      return fc.string({ minLength: 1, maxLength: 40 });
    case 'textarea':
      return fc.string({ minLength: 1, maxLength: 200 });
    case 'number':
      return fc.double({
        min: field.min ?? -1e6,
        max: field.max ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'integer':
      return fc.integer({ min: field.min ?? -1e6, max: field.max ?? 1e6 });
    case 'money':
      return fc
        .integer({ min: -1e9, max: 1e9 })
        .map((amountMinor) => ({ amountMinor, currency: field.currency }));
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc
        .date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'datetime':
      return fc.integer({ min: 0, max: 3e12 }).map((ms) => new Date(ms).toISOString().replace('Z', '000Z'));
    case 'email':
      return fc.tuple(key, key).map(([a, b]) => `${a}@${b}.example`);
    case 'url':
      return key.map((k) => `https://example.com/${k}`);
    case 'select':
      return fc.constantFrom(...(field.options ?? []).map((o) => o.id));
    case 'multiselect':
      return fc.subarray((field.options ?? []).map((o) => o.id));
  }
}

/** Data that is valid for `fields` (every required field set, optional ones sometimes). */
export function arbData(fields: readonly MalleableField[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      ...fields.map((f) =>
        fc.tuple(fc.constant(f.key), arbValue(f), f.required ? fc.constant(true) : fc.boolean()),
      ),
    )
    .map((entries) => Object.fromEntries(entries.filter(([, , keep]) => keep).map(([k, v]) => [k, v])));
}
