import { describe, expect, test } from 'vitest';
import type { BasisPoints, Money } from '../../kernel/index.js';
import { DeciderSpecification } from '../../testing/index.js';
import {
  at,
  companyId,
  EUR,
  employeeId,
  leadId,
  opportunityId,
  qualificationId,
} from '../lead-pipeline-support.test.js';
import { type CreateOpportunity, opportunityCommandSchema } from './commands.js';
import { type OpportunityFacts, opportunityDecider } from './decider.js';
import type { OpportunityEvent } from './events.js';
import { OPPORTUNITY_REJECTION_CODES } from './rejections.js';

const seen = new Set<string>();
const spec = DeciderSpecification.for({
  ...opportunityDecider,
  decide: (c, s, f) => {
    const r = opportunityDecider.decide(c, s, f);
    if (!r.ok) seen.add(r.error.code);
    return r;
  },
} satisfies typeof opportunityDecider);

const id = opportunityId(1);
const eur = (amountMinor: number): Money => ({ amountMinor, currency: EUR });
const bp = (n: number): BasisPoints => n as BasisPoints;
const facts: OpportunityFacts = {
  lead: { status: 'qualified', opportunityClass: 'silver', qualificationId: qualificationId(1) },
  customerExists: true,
};
const create: CreateOpportunity = {
  type: 'create',
  opportunityId: id,
  leadId: leadId(1),
  customerId: companyId(1),
  probabilityBp: bp(4000),
  estimatedValue: eur(6_000_000),
  ownerEmployeeId: employeeId(1),
  teamId: null,
};
const created: OpportunityEvent = {
  type: 'opportunity.created',
  payload: {
    opportunityId: id,
    leadId: leadId(1),
    customerId: companyId(1),
    opportunityClass: 'silver',
    probabilityBp: bp(4000),
    estimatedValue: eur(6_000_000),
    ownerEmployeeId: employeeId(1),
    teamId: null,
    qualificationId: qualificationId(1),
  },
};
const toProposal: OpportunityEvent = {
  type: 'opportunity.stage_changed',
  payload: { opportunityId: id, from: 'open', to: 'proposal' },
};
const toNegotiation: OpportunityEvent = {
  type: 'opportunity.stage_changed',
  payload: { opportunityId: id, from: 'proposal', to: 'negotiation' },
};
const won: OpportunityEvent = {
  type: 'opportunity.won',
  payload: { opportunityId: id, opportunityClass: 'silver', quoteId: null },
};
const lost: OpportunityEvent = {
  type: 'opportunity.lost',
  payload: { opportunityId: id, opportunityClass: 'silver', reason: 'price' },
};

