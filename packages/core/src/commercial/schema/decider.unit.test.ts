import { fc, test as prop } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { replay } from '../../kernel/index.js';
import { DeciderSpecification } from '../../testing/index.js';
import {
  arbData,
  arbFields,
  at,
  EUR,
  leadFieldsV1,
  schemaId,
  version,
} from '../lead-pipeline-support.test.js';
import { checkMalleable, describeMalleableRecord } from './binding.js';
import type { MalleableSchemaCommand } from './commands.js';
import { activeSchemaVersion, malleableSchemaDecider, schemaVersionOf } from './decider.js';
import type { MalleableSchemaEvent } from './events.js';
import { fieldRuleIssues, type MalleableField } from './fields.js';
import { MALLEABLE_SCHEMA_REJECTION_CODES } from './rejections.js';
import { malleableDataIssues } from './validate.js';

const seen = new Set<string>();
const spec = DeciderSpecification.for({
  ...malleableSchemaDecider,
  decide: (c, s, f) => {
    const r = malleableSchemaDecider.decide(c, s, f);
    if (!r.ok) seen.add(r.error.code);
    return r;
  },
} satisfies typeof malleableSchemaDecider);

const id = schemaId(1);
const draft1: MalleableSchemaEvent = {
  type: 'schema.draft_created',
  payload: { schemaId: id, entityType: 'lead', version: 1, fields: leadFieldsV1 },
};
const published1: MalleableSchemaEvent = {
  type: 'schema.published',
  payload: { schemaId: id, entityType: 'lead', version: 1, previousActive: null, publishedAt: at(10) },
};
/** v2 drops the note field and the `evaluation` option. */
const fieldsV2: readonly MalleableField[] = [
  leadFieldsV1[0] as MalleableField,
  { ...(leadFieldsV1[1] as MalleableField), options: [{ id: 'discovery', label: 'Discovery' }] },
];
const draft2: MalleableSchemaEvent = {
  type: 'schema.draft_created',
  payload: { schemaId: id, entityType: 'lead', version: 2, fields: fieldsV2 },
};

