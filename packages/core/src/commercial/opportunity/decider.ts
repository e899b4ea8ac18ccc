import type { CompanyId } from '../../crm/ids.js';
import type { EmployeeId, TeamId } from '../../identity/ids.js';
import {
  type BasisPoints,
  type Decider,
  err,
  type Instant,
  type Money,
  ok,
  type Result,
  reject,
} from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import type { LeadStatus } from '../lead/decider.js';
import type { LeadId, OpportunityClass, QualificationId } from '../lead/events.js';
import { type OpportunityCommand, opportunityCommandSchema } from './commands.js';
import type { OpportunityEvent, OpportunityId, OpportunityStage } from './events.js';
import type { OpportunityRejection } from './rejections.js';

/** An existing opportunity; `status` is `archived` only after won/lost. */
export interface OpportunityDetails {
  readonly status: 'active' | 'archived';
  readonly opportunityId: OpportunityId;
  readonly leadId: LeadId;
  readonly qualificationId: QualificationId | null;
  readonly customerId: CompanyId;
  readonly opportunityClass: OpportunityClass;
  readonly probabilityBp: BasisPoints;
  readonly estimatedValue: Money;
  readonly ownerEmployeeId: EmployeeId | null;
  readonly teamId: TeamId | null;
  readonly stage: OpportunityStage;
  readonly quoteId: string | null;
  readonly lossReason: string | null;
  /** When the deal is expected to close, `YYYY-MM-DD` (null when not given). */
  readonly expectedCloseDate: string | null;
  /** When it was archived (null otherwise, or when its archive event recorded no instant). */
  readonly archivedAt: Instant | null;
}

/** An opportunity's state. */
export type OpportunityState = { readonly status: 'absent' } | OpportunityDetails;

/** Facts for `create`: the lead as loaded, and whether the customer is an active CRM company. */
export interface OpportunityFacts {
  readonly lead?: {
    readonly status: LeadStatus | 'absent';
    readonly opportunityClass: OpportunityClass | null;
    readonly qualificationId: QualificationId | null;
  };
  readonly customerExists?: boolean;
}

/** The state before any event. @example `initialOpportunityState()` → `{ status: 'absent' }` */
export function initialOpportunityState(): OpportunityState {
  return { status: 'absent' };
}

/** Whether a stage is final (won or lost). @example `isFinalStage('lost')` → `true` */
export function isFinalStage(stage: OpportunityStage): boolean {
  return stage === 'won' || stage === 'lost';
}

/** The legal moves between open stages. */
const NEXT: Readonly<Record<OpportunityStage, OpportunityStage | null>> = {
  open: 'proposal',
  proposal: 'negotiation',
  negotiation: null,
  won: null,
  lost: null,
};

/**
 * Folds one event into an opportunity's state.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveOpportunity, initialOpportunityState());
 * ```
 */
export function evolveOpportunity(state: OpportunityState, event: OpportunityEvent): OpportunityState {
  if (event.type === 'opportunity.created') {
    if (state.status !== 'absent') return state;
    const p = event.payload;
    return {
      status: 'active',
      opportunityId: p.opportunityId,
      leadId: p.leadId,
      qualificationId: p.qualificationId ?? null,
      customerId: p.customerId,
      opportunityClass: p.opportunityClass,
      probabilityBp: p.probabilityBp,
      estimatedValue: p.estimatedValue,
      ownerEmployeeId: p.ownerEmployeeId,
      teamId: p.teamId,
      stage: 'open',
      quoteId: null,
      lossReason: null,
      expectedCloseDate: p.expectedCloseDate ?? null,
      archivedAt: null,
    };
  }
  if (state.status !== 'active') return state;
  switch (event.type) {
    case 'opportunity.classified':
      return { ...state, opportunityClass: event.payload.opportunityClass };
    case 'opportunity.probability_changed':
      return { ...state, probabilityBp: event.payload.probabilityBp };
    case 'opportunity.value_changed':
      return { ...state, estimatedValue: event.payload.estimatedValue };
    case 'opportunity.stage_changed':
      return { ...state, stage: event.payload.to };
    case 'opportunity.won':
      return { ...state, stage: 'won', quoteId: event.payload.quoteId };
    case 'opportunity.lost':
      return { ...state, stage: 'lost', lossReason: event.payload.reason };
    case 'opportunity.close_date_changed':
      return { ...state, expectedCloseDate: event.payload.expectedCloseDate };
    case 'opportunity.archived':
      return isFinalStage(state.stage)
        ? { ...state, status: 'archived', archivedAt: event.payload.at ?? null }
        : state;
  }
}