describe('opportunity', () => {
  test('given a qualified lead, when created with an expected close date, then the event and state carry it', () => {
    const withDate = {
      ...created,
      payload: { ...created.payload, expectedCloseDate: '2027-03-31' },
    } as OpportunityEvent;
    spec
      .given([])
      .when({ ...create, expectedCloseDate: '2027-03-31' }, facts)
      .then([withDate]);
    const s = [withDate].reduce(opportunityDecider.evolve, opportunityDecider.initialState());
    expect(s).toMatchObject({ expectedCloseDate: '2027-03-31', archivedAt: null });
    expect(opportunityCommandSchema.safeParse({ ...create, expectedCloseDate: '2027-13-01' }).success).toBe(
      false,
    );
  });

  test('given an open opportunity, when the close date changes, then opportunity.close_date_changed; unchanged is a no-op; final is OPPORTUNITY_CLOSED', () => {
    const moved: OpportunityEvent = {
      type: 'opportunity.close_date_changed',
      payload: { opportunityId: id, expectedCloseDate: '2027-06-30', previous: null },
    };
    spec.given([created]).when({ type: 'change_close_date', expectedCloseDate: '2027-06-30' }).then([moved]);
    spec
      .given([created, moved])
      .when({ type: 'change_close_date', expectedCloseDate: '2027-06-30' })
      .then([]);
    spec
      .given([created, moved])
      .when({ type: 'change_close_date', expectedCloseDate: null })
      .then([
        {
          type: 'opportunity.close_date_changed',
          payload: { opportunityId: id, expectedCloseDate: null, previous: '2027-06-30' },
        },
      ]);
    spec
      .given([created, won])
      .when({ type: 'change_close_date', expectedCloseDate: '2027-06-30' })
      .thenRejects('OPPORTUNITY_CLOSED');
  });

  test('given a won opportunity, when archived with an instant, then archivedAt; old archive events fold to null', () => {
    const archivedAt: OpportunityEvent = {
      type: 'opportunity.archived',
      payload: { opportunityId: id, at: at(9) },
    };
    spec
      .given([created, won])
      .when({ type: 'archive', at: at(9) })
      .then([archivedAt]);
    const fold = (events: readonly OpportunityEvent[]) =>
      events.reduce(opportunityDecider.evolve, opportunityDecider.initialState());
    expect(fold([created, won, archivedAt])).toMatchObject({ status: 'archived', archivedAt: at(9) });
    expect(
      fold([created, won, { type: 'opportunity.archived', payload: { opportunityId: id } }]),
    ).toMatchObject({ status: 'archived', archivedAt: null });
  });

  test('given a converted lead (its first opportunity exists), when another opportunity is created, then it is allowed', () => {
    spec
      .given([])
      .when(create, {
        ...facts,
        lead: { ...(facts.lead as NonNullable<OpportunityFacts['lead']>), status: 'converted' },
      })
      .then([created]);
  });

  test('created from a qualified lead for an existing customer; the class is inherited', () => {
    spec.given([]).when(create, facts).then([created]);
  });

  test('creation rejections: exists, lead not qualified, customer missing, bad probability or value', () => {
    spec.given([created]).when(create, facts).thenRejects('OPPORTUNITY_ALREADY_EXISTS');
    for (const status of ['absent', 'created', 'disqualified', 'archived'] as const) {
      spec
        .given([])
        .when(create, { ...facts, lead: { status, opportunityClass: null, qualificationId: null } })
        .thenRejects('OPPORTUNITY_LEAD_NOT_QUALIFIED', { leadStatus: status });
    }
    spec.given([]).when(create, { customerExists: true }).thenRejects('OPPORTUNITY_LEAD_NOT_QUALIFIED');
    spec
      .given([])
      .when(create, { ...facts, customerExists: false })
      .thenRejects('OPPORTUNITY_CUSTOMER_NOT_FOUND');
    spec
      .given([])
      .when({ ...create, probabilityBp: bp(10_001) }, facts)
      .thenRejects('OPPORTUNITY_PROBABILITY_INVALID');
    spec
      .given([])
      .when({ ...create, estimatedValue: eur(-1) }, facts)
      .thenRejects('OPPORTUNITY_VALUE_INVALID');
  });

  test('class, probability and value changes record the previous value; equal values are no change', () => {
    spec
      .given([created])
      .when({ type: 'classify', opportunityClass: 'gold' })
      .then([
        {
          type: 'opportunity.classified',
          payload: { opportunityId: id, opportunityClass: 'gold', previous: 'silver' },
        },
      ]);
    spec.given([created]).when({ type: 'classify', opportunityClass: 'silver' }).then([]);
    spec
      .given([created])
      .when({ type: 'change_probability', probabilityBp: bp(6500) })
      .then([
        {
          type: 'opportunity.probability_changed',
          payload: { opportunityId: id, probabilityBp: bp(6500), previous: bp(4000) },
        },
      ]);
    spec
      .given([created])
      .when({ type: 'change_probability', probabilityBp: bp(4000) })
      .then([]);
    spec
      .given([created])
      .when({ type: 'change_probability', probabilityBp: bp(-1) })
      .thenRejects('OPPORTUNITY_PROBABILITY_INVALID');
    spec
      .given([created])
      .when({ type: 'change_value', estimatedValue: eur(5_500_000) })
      .then([
        {
          type: 'opportunity.value_changed',
          payload: { opportunityId: id, estimatedValue: eur(5_500_000), previous: eur(6_000_000) },
        },
      ]);
    spec
      .given([created])
      .when({ type: 'change_value', estimatedValue: eur(6_000_000) })
      .then([]);
    spec
      .given([created])
      .when({ type: 'change_value', estimatedValue: eur(1.5) })
      .thenRejects('OPPORTUNITY_VALUE_INVALID');
    spec
      .given([created])
      .when({ type: 'change_value', estimatedValue: { amountMinor: 1, currency: 'USD' } as Money })
      .thenRejects('OPPORTUNITY_CURRENCY_MISMATCH', { currency: 'EUR' });
  });

  test('stages move forward one at a time: open → proposal → negotiation', () => {
    spec.given([created]).when({ type: 'advance', to: 'proposal' }).then([toProposal]);
    spec.given([created, toProposal]).when({ type: 'advance', to: 'negotiation' }).then([toNegotiation]);
    spec
      .given([created])
      .when({ type: 'advance', to: 'negotiation' })
      .thenRejects('OPPORTUNITY_STAGE_TRANSITION', { from: 'open', to: 'negotiation' });
    spec
      .given([created, toProposal])
      .when({ type: 'advance', to: 'proposal' })
      .thenRejects('OPPORTUNITY_STAGE_TRANSITION');
    spec
      .given([created, toProposal, toNegotiation])
      .when({ type: 'advance', to: 'proposal' })
      .thenRejects('OPPORTUNITY_STAGE_TRANSITION');
  });

  test('won or lost from any open stage, then final: no lost → won, no changes', () => {
    spec
      .given([created, toProposal, toNegotiation])
      .when({ type: 'win', quoteId: 'q-1' })
      .then([{ ...won, payload: { ...won.payload, quoteId: 'q-1' } }] as OpportunityEvent[]);
    spec.given([created]).when({ type: 'lose', reason: ' price ' }).then([lost]);
    spec.given([created]).when({ type: 'lose', reason: '' }).thenRejects('OPPORTUNITY_LOSS_REASON_REQUIRED');
    spec
      .given([created, lost])
      .when({ type: 'win', quoteId: null })
      .thenRejects('OPPORTUNITY_CLOSED', { stage: 'lost' });
    spec
      .given([created, won])
      .when({ type: 'lose', reason: 'x' })
      .thenRejects('OPPORTUNITY_CLOSED', { stage: 'won' });
    spec
      .given([created, won])
      .when({ type: 'change_probability', probabilityBp: bp(1) })
      .thenRejects('OPPORTUNITY_CLOSED');
  });

  test('archive only when closed; nothing leaves archived; nothing before create', () => {
    const archived: OpportunityEvent = { type: 'opportunity.archived', payload: { opportunityId: id } };
    spec.given([created]).when({ type: 'archive' }).thenRejects('OPPORTUNITY_NOT_CLOSED', { stage: 'open' });
    spec.given([created, won]).when({ type: 'archive' }).then([archived]);
    spec
      .given([created, lost, archived])
      .when({ type: 'win', quoteId: null })
      .thenRejects('OPPORTUNITY_ARCHIVED');
    spec.given([]).when({ type: 'win', quoteId: null }).thenRejects('OPPORTUNITY_NOT_FOUND');
  });

  test('the command schema refuses fractional money and out-of-range probabilities', () => {
    const r = opportunityCommandSchema.safeParse({
      ...create,
      probabilityBp: 10_001,
      estimatedValue: { amountMinor: 0.5, currency: 'EUR' },
    });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'estimatedValue.amountMinor',
      'probabilityBp',
    ]);
  });

  test('every opportunity rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...OPPORTUNITY_REJECTION_CODES].sort());
  });
});
