import { basisPoints, err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { assessLoad, DEFAULT_OVER_ALLOCATION_POLICY } from '../capacity/load.js';
import {
  type PlanAllocation,
  type ResourceAllocationCommand,
  type ResourceAllocationFacts,
  resourceAllocationCommandSchema,
} from './commands.js';
import type { ResourceAllocationEvent } from './events.js';
import type { ResourceAllocationRejection } from './rejections.js';
import { type ResourceAllocationState, weightedMinutes } from './state.js';

type Decision = Result<readonly ResourceAllocationEvent[], ResourceAllocationRejection>;

const SOURCES_OF: Readonly<Record<PlanAllocation['layer'], readonly string[]>> = {
  forecast: ['quote'],
  committed: ['sale'],
  scheduled: ['task', 'ticket'],
};

function decidePlan(command: PlanAllocation, facts: ResourceAllocationFacts): Decision {
  if (command.plannedMinutes < 1 || command.periodEnd < command.periodStart)
    return err(
      reject('ALLOCATION_INVALID_PLAN', 'plan at least one minute over a period that ends after it starts', {
        plannedMinutes: command.plannedMinutes,
        periodStart: command.periodStart,
        periodEnd: command.periodEnd,
      }),
    );
  const allowed = SOURCES_OF[command.layer];
  if (
    !allowed.includes(command.source.type) ||
    (command.layer === 'scheduled' && command.subject.kind !== 'employee')
  )
    return err(
      reject('ALLOCATION_SOURCE_MISMATCH', 'the layer does not fit the source or subject', {
        layer: command.layer,
        sourceType: command.source.type,
        subjectKind: command.subject.kind,
        allowedSources: allowed,
      }),
    );
  let probabilityBp = 10_000;
  if (command.layer === 'forecast') {
    const quote = facts.sourceQuote;
    if (quote === undefined || quote.quoteId !== command.source.id)
      return err(
        reject('ALLOCATION_FACTS_MISSING', 'the source quote was not loaded', {
          fact: 'sourceQuote',
          quoteId: command.source.id,
        }),
      );
    if (!quote.approved)
      return err(
        reject('ALLOCATION_QUOTE_NOT_APPROVED', 'forecasts come from approved quotes only', {
          quoteId: quote.quoteId,
        }),
      );
    probabilityBp = quote.probabilityBp;
  }
  const planned: ResourceAllocationEvent = {
    type: 'resource_allocation.planned',
    payload: {
      allocationId: command.allocationId,
      layer: command.layer,
      subject: command.subject,
      source: command.source,
      periodStart: command.periodStart,
      periodEnd: command.periodEnd,
      plannedMinutes: command.plannedMinutes,
      probabilityBp: basisPoints(probabilityBp),
      plannedAt: command.at,
    },
  };
  if (command.layer !== 'scheduled' || command.subject.kind !== 'employee') return ok([planned]);

  const load = facts.load;
  if (load === undefined)
    return err(reject('ALLOCATION_FACTS_MISSING', 'the employee’s load was not loaded', { fact: 'load' }));
  const policy = facts.policy ?? DEFAULT_OVER_ALLOCATION_POLICY;
  const scheduled = load.scheduledMinutes + weightedMinutes(command.plannedMinutes, probabilityBp);
  const a = assessLoad(scheduled, load.capacityMinutes, policy);
  if (a.blocked)
    return err(
      reject('ALLOCATION_OVER_CAPACITY', 'the policy blocks scheduling beyond its limit', {
        scheduledMinutes: a.scheduledMinutes,
        capacityMinutes: a.capacityMinutes,
        utilisationBp: a.utilisationBp,
        blockAtBp: policy.blockAtBp,
      }),
    );
  if (a.level === 'ok') return ok([planned]);
  return ok([
    planned,
    {
      type: 'resource_allocation.over_allocated',
      payload: {
        allocationId: command.allocationId,
        employeeId: command.subject.employeeId,
        periodStart: command.periodStart,
        periodEnd: command.periodEnd,
        level: a.level,
        scheduledMinutes: a.scheduledMinutes,
        capacityMinutes: a.capacityMinutes,
        utilisationBp: a.utilisationBp,
        thresholdBp: a.level === 'warning' ? policy.warnAtBp : policy.escalateAtBp,
        at: command.at,
      },
    },
  ]);
}

/**
 * Decides a resource-allocation command. Rules: a forecast comes only from an approved quote and is
 * weighted by the opportunity's probability; a commitment comes from a sale; a schedule puts an
 * employee on a task or ticket and, when it takes them to 85 % (warning) or 100 % (escalation) of
 * their capacity, also emits `resource_allocation.over_allocated` — a warning, not a block, unless
 * the policy sets `blockAtBp`; superseded and released are terminal.
 *
 * @example
 * ```ts
 * const r = decideResourceAllocation(plan, initialResourceAllocationState(), { load, policy });
 * ```
 */
export function decideResourceAllocation(
  command: ResourceAllocationCommand,
  state: ResourceAllocationState,
  facts: ResourceAllocationFacts | undefined,
): Decision {
  return checkedDecision(resourceAllocationCommandSchema, command, 'resource allocation command', () => {
    if (command.type === 'plan') {
      if (state.status !== 'absent')
        return err(
          reject('ALLOCATION_ALREADY_EXISTS', 'the allocation exists already', { status: state.status }),
        );
      return decidePlan(command, facts ?? {});
    }
    if (state.status === 'absent') return err(reject('ALLOCATION_NOT_FOUND', 'no such allocation'));
    if (state.status !== 'active')
      return err(
        reject('ALLOCATION_NOT_ACTIVE', 'superseded and released allocations are final', {
          status: state.status,
        }),
      );
    if (command.type === 'supersede') {
      if (command.supersededBy === state.allocationId)
        return err(
          reject('ALLOCATION_INVALID_PLAN', 'an allocation cannot supersede itself', {
            supersededBy: command.supersededBy,
          }),
        );
      return ok([
        {
          type: 'resource_allocation.superseded',
          payload: { allocationId: state.allocationId, supersededBy: command.supersededBy, at: command.at },
        },
      ]);
    }
    return ok([
      {
        type: 'resource_allocation.released',
        payload: { allocationId: state.allocationId, reason: command.reason, at: command.at },
      },
    ]);
  });
}