type Decision = Result<readonly OpportunityEvent[], OpportunityRejection>;

function probabilityOk(bp: number): boolean {
  return Number.isInteger(bp) && bp >= 0 && bp <= 10_000;
}
function valueOk(m: Money): boolean {
  return Number.isSafeInteger(m.amountMinor) && m.amountMinor >= 0;
}

/**
 * Decides an opportunity command. Rules (spec §2.8 and the event contract): created only from a
 * qualified (or already converted) lead (class inherited) for an existing customer; the expected close
 * date is optional and moves with `change_close_date` while open; probability 0–10000 bp; value non-negative
 * money in one currency; stages move forward one at a time (open → proposal → negotiation); won or
 * lost from any open stage, then final (no lost → won); losing needs a reason; only a closed
 * opportunity is archived; nothing leaves archived.
 *
 * @example
 * ```ts
 * decideOpportunity({ type: 'advance', to: 'proposal' }, state);
 * ```
 */
export function decideOpportunity(
  command: OpportunityCommand,
  state: OpportunityState,
  facts?: OpportunityFacts,
): Decision {
  return checkedDecision(opportunityCommandSchema, command, 'opportunity command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') {
        return err(reject('OPPORTUNITY_ALREADY_EXISTS', 'the opportunity exists already'));
      }
      const lead = facts?.lead;
      // A converted lead stays qualified: it may get further opportunities (only the first converts it).
      const qualified = lead?.status === 'qualified' || lead?.status === 'converted';
      if (lead === undefined || !qualified || lead.opportunityClass === null) {
        return err(
          reject('OPPORTUNITY_LEAD_NOT_QUALIFIED', 'an opportunity needs a qualified lead', {
            leadId: command.leadId,
            leadStatus: lead?.status ?? 'absent',
          }),
        );
      }
      if (facts?.customerExists !== true) {
        return err(
          reject('OPPORTUNITY_CUSTOMER_NOT_FOUND', 'the customer must be an active CRM company', {
            customerId: command.customerId,
          }),
        );
      }
      if (!probabilityOk(command.probabilityBp)) {
        return err(
          reject('OPPORTUNITY_PROBABILITY_INVALID', 'probability is 0–10000 bp', {
            probabilityBp: command.probabilityBp,
          }),
        );
      }
      if (!valueOk(command.estimatedValue)) {
        return err(reject('OPPORTUNITY_VALUE_INVALID', 'the estimated value must be ≥ 0 minor units'));
      }
      return ok([
        {
          type: 'opportunity.created',
          payload: {
            opportunityId: command.opportunityId,
            leadId: command.leadId,
            customerId: command.customerId,
            opportunityClass: lead.opportunityClass,
            probabilityBp: command.probabilityBp,
            estimatedValue: command.estimatedValue,
            ownerEmployeeId: command.ownerEmployeeId,
            teamId: command.teamId,
            ...(lead.qualificationId === null ? {} : { qualificationId: lead.qualificationId }),
            ...(command.expectedCloseDate === undefined || command.expectedCloseDate === null
              ? {}
              : { expectedCloseDate: command.expectedCloseDate }),
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('OPPORTUNITY_NOT_FOUND', 'no such opportunity'));
    if (state.status === 'archived') {
      return err(reject('OPPORTUNITY_ARCHIVED', 'an archived opportunity cannot change'));
    }
    const id = state.opportunityId;
    if (command.type === 'archive') {
      if (!isFinalStage(state.stage)) {
        return err(
          reject('OPPORTUNITY_NOT_CLOSED', 'win or lose the opportunity before archiving it', {
            stage: state.stage,
          }),
        );
      }
      return ok([
        {
          type: 'opportunity.archived',
          payload: { opportunityId: id, ...(command.at === undefined ? {} : { at: command.at }) },
        },
      ]);
    }
    if (isFinalStage(state.stage)) {
      return err(reject('OPPORTUNITY_CLOSED', 'a won or lost opportunity is final', { stage: state.stage }));
    }
    switch (command.type) {
      case 'change_close_date':
        if (command.expectedCloseDate === state.expectedCloseDate) return ok([]);
        return ok([
          {
            type: 'opportunity.close_date_changed',
            payload: {
              opportunityId: id,
              expectedCloseDate: command.expectedCloseDate,
              previous: state.expectedCloseDate,
            },
          },
        ]);
      case 'classify':
        if (command.opportunityClass === state.opportunityClass) return ok([]);
        return ok([
          {
            type: 'opportunity.classified',
            payload: {
              opportunityId: id,
              opportunityClass: command.opportunityClass,
              previous: state.opportunityClass,
            },
          },
        ]);
      case 'change_probability':
        if (!probabilityOk(command.probabilityBp)) {
          return err(
            reject('OPPORTUNITY_PROBABILITY_INVALID', 'probability is 0–10000 bp', {
              probabilityBp: command.probabilityBp,
            }),
          );
        }
        if (command.probabilityBp === state.probabilityBp) return ok([]);
        return ok([
          {
            type: 'opportunity.probability_changed',
            payload: {
              opportunityId: id,
              probabilityBp: command.probabilityBp,
              previous: state.probabilityBp,
            },
          },
        ]);
      case 'change_value':
        if (!valueOk(command.estimatedValue)) {
          return err(reject('OPPORTUNITY_VALUE_INVALID', 'the estimated value must be ≥ 0 minor units'));
        }
        if (command.estimatedValue.currency !== state.estimatedValue.currency) {
          return err(
            reject('OPPORTUNITY_CURRENCY_MISMATCH', 'the estimated value keeps its currency', {
              currency: state.estimatedValue.currency,
            }),
          );
        }
        if (command.estimatedValue.amountMinor === state.estimatedValue.amountMinor) return ok([]);
        return ok([
          {
            type: 'opportunity.value_changed',
            payload: {
              opportunityId: id,
              estimatedValue: command.estimatedValue,
              previous: state.estimatedValue,
            },
          },
        ]);
      case 'advance':
        if (NEXT[state.stage] !== command.to) {
          return err(
            reject('OPPORTUNITY_STAGE_TRANSITION', `cannot move from ${state.stage} to ${command.to}`, {
              from: state.stage,
              to: command.to,
            }),
          );
        }
        return ok([
          {
            type: 'opportunity.stage_changed',
            payload: { opportunityId: id, from: state.stage, to: command.to },
          },
        ]);
      case 'win':
        return ok([
          {
            type: 'opportunity.won',
            payload: {
              opportunityId: id,
              opportunityClass: state.opportunityClass,
              quoteId: command.quoteId,
            },
          },
        ]);
      case 'lose': {
        const reason = command.reason.trim();
        if (reason === '') return err(reject('OPPORTUNITY_LOSS_REASON_REQUIRED', 'losing needs a reason'));
        return ok([
          {
            type: 'opportunity.lost',
            payload: { opportunityId: id, opportunityClass: state.opportunityClass, reason },
          },
        ]);
      }
    }
  });
}

/**
 * The opportunity aggregate as a decider (stream type `opportunity`); `create` needs facts (the lead and
 * whether the customer exists), loaded by the MySQL `createOpportunity` workflow.
 *
 * @example
 * ```ts
 * DeciderSpecification.for(opportunityDecider).given([created]).when({ type: 'win', quoteId: null }).then([won]);
 * ```
 */
export const opportunityDecider: Decider<
  OpportunityState,
  OpportunityCommand,
  OpportunityEvent,
  OpportunityFacts | undefined,
  OpportunityRejection
> = {
  initialState: initialOpportunityState,
  decide: decideOpportunity,
  evolve: evolveOpportunity,
};
