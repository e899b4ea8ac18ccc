import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import {
  at,
  companyId,
  EUR,
  employeeId,
  leadFieldsV1,
  leadId,
  qualificationId,
  version,
} from '../lead-pipeline-support.test.js';
import { type CreateLead, leadCommandSchema } from './commands.js';
import { type LeadFacts, type LeadState, leadDecider } from './decider.js';
import type { LeadEvent } from './events.js';
import { LEAD_REJECTION_CODES } from './rejections.js';

const seen = new Set<string>();
const spec = DeciderSpecification.for({
  ...leadDecider,
  decide: (c, s, f) => {
    const r = leadDecider.decide(c, s, f);
    if (!r.ok) seen.add(r.error.code);
    return r;
  },
} satisfies typeof leadDecider);

const id = leadId(1);
const q = qualificationId(1);
const v1 = version('lead', 1, leadFieldsV1);
const data = { budget: { amountMinor: 5_000_000, currency: EUR }, stage: 'discovery' };
const create: CreateLead = {
  type: 'create',
  leadId: id,
  source: ' web ',
  subject: ' ERP rollout ',
  description: null,
  customerId: null,
  ownerEmployeeId: employeeId(1),
  teamId: null,
  schemaVersion: 1,
  data,
};
const created: LeadEvent = {
  type: 'lead.created',
  payload: {
    leadId: id,
    source: 'web',
    customerId: null,
    ownerEmployeeId: employeeId(1),
    teamId: null,
    schemaVersion: 1,
    subject: 'ERP rollout',
    description: null,
    data,
  },
};
const qualified: LeadEvent = {
  type: 'lead.qualified',
  payload: { leadId: id, qualificationId: q, opportunityClass: 'gold' },
};
const disqualified: LeadEvent = {
  type: 'lead.disqualified',
  payload: { leadId: id, qualificationId: q, reason: 'no budget' },
};
const archived: LeadEvent = { type: 'lead.archived', payload: { leadId: id } };

/** The state after `command` on the state `given` built (the command must be accepted). */
function stateAfter(
  given: readonly LeadEvent[],
  command: Parameters<typeof leadDecider.decide>[0],
  facts?: LeadFacts,
): LeadState {
  const before = given.reduce(leadDecider.evolve, leadDecider.initialState());
  const r = leadDecider.decide(command, before, facts);
  if (!r.ok) throw new Error(`refused: ${r.error.code}`);
  return r.value.reduce(leadDecider.evolve, before);
}