describe('malleable schema versions', () => {
  test('the first draft creates the schema at version 1; publishing makes it active', () => {
    spec
      .given([])
      .when({ type: 'create_draft', schemaId: id, entityType: 'lead', fields: leadFieldsV1 })
      .then([draft1]);
    spec
      .given([draft1])
      .when({ type: 'publish', at: at(10) })
      .then([published1]);
  });

  test('publishing v2 demotes v1 to historical in the same event (atomic) and v1 keeps its fields', () => {
    const published2: MalleableSchemaEvent = {
      type: 'schema.published',
      payload: { schemaId: id, entityType: 'lead', version: 2, previousActive: 1, publishedAt: at(20) },
    };
    spec
      .given([draft1, published1, draft2])
      .when({ type: 'publish', at: at(20) })
      .then([published2]);
    const state = replay(malleableSchemaDecider, [draft1, published1, draft2, published2]);
    expect(schemaVersionOf(state, 1)).toEqual({
      ...version('lead', 1, leadFieldsV1, 'historical'),
      publishedAt: at(10),
    });
    expect(schemaVersionOf(state, 2)?.status).toBe('active');
  });

  test('a draft can be updated and discarded; its number is never reused', () => {
    spec
      .given([draft1, published1, draft2])
      .when({ type: 'update_draft', fields: leadFieldsV1 })
      .then([{ type: 'schema.draft_updated', payload: { schemaId: id, version: 2, fields: leadFieldsV1 } }]);
    const discarded: MalleableSchemaEvent = {
      type: 'schema.draft_discarded',
      payload: { schemaId: id, version: 2 },
    };
    spec.given([draft1, published1, draft2]).when({ type: 'discard_draft' }).then([discarded]);
    spec
      .given([draft1, published1, draft2, discarded])
      .when({ type: 'create_draft', schemaId: id, entityType: 'lead', fields: fieldsV2 })
      .then([
        {
          type: 'schema.draft_created',
          payload: { schemaId: id, entityType: 'lead', version: 3, fields: fieldsV2 },
        },
      ]);
  });

  test('rejections: not found, second draft, no draft, other entity type, empty publish', () => {
    spec
      .given([])
      .when({ type: 'publish', at: at(1) })
      .thenRejects('SCHEMA_NOT_FOUND');
    spec
      .given([draft1])
      .when({ type: 'create_draft', schemaId: id, entityType: 'lead', fields: [] })
      .thenRejects('SCHEMA_DRAFT_EXISTS', { version: 1 });
    spec
      .given([draft1, published1])
      .when({ type: 'publish', at: at(1) })
      .thenRejects('SCHEMA_NO_DRAFT');
    spec
      .given([draft1, published1])
      .when({ type: 'update_draft', fields: [] })
      .thenRejects('SCHEMA_NO_DRAFT');
    spec.given([draft1, published1]).when({ type: 'discard_draft' }).thenRejects('SCHEMA_NO_DRAFT');
    spec
      .given([draft1])
      .when({ type: 'create_draft', schemaId: id, entityType: 'ticket', fields: [] })
      .thenRejects('SCHEMA_ENTITY_TYPE_MISMATCH', { entityType: 'lead' });
    spec
      .given([{ ...draft1, payload: { ...draft1.payload, fields: [] } }])
      .when({ type: 'publish', at: at(1) })
      .thenRejects('SCHEMA_EMPTY');
  });

  test('field rules: bad key, duplicate key, select without options, long label → SCHEMA_FIELDS_INVALID naming the field', () => {
    const bad = (fields: unknown[]): MalleableSchemaCommand =>
      ({ type: 'create_draft', schemaId: id, entityType: 'lead', fields }) as MalleableSchemaCommand;
    spec
      .given([])
      .when(bad([{ key: 'Bad-Key', label: 'x', type: 'text', required: false }]))
      .thenRejects('SCHEMA_FIELDS_INVALID', {
        issues: [{ field: 'fields.0.key', rule: 'must match [a-z0-9_]+' }],
      });
    // Records are plain objects: a field keyed like a prototype member would read or replace it.
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      spec
        .given([])
        .when(
          bad([
            { key: 'ok', label: 'x', type: 'text', required: false },
            { key, label: 'x', type: 'text', required: false },
          ]),
        )
        .thenRejects('SCHEMA_FIELDS_INVALID', {
          issues: [{ field: 'fields.1.key', rule: 'must not be __proto__, constructor or prototype' }],
        });
    }
    expect(
      fieldRuleIssues([
        { key: 'a', label: 'A', type: 'text', required: false },
        { key: 'a', label: 'B', type: 'select', required: false, options: [] },
        { key: 'c', label: 'x'.repeat(101), type: 'text', required: false },
        { key: 'd', label: 'D', type: 'money', required: false },
        { key: 'e', label: 'E', type: 'number', required: false, min: 5, max: 1 },
        { key: 'f', label: 'F', type: 'text', required: false, options: [{ id: 'x', label: 'X' }] },
        {
          key: 'g',
          label: 'G',
          type: 'select',
          required: false,
          options: [
            { id: 'x', label: 'X' },
            { id: 'x', label: 'Y' },
          ],
        },
      ]).map((i) => i.field),
    ).toEqual([
      'fields.1.key',
      'fields.1.options',
      'fields.2.label',
      'fields.3.currency',
      'fields.4.max',
      'fields.5.options',
      'fields.6.options',
    ]);
  });

  test('labels are stored trimmed (the event and the state hold the normalised field list)', () => {
    spec
      .given([])
      .when({
        type: 'create_draft',
        schemaId: id,
        entityType: 'lead',
        fields: [{ key: 'note', label: '  Note ', type: 'text', required: false }],
      })
      .then([
        {
          type: 'schema.draft_created',
          payload: {
            schemaId: id,
            entityType: 'lead',
            version: 1,
            fields: [{ key: 'note', label: 'Note', type: 'text', required: false }],
          },
        },
      ]);
  });

  test('a published field key keeps its type: SCHEMA_FIELD_TYPE_CHANGED', () => {
    spec
      .given([draft1, published1])
      .when({
        type: 'create_draft',
        schemaId: id,
        entityType: 'lead',
        fields: [{ key: 'budget', label: 'Budget', type: 'integer', required: true }],
      })
      .thenRejects('SCHEMA_FIELD_TYPE_CHANGED', { key: 'budget', publishedType: 'money' });
  });

  test('every schema rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...MALLEABLE_SCHEMA_REJECTION_CODES].sort());
  });
});

