import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import { at, leadId, qualificationId, version } from '../lead-pipeline-support.test.js';
import type { MalleableField } from '../schema/fields.js';
import { qualificationCommandSchema, type StartQualification } from './commands.js';
import { qualificationDecider } from './decider.js';
import type { QualificationEvent } from './events.js';
import { QUALIFICATION_REJECTION_CODES } from './rejections.js';

const seen = new Set<string>();
const spec = DeciderSpecification.for({
  ...qualificationDecider,
  decide: (c, s, f) => {
    const r = qualificationDecider.decide(c, s, f);
    if (!r.ok) seen.add(r.error.code);
    return r;
  },
} satisfies typeof qualificationDecider);

const id = qualificationId(1);
const lead = leadId(1);
const fields: MalleableField[] = [
  { key: 'decision_maker', label: 'Decision maker known', type: 'boolean', required: true },
  {
    key: 'timeline',
    label: 'Timeline',
    type: 'select',
    required: false,
    options: [{ id: 'q1', label: 'Q1' }],
  },
];
const v1 = version('qualification', 1, fields);
const start: StartQualification = {
  type: 'start',
  qualificationId: id,
  leadId: lead,
  schemaVersion: 1,
  data: {},
};
const started: QualificationEvent = {
  type: 'qualification.started',
  payload: { qualificationId: id, leadId: lead, schemaVersion: 1, data: {} },
};
const dataChanged: QualificationEvent = {
  type: 'qualification.data_changed',
  payload: { qualificationId: id, data: { decision_maker: true } },
};
const completed: QualificationEvent = {
  type: 'qualification.completed',
  payload: {
    qualificationId: id,
    leadId: lead,
    outcome: 'qualified',
    opportunityClass: 'gold',
    reason: null,
  },
};
const qualify = { type: 'complete', outcome: 'qualified', opportunityClass: 'gold', reason: null } as const;