describe('lead', () => {
  test('given nothing, when created on the active schema version, then lead.created with trimmed fields', () => {
    spec.given([]).when(create, { schema: v1 }).then([created]);
  });

  test('a lead without a schema carries no malleable data', () => {
    spec
      .given([])
      .when({ ...create, schemaVersion: null, data: {} })
      .then([{ ...created, payload: { ...created.payload, schemaVersion: null, data: {} } }] as LeadEvent[]);
    spec
      .given([])
      .when({ ...create, schemaVersion: null })
      .thenRejects('LEAD_SCHEMA_MISMATCH');
  });

  test('creation rejections: exists, blank source or subject, wrong or inactive schema, invalid data', () => {
    spec.given([created]).when(create, { schema: v1 }).thenRejects('LEAD_ALREADY_EXISTS');
    spec
      .given([])
      .when({ ...create, source: ' ' }, { schema: v1 })
      .thenRejects('LEAD_SOURCE_REQUIRED');
    spec
      .given([])
      .when({ ...create, subject: '' }, { schema: v1 })
      .thenRejects('LEAD_SUBJECT_REQUIRED');
    spec.given([]).when(create, {}).thenRejects('LEAD_SCHEMA_MISMATCH', { schemaVersion: 1 });
    spec
      .given([])
      .when(create, { schema: version('qualification', 1, leadFieldsV1) })
      .thenRejects('LEAD_SCHEMA_MISMATCH');
    spec
      .given([])
      .when(create, { schema: version('lead', 1, leadFieldsV1, 'historical') })
      .thenRejects('LEAD_SCHEMA_MISMATCH');
    spec
      .given([])
      .when({ ...create, data: { stage: 'nope' } }, { schema: v1 })
      .thenRejects('LEAD_DATA_INVALID', {
        issues: [
          { field: 'data.stage', rule: 'must be one of the option ids' },
          { field: 'data.budget', rule: 'is required' },
        ],
      });
  });

  test('updates carry only changed fields; data is checked against the lead’s own version even when historical', () => {
    const newData = { budget: { amountMinor: 6_000_000, currency: EUR } };
    spec
      .given([created])
      .when(
        { type: 'update', changes: { subject: 'ERP rollout', customerId: companyId(1), data: newData } },
        { schema: version('lead', 1, leadFieldsV1, 'historical'), active: version('lead', 2, leadFieldsV1) },
      )
      .then([
        {
          type: 'lead.updated',
          payload: { leadId: id, changes: { customerId: companyId(1), data: newData } },
        },
      ]);
    spec
      .given([created])
      .when({ type: 'update', changes: { source: 'web', data } })
      .then([]);
    spec
      .given([created])
      .when({ type: 'update', changes: { data: newData } })
      .thenRejects('LEAD_SCHEMA_MISMATCH');
    spec
      .given([created])
      .when({ type: 'update', changes: { data: {} } }, { schema: v1 })
      .thenRejects('LEAD_DATA_INVALID');
    spec
      .given([created])
      .when({ type: 'update', changes: { subject: ' ' } })
      .thenRejects('LEAD_SUBJECT_REQUIRED');
    spec
      .given([created])
      .when({ type: 'update', changes: { source: '' } })
      .thenRejects('LEAD_SOURCE_REQUIRED');
  });

  describe('scenario 6: on a lead bound to v1 while v2 is active, what v2 dropped is read-only', () => {
    const historical = version('lead', 1, leadFieldsV1, 'historical');
    // v2 drops `note` and the `discovery` option of `stage`.
    const v2 = version('lead', 2, [
      leadFieldsV1[0],
      { ...leadFieldsV1[1], options: [{ id: 'evaluation', label: 'Evaluation' }] },
    ] as typeof leadFieldsV1);
    const withNote = { ...data, note: 'call back in May' };
    const onV1: LeadEvent = { ...created, payload: { ...created.payload, data: withNote } } as LeadEvent;
    const budget = { amountMinor: 7_000_000, currency: EUR };

    test('given a v1 lead, when a kept field changes and the dropped one stays, then lead.updated', () => {
      const next = { ...withNote, budget };
      spec
        .given([onV1])
        .when({ type: 'update', changes: { data: next } }, { schema: historical, active: v2 })
        .then([{ type: 'lead.updated', payload: { leadId: id, changes: { data: next } } }]);
    });

    test('when the dropped field changes or is cleared, then LEAD_FIELD_DEPRECATED naming it', () => {
      for (const next of [{ ...withNote, note: 'other' }, data]) {
        spec
          .given([onV1])
          .when({ type: 'update', changes: { data: next } }, { schema: historical, active: v2 })
          .thenRejects('LEAD_FIELD_DEPRECATED', {
            schemaVersion: 1,
            issues: [{ field: 'note', rule: 'deprecated: v2 dropped it, so it is read-only' }],
          });
      }
    });

    test('a dropped option may be kept but not newly chosen', () => {
      const evaluating = { ...withNote, stage: 'evaluation' };
      const onEvaluation = { ...onV1, payload: { ...onV1.payload, data: evaluating } } as LeadEvent;
      spec
        .given([onEvaluation])
        .when({ type: 'update', changes: { data: withNote } }, { schema: historical, active: v2 })
        .thenRejects('LEAD_FIELD_DEPRECATED');
      spec
        .given([onV1])
        .when({ type: 'update', changes: { data: evaluating } }, { schema: historical, active: v2 })
        .then([{ type: 'lead.updated', payload: { leadId: id, changes: { data: evaluating } } }]);
    });

    test('without the active version, a data edit on a historical version is LEAD_SCHEMA_MISMATCH', () => {
      spec
        .given([onV1])
        .when({ type: 'update', changes: { data: { ...withNote, budget } } }, { schema: historical })
        .thenRejects('LEAD_SCHEMA_MISMATCH');
      spec
        .given([onV1])
        .when(
          { type: 'update', changes: { data: { ...withNote, budget } } },
          { schema: historical, active: { ...v2, entityType: 'qualification' } },
        )
        .thenRejects('LEAD_SCHEMA_MISMATCH');
    });
  });

  test('editable only until decided: LEAD_NOT_EDITABLE after qualified or disqualified', () => {
    spec
      .given([created, qualified])
      .when({ type: 'update', changes: { subject: 'X' } })
      .thenRejects('LEAD_NOT_EDITABLE', { status: 'qualified' });
    spec
      .given([created, disqualified])
      .when({ type: 'update', changes: { subject: 'X' } })
      .thenRejects('LEAD_NOT_EDITABLE');
  });

  test('created → qualified | disqualified; disqualification needs a reason; never disqualified → qualified', () => {
    spec
      .given([created])
      .when({ type: 'qualify', qualificationId: q, opportunityClass: 'gold' })
      .then([qualified]);
    spec
      .given([created])
      .when({ type: 'disqualify', qualificationId: q, reason: ' no budget ' })
      .then([disqualified]);
    spec
      .given([created])
      .when({ type: 'disqualify', qualificationId: q, reason: '  ' })
      .thenRejects('LEAD_DISQUALIFICATION_REASON_REQUIRED');
    spec
      .given([created, disqualified])
      .when({ type: 'qualify', qualificationId: q, opportunityClass: 'gold' })
      .thenRejects('LEAD_ALREADY_DECIDED', { status: 'disqualified' });
    spec
      .given([created, qualified])
      .when({ type: 'disqualify', qualificationId: q, reason: 'x' })
      .thenRejects('LEAD_ALREADY_DECIDED');
    spec.given([created, qualified]).when({ type: 'update', changes: {} }).thenRejects('LEAD_NOT_EDITABLE');
  });

  test('archive only a decided lead; nothing leaves archived; nothing before create', () => {
    spec.given([created, qualified]).when({ type: 'archive' }).then([archived]);
    spec.given([created, disqualified]).when({ type: 'archive' }).then([archived]);
    spec.given([created]).when({ type: 'archive' }).thenRejects('LEAD_NOT_DECIDED');
    spec.given([created, qualified, archived]).when({ type: 'archive' }).thenRejects('LEAD_ARCHIVED');
    spec
      .given([created, qualified, archived])
      .when({ type: 'qualify', qualificationId: q, opportunityClass: 'gold' })
      .thenRejects('LEAD_ARCHIVED');
    spec.given([]).when({ type: 'archive' }).thenRejects('LEAD_NOT_FOUND');
  });

  test('state keeps the class and reason of the decision', () => {
    spec
      .given([created])
      .when({ type: 'qualify', qualificationId: q, opportunityClass: 'silver' })
      .thenState({
        status: 'qualified',
        leadId: id,
        source: 'web',
        subject: 'ERP rollout',
        description: null,
        customerId: null,
        ownerEmployeeId: employeeId(1),
        teamId: null,
        schemaVersion: 1,
        data,
        qualificationId: q,
        opportunityClass: 'silver',
        disqualificationReason: null,
        estimatedValue: null,
        createdByEmployeeId: null,
        updatedAt: null,
        convertedAt: null,
        archivedAt: null,
      });
  });

  describe('estimated value, author and instants (spec §2.5 columns)', () => {
    const value = { amountMinor: 2_500_000, currency: EUR };
    const stamped = {
      ...created,
      payload: { ...created.payload, estimatedValue: value, createdByEmployeeId: employeeId(2), at: at(1) },
    } as LeadEvent;
    const opp = '019b76da-a800-7000-8000-000000730001';

    test('given nothing, when created with an estimated value, an author and an instant, then the event and state carry them', () => {
      const command = { ...create, estimatedValue: value, createdByEmployeeId: employeeId(2), at: at(1) };
      spec.given([]).when(command, { schema: v1 }).then([stamped]);
      expect(stateAfter([], command, { schema: v1 })).toMatchObject({
        estimatedValue: value,
        createdByEmployeeId: employeeId(2),
        updatedAt: at(1),
        convertedAt: null,
        archivedAt: null,
      });
    });

    test('given a lead, when the estimated value changes (or is cleared), then lead.updated carries it and updatedAt moves', () => {
      const bigger = { amountMinor: 3_000_000, currency: EUR };
      spec
        .given([stamped])
        .when({ type: 'update', changes: { estimatedValue: bigger }, at: at(5) })
        .then([
          { type: 'lead.updated', payload: { leadId: id, changes: { estimatedValue: bigger }, at: at(5) } },
        ]);
      expect(
        stateAfter([stamped], { type: 'update', changes: { estimatedValue: null }, at: at(5) }),
      ).toMatchObject({ estimatedValue: null, updatedAt: at(5) });
      spec
        .given([stamped])
        .when({ type: 'update', changes: { estimatedValue: value }, at: at(5) })
        .then([]);
    });

    test('given a negative estimated value, then the command is refused as invalid input', () => {
      expect(
        leadCommandSchema.safeParse({ ...create, estimatedValue: { amountMinor: -1, currency: EUR } })
          .success,
      ).toBe(false);
    });

    test('given a qualified lead, when converted by its first opportunity, then lead.converted and convertedAt', () => {
      spec
        .given([stamped, qualified])
        .when({ type: 'convert', opportunityId: opp, at: at(10) })
        .then([{ type: 'lead.converted', payload: { leadId: id, opportunityId: opp, at: at(10) } }]);
      expect(
        stateAfter([stamped, qualified], { type: 'convert', opportunityId: opp, at: at(10) }),
      ).toMatchObject({
        status: 'converted',
        convertedAt: at(10),
        updatedAt: at(10),
      });
    });

    test('given a lead that is not qualified (open, disqualified, converted), when converted, then LEAD_NOT_QUALIFIED; archived stays LEAD_ARCHIVED', () => {
      const converted: LeadEvent = { type: 'lead.converted', payload: { leadId: id, opportunityId: opp } };
      spec
        .given([created])
        .when({ type: 'convert', opportunityId: opp })
        .thenRejects('LEAD_NOT_QUALIFIED', { status: 'created' });
      spec
        .given([created, disqualified])
        .when({ type: 'convert', opportunityId: opp })
        .thenRejects('LEAD_NOT_QUALIFIED', { status: 'disqualified' });
      spec
        .given([created, qualified, converted])
        .when({ type: 'convert', opportunityId: opp })
        .thenRejects('LEAD_NOT_QUALIFIED', { status: 'converted' });
      spec
        .given([created, qualified, archived])
        .when({ type: 'convert', opportunityId: opp })
        .thenRejects('LEAD_ARCHIVED');
      spec
        .given([created, qualified, converted])
        .when({ type: 'update', changes: { subject: 'X' } })
        .thenRejects('LEAD_NOT_EDITABLE', { status: 'converted' });
      spec
        .given([created, qualified, converted])
        .when({ type: 'qualify', qualificationId: q, opportunityClass: 'gold' })
        .thenRejects('LEAD_ALREADY_DECIDED', { status: 'converted' });
    });

    test('given a converted lead, when archived with an instant, then archivedAt is set and convertedAt kept', () => {
      const converted: LeadEvent = {
        type: 'lead.converted',
        payload: { leadId: id, opportunityId: opp, at: at(10) },
      };
      spec
        .given([created, qualified, converted])
        .when({ type: 'archive', at: at(20) })
        .then([{ type: 'lead.archived', payload: { leadId: id, at: at(20) } }]);
      expect(stateAfter([created, qualified, converted], { type: 'archive', at: at(20) })).toMatchObject({
        status: 'archived',
        convertedAt: at(10),
        archivedAt: at(20),
        updatedAt: at(20),
      });
    });

    test('given events written before the instants existed, then they still fold, with null instants', () => {
      const state = [created, qualified, archived].reduce(leadDecider.evolve, leadDecider.initialState());
      expect(state).toMatchObject({
        status: 'archived',
        estimatedValue: null,
        createdByEmployeeId: null,
        updatedAt: null,
        convertedAt: null,
        archivedAt: null,
      });
    });

    test('given an open lead, when qualified or disqualified with an instant, then it is updatedAt', () => {
      expect(
        stateAfter([created], { type: 'qualify', qualificationId: q, opportunityClass: 'gold', at: at(3) }),
      ).toMatchObject({ status: 'qualified', updatedAt: at(3) });
      expect(
        stateAfter([created], { type: 'disqualify', qualificationId: q, reason: 'no budget', at: at(4) }),
      ).toMatchObject({ status: 'disqualified', updatedAt: at(4) });
    });
  });

  test('the command schema names bad fields and defaults optional ones', () => {
    expect(leadCommandSchema.parse({ type: 'create', leadId: id, source: 'web', subject: 'S' })).toEqual({
      type: 'create',
      leadId: id,
      source: 'web',
      subject: 'S',
      description: null,
      customerId: null,
      ownerEmployeeId: null,
      teamId: null,
      schemaVersion: null,
      data: {},
    });
    const r = leadCommandSchema.safeParse({
      type: 'create',
      leadId: 'x',
      source: '',
      subject: 'S',
      data: { 'Bad Key': 1 },
    });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['data.Bad Key', 'leadId', 'source']);
  });

  test('every lead rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...LEAD_REJECTION_CODES].sort());
  });
});