describe('record validation', () => {
  test('values are checked per type; unknown keys and missing required fields are named', () => {
    expect(
      malleableDataIssues(leadFieldsV1, {
        budget: { amountMinor: 1.5, currency: 'EUR' },
        stage: 'won',
        extra: 1,
      }),
    ).toEqual([
      { field: 'data.budget', rule: 'must be { amountMinor: safe integer, currency }' },
      { field: 'data.stage', rule: 'must be one of the option ids' },
      { field: 'data.extra', rule: 'is not a field of the schema version' },
    ]);
    expect(malleableDataIssues(leadFieldsV1, {})).toEqual([{ field: 'data.budget', rule: 'is required' }]);
    expect(malleableDataIssues(leadFieldsV1, {}, { requireAll: false })).toEqual([]);
    // Only a record's own values count: `{}` inherits a `constructor`, which is not a value.
    const inherited: MalleableField = { key: 'constructor', label: 'C', type: 'text', required: true };
    expect(malleableDataIssues([inherited], {})).toEqual([
      { field: 'data.constructor', rule: 'is required' },
    ]);
    expect(malleableDataIssues(leadFieldsV1, { budget: { amountMinor: 1, currency: 'USD' } })).toEqual([
      { field: 'data.budget', rule: 'currency must be EUR' },
    ]);
    expect(malleableDataIssues(leadFieldsV1, [])).toEqual([
      { field: 'data', rule: 'must be an object of field key → value' },
    ]);
  });

  test('dates, instants, e-mails, urls, integers and multiselects', () => {
    const fields: MalleableField[] = [
      { key: 'd', label: 'D', type: 'date', required: false },
      { key: 't', label: 'T', type: 'datetime', required: false },
      { key: 'e', label: 'E', type: 'email', required: false },
      { key: 'u', label: 'U', type: 'url', required: false },
      { key: 'i', label: 'I', type: 'integer', required: false, min: 0, max: 10 },
      { key: 'm', label: 'M', type: 'multiselect', required: false, options: [{ id: 'a', label: 'A' }] },
      { key: 'b', label: 'B', type: 'boolean', required: false },
    ];
    const bad = {
      d: '2026-02-30',
      t: '2026-01-01',
      e: 'nobody',
      u: 'ftp://x',
      i: 11,
      m: ['a', 'a'],
      b: 'yes',
    };
    expect(malleableDataIssues(fields, bad).map((i) => i.field)).toEqual(
      Object.keys(bad).map((k) => `data.${k}`),
    );
    const good = {
      d: '2028-02-29',
      t: '2026-01-01T00:00:00.000000Z',
      e: 'a@b.co',
      u: 'https://x.io/p?q',
      i: 10,
      m: ['a'],
      b: false,
    };
    expect(malleableDataIssues(fields, good)).toEqual([]);
  });

  prop.prop([arbFields.chain((fields) => fc.tuple(fc.constant(fields), arbData(fields)))])(
    'generated fields obey the field rules and generated data for them validates',
    ([fields, data]) => {
      expect(fieldRuleIssues(fields)).toEqual([]);
      expect(malleableDataIssues(fields, data)).toEqual([]);
    },
  );

  prop.prop([fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !/^[a-z0-9_]+$/.test(k))])(
    'any key outside [a-z0-9_]+ is refused',
    (key) => {
      expect(
        fieldRuleIssues([{ key, label: 'L', type: 'text', required: false }]).map((i) => i.field),
      ).toContain('fields.0.key');
    },
  );
});