describe('qualification', () => {
  test('given nothing, when started with an instant, then startedAt; when completed with one, then completedAt (spec §2.7)', () => {
    const stampedStart: QualificationEvent = {
      ...started,
      payload: { ...started.payload, at: at(1) },
    } as QualificationEvent;
    spec
      .given([])
      .when({ ...start, at: at(1) }, { leadStatus: 'created', schema: v1 })
      .then([stampedStart]);
    const stampedComplete = {
      ...completed,
      payload: { ...completed.payload, at: at(30) },
    } as QualificationEvent;
    spec
      .given([stampedStart, dataChanged])
      .when({ ...qualify, at: at(30) }, { schema: v1 })
      .then([stampedComplete]);
    const fold = (events: readonly QualificationEvent[]) =>
      events.reduce(qualificationDecider.evolve, qualificationDecider.initialState());
    expect(fold([stampedStart])).toMatchObject({ status: 'started', startedAt: at(1), completedAt: null });
    expect(fold([stampedStart, dataChanged, stampedComplete])).toMatchObject({
      status: 'completed',
      startedAt: at(1),
      completedAt: at(30),
    });
  });

  test('given events written before the instants existed, then they still fold, with null instants', () => {
    const s = [started, dataChanged, completed].reduce(
      qualificationDecider.evolve,
      qualificationDecider.initialState(),
    );
    expect(s).toMatchObject({ status: 'completed', startedAt: null, completedAt: null });
  });

  test('starts on an open lead with incomplete data; data changes while started', () => {
    spec.given([]).when(start, { leadStatus: 'created', schema: v1 }).then([started]);
    spec
      .given([started])
      .when({ type: 'change_data', data: { decision_maker: true } }, { schema: v1 })
      .then([dataChanged]);
    spec
      .given([started, dataChanged])
      .when({ type: 'change_data', data: { decision_maker: true } })
      .then([]);
  });

  test('scenario 6: on v1 while v2 (without `timeline`) is active, `timeline` is read-only', () => {
    const facts = {
      schema: version('qualification', 1, fields, 'historical'),
      active: version('qualification', 2, [fields[0] as MalleableField]),
    };
    const planned: QualificationEvent = {
      type: 'qualification.data_changed',
      payload: { qualificationId: id, data: { timeline: 'q1' } },
    };
    spec
      .given([started, planned])
      .when({ type: 'change_data', data: { timeline: 'q1', decision_maker: true } }, facts)
      .then([
        {
          type: 'qualification.data_changed',
          payload: { qualificationId: id, data: { timeline: 'q1', decision_maker: true } },
        },
      ]);
    spec
      .given([started])
      .when({ type: 'change_data', data: { timeline: 'q1' } }, facts)
      .thenRejects('QUALIFICATION_FIELD_DEPRECATED', {
        issues: [{ field: 'timeline', rule: 'deprecated: v2 dropped it, so it is read-only' }],
      });
    spec
      .given([started, planned])
      .when({ type: 'change_data', data: { decision_maker: true } }, { schema: facts.schema })
      .thenRejects('QUALIFICATION_SCHEMA_MISMATCH');
  });

  test('start rejections: exists, lead not open, schema mismatch, invalid data', () => {
    spec
      .given([started])
      .when(start, { leadStatus: 'created', schema: v1 })
      .thenRejects('QUALIFICATION_ALREADY_EXISTS');
    for (const leadStatus of ['absent', 'qualified', 'disqualified', 'archived'] as const) {
      spec
        .given([])
        .when(start, { leadStatus, schema: v1 })
        .thenRejects('QUALIFICATION_LEAD_NOT_OPEN', { leadStatus });
    }
    spec.given([]).when(start, { leadStatus: 'created' }).thenRejects('QUALIFICATION_SCHEMA_MISMATCH');
    spec
      .given([])
      .when({ ...start, data: { timeline: 'q9' } }, { leadStatus: 'created', schema: v1 })
      .thenRejects('QUALIFICATION_DATA_INVALID', {
        issues: [{ field: 'data.timeline', rule: 'must be one of the option ids' }],
      });
  });

  test('completes explicitly: qualified sets a class; disqualified needs a reason', () => {
    spec.given([started, dataChanged]).when(qualify, { schema: v1 }).then([completed]);
    spec
      .given([started, dataChanged])
      .when(
        { type: 'complete', outcome: 'disqualified', opportunityClass: null, reason: ' no budget ' },
        { schema: v1 },
      )
      .then([
        {
          type: 'qualification.completed',
          payload: {
            qualificationId: id,
            leadId: lead,
            outcome: 'disqualified',
            opportunityClass: null,
            reason: 'no budget',
          },
        },
      ]);
  });

  test('completion rejections: class, reason, required fields', () => {
    spec
      .given([started, dataChanged])
      .when({ ...qualify, opportunityClass: null }, { schema: v1 })
      .thenRejects('QUALIFICATION_CLASS_REQUIRED');
    spec
      .given([started, dataChanged])
      .when(
        { type: 'complete', outcome: 'disqualified', opportunityClass: 'gold', reason: 'x' },
        { schema: v1 },
      )
      .thenRejects('QUALIFICATION_CLASS_REQUIRED');
    spec
      .given([started, dataChanged])
      .when(
        { type: 'complete', outcome: 'disqualified', opportunityClass: null, reason: ' ' },
        { schema: v1 },
      )
      .thenRejects('QUALIFICATION_REASON_REQUIRED');
    spec
      .given([started, dataChanged])
      .when({ ...qualify, reason: 'why' }, { schema: v1 })
      .thenRejects('QUALIFICATION_REASON_REQUIRED');
    spec
      .given([started])
      .when(qualify, { schema: v1 })
      .thenRejects('QUALIFICATION_DATA_INVALID', {
        issues: [{ field: 'data.decision_maker', rule: 'is required' }],
      });
  });

  test('completed is immutable; only completed is archived; nothing leaves archived', () => {
    const archived: QualificationEvent = { type: 'qualification.archived', payload: { qualificationId: id } };
    spec
      .given([started, completed])
      .when(qualify, { schema: v1 })
      .thenRejects('QUALIFICATION_COMPLETED', { outcome: 'qualified' });
    spec
      .given([started, completed])
      .when({ type: 'change_data', data: {} })
      .thenRejects('QUALIFICATION_COMPLETED');
    spec.given([started]).when({ type: 'archive' }).thenRejects('QUALIFICATION_NOT_COMPLETED');
    spec.given([started, completed]).when({ type: 'archive' }).then([archived]);
    spec
      .given([started, completed, archived])
      .when({ type: 'archive' })
      .thenRejects('QUALIFICATION_ARCHIVED');
    spec.given([]).when({ type: 'archive' }).thenRejects('QUALIFICATION_NOT_FOUND');
  });

  test('the command schema defaults optional fields', () => {
    expect(
      qualificationCommandSchema.parse({ type: 'complete', outcome: 'qualified', opportunityClass: 'gold' }),
    ).toEqual({ type: 'complete', outcome: 'qualified', opportunityClass: 'gold', reason: null });
    expect(qualificationCommandSchema.safeParse({ type: 'complete', outcome: 'maybe' }).success).toBe(false);
  });

  test('every qualification rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...QUALIFICATION_REJECTION_CODES].sort());
  });
});