describe('scenario 6: a new version drops a field or option; old records read back unchanged and valid', () => {
  prop.prop([
    arbFields.chain((fields) =>
      fc.tuple(fc.constant(fields), arbData(fields), fc.subarray(fields.map((f) => f.key))),
    ),
  ])(
    'v1 records stay valid against v1 and render with v1 after v2 drops fields and options',
    ([fields, data, kept]) => {
      const v2Fields = fields
        .filter((f) => kept.includes(f.key))
        .map((f) =>
          f.options !== undefined && f.options.length > 1 ? { ...f, options: f.options.slice(1) } : f,
        );
      const events: MalleableSchemaEvent[] = [
        { type: 'schema.draft_created', payload: { schemaId: id, entityType: 'lead', version: 1, fields } },
        {
          type: 'schema.published',
          payload: { schemaId: id, entityType: 'lead', version: 1, previousActive: null, publishedAt: at(1) },
        },
      ];
      const record = structuredClone(data);
      let state = replay(malleableSchemaDecider, events);
      const steps: MalleableSchemaCommand[] = [
        { type: 'create_draft', schemaId: id, entityType: 'lead', fields: v2Fields },
        { type: 'publish', at: at(2) },
      ];
      for (const c of steps) {
        const r = malleableSchemaDecider.decide(c, state, undefined);
        if (!r.ok) {
          // Only an empty v2 may be refused; v1 is untouched either way.
          expect(r.error.code).toBe('SCHEMA_EMPTY');
          break;
        }
        state = r.value.reduce(malleableSchemaDecider.evolve, state);
      }
      const v1 = schemaVersionOf(state, 1);
      expect(v1?.fields).toEqual(fields);
      expect(malleableDataIssues(v1?.fields ?? [], record)).toEqual([]);
      expect(record).toEqual(data);
      const active = activeSchemaVersion(state);
      const view = describeMalleableRecord(v1 ?? version('lead', 1, fields), active, record);
      for (const v of view) {
        expect(v.value).toEqual(record[v.key] ?? null);
        expect(v.deprecated).toBe(active?.version === 2 && !kept.includes(v.key));
      }
    },
  );

  const optionIds = (v: unknown): unknown[] =>
    v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

  prop.prop([
    arbFields.chain((fields) =>
      fc.tuple(
        fc.constant(fields),
        arbData(fields),
        arbData(fields),
        fc.subarray(fields.map((f) => f.key)),
        fc.boolean(),
      ),
    ),
  ])(
    'an edit of a v1 record is accepted exactly when it leaves what v2 dropped as it was',
    ([fields, before, edited, kept, mix]) => {
      const v1 = version('lead', 1, fields, 'historical');
      const v2Fields = fields
        .filter((f) => kept.includes(f.key))
        .map((f) => (f.options !== undefined ? { ...f, options: f.options.slice(1) } : f));
      const v2 = version(
        'lead',
        2,
        // A version needs a field: one whose key the generator never makes (its keys are ≤ 12 characters),
        // so it cannot bring a dropped field back.
        v2Fields.length > 0
          ? v2Fields
          : [{ key: 'only_in_version_two', label: 'X', type: 'text', required: false }],
      );
      const offered = new Map(v2Fields.map((f) => [f.key, new Set(f.options?.map((o) => o.id))]));
      // Field by field, the edit's value or the old one: a valid v1 record either way; `mix` makes
      // edits that touch only what is still live common.
      const after: Record<string, unknown> = {};
      for (const f of fields) {
        const live =
          kept.includes(f.key) &&
          optionIds(edited[f.key]).every(
            (o) => offered.get(f.key)?.has(o as string) === true || optionIds(before[f.key]).includes(o),
          );
        const from = mix && !live ? before : edited;
        if (from[f.key] !== undefined) after[f.key] = from[f.key];
      }
      const check = (data: Record<string, unknown>) =>
        checkMalleable({
          entityType: 'lead',
          version: 1,
          schema: v1,
          active: v2,
          before,
          data,
          mustBeActive: false,
        });
      const r = check(after);
      const droppedUnchanged = fields.every((f) => kept.includes(f.key) || same(before[f.key], after[f.key]));
      const noNewDroppedOption = fields.every(
        (f) =>
          !kept.includes(f.key) ||
          f.options === undefined ||
          same(before[f.key], after[f.key]) ||
          optionIds(after[f.key]).every(
            (o) => offered.get(f.key)?.has(o as string) === true || optionIds(before[f.key]).includes(o),
          ),
      );
      expect(r === null).toBe(droppedUnchanged && noNewDroppedOption);
      if (r !== null) expect(r.problem).toBe('deprecated');
      if (mix) expect(r).toBeNull();
      // The record is never refused for keeping its own values.
      expect(check({ ...before })).toBeNull();
    },
  );

  test('a multiselect edit may keep a dropped option it held, but not add one', () => {
    const tags: MalleableField = {
      key: 'tags',
      label: 'Tags',
      type: 'multiselect',
      required: false,
      options: [
        { id: 'a', label: 'A' },
        { id: 'b', label: 'B' },
        { id: 'c', label: 'C' },
      ],
    };
    const v1 = version('lead', 1, [tags], 'historical');
    const v2 = version('lead', 2, [{ ...tags, options: [{ id: 'c', label: 'C' }] }]);
    const edit = (before: string[], data: string[]) =>
      checkMalleable({
        entityType: 'lead',
        version: 1,
        schema: v1,
        active: v2,
        before: { tags: before },
        data: { tags: data },
        mustBeActive: false,
      });
    expect(edit(['a', 'b'], ['a', 'c'])).toBeNull();
    expect(edit(['a'], ['a', 'b'])).toEqual({
      problem: 'deprecated',
      issues: [{ field: 'tags', rule: 'deprecated option b: v2 dropped it' }],
    });
  });

  test('a removed option still resolves to its label in the record’s own version', () => {
    const v1 = version('lead', 1, leadFieldsV1, 'historical');
    const v2 = version('lead', 2, fieldsV2);
    const view = describeMalleableRecord(v1, v2, {
      budget: { amountMinor: 1, currency: EUR },
      stage: 'evaluation',
      note: 'hi',
    });
    expect(view.map((v) => [v.key, v.display, v.deprecated])).toEqual([
      ['budget', null, false],
      ['stage', 'Evaluation', false],
      ['note', null, true],
    ]);
  });
});

describe('model: random command sequences', () => {
  const arbCommand: fc.Arbitrary<MalleableSchemaCommand> = fc.oneof(
    arbFields.map((fields) => ({ type: 'create_draft' as const, schemaId: id, entityType: 'lead', fields })),
    arbFields.map((fields) => ({ type: 'update_draft' as const, fields })),
    fc.constant({ type: 'discard_draft' as const }),
    fc.integer({ min: 0, max: 1000 }).map((m) => ({ type: 'publish' as const, at: at(m) })),
  );
  prop.prop([fc.array(arbCommand, { maxLength: 25 })])(
    '≤ 1 draft and ≤ 1 active; published versions never change; numbers strictly increase',
    (commands) => {
      let state = malleableSchemaDecider.initialState();
      const frozen = new Map<number, string>();
      for (const c of commands) {
        const r = malleableSchemaDecider.decide(c, state, undefined);
        if (r.ok) state = r.value.reduce(malleableSchemaDecider.evolve, state);
        if (state.status === 'absent') continue;
        expect(state.versions.filter((v) => v.status === 'draft').length).toBeLessThanOrEqual(1);
        expect(state.versions.filter((v) => v.status === 'active').length).toBeLessThanOrEqual(1);
        const numbers = state.versions.map((v) => v.version);
        expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
        for (const v of state.versions) {
          if (v.status === 'draft') continue;
          const text = JSON.stringify(v.fields);
          expect(frozen.get(v.version) ?? text).toBe(text);
          frozen.set(v.version, text);
        }
        // Published versions are never deleted.
        for (const n of frozen.keys()) expect(numbers).toContain(n);
      }
    },
  );
});
