import { addMoney, err, ok, type Result, reject, subtractMoney } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { varianceUnit } from '../sold-bounds.js';
import {
  type ResolveVariance,
  type VarianceCommand,
  type VarianceFacts,
  varianceCommandSchema,
} from './commands.js';
import type { VarianceEvent } from './events.js';
import type { VarianceRejection } from './rejections.js';
import type { VarianceState } from './state.js';

type Decision = Result<readonly VarianceEvent[], VarianceRejection>;
type Existing = Exclude<VarianceState, { status: 'absent' }>;

/** The numbers every refusal about an existing variance carries. */
function numbers(s: Existing) {
  return {
    varianceId: s.varianceId,
    varianceType: s.varianceType,
    milestoneId: s.milestoneId,
    sold: s.sold,
    observed: s.observed,
    delta: s.delta,
    baselineVersion: s.baselineVersion,
    status: s.status,
  };
}

function resolve(command: ResolveVariance, s: Existing, facts: VarianceFacts | undefined): Decision {
  const cause = command.cause?.trim() ?? s.cause;
  if (cause === null || cause === '') {
    return err(reject('VARIANCE_CAUSE_REQUIRED', 'a variance needs a recorded cause', numbers(s)));
  }
  const incomplete = (missing: string, rule: string) =>
    err(
      reject('VARIANCE_RESOLUTION_INCOMPLETE', `a ${command.resolution} resolution ${rule}`, {
        ...numbers(s),
        resolution: command.resolution,
        missing,
      }),
    );
  const r = command.resolution;
  if (r === 'change_order' && command.changeOrderQuoteId === undefined)
    return incomplete('changeOrderQuoteId', 'names the new quote that references the original');
  if ((r === 'change_order' || r === 'rebaseline') && command.newBaselineVersion === undefined)
    return incomplete('newBaselineVersion', 'names the baseline version it created');
  if (command.newBaselineVersion !== undefined && command.newBaselineVersion <= s.baselineVersion)
    return incomplete('newBaselineVersion', `needs a version newer than ${s.baselineVersion}`);
  const events: VarianceEvent[] = [];
  if (r === 'variance_order') {
    if (command.amount === undefined) return incomplete('amount', 'names the internal cost it absorbs');
    const m = facts?.varianceOrder;
    if (m === undefined)
      return err(
        reject('VARIANCE_FACTS_MISSING', 'the baseline margin was not loaded', {
          fact: 'varianceOrder',
        }),
      );
    const currencies = [m.price.currency, m.marginAtSale.currency, m.earlierOrders.currency];
    if (currencies.some((c) => c !== command.amount?.currency)) {
      return err(
        reject('VARIANCE_CURRENCY_MISMATCH', 'the order must be in the currency of the sale', {
          ...numbers(s),
          amount: command.amount,
          price: m.price,
        }),
      );
    }
    const eroded = addMoney(m.earlierOrders, command.amount);
    const marginAfter = subtractMoney(m.marginAtSale, eroded);
    const erosionBp =
      m.price.amountMinor === 0
        ? null
        : Number((BigInt(eroded.amountMinor) * 10_000n) / BigInt(m.price.amountMinor));
    events.push({
      type: 'project.variance_order_created',
      payload: {
        varianceId: s.varianceId,
        projectId: s.projectId,
        amount: command.amount,
        reason: cause,
        price: m.price,
        marginAtSale: m.marginAtSale,
        marginAfter,
        erosionBp,
        at: command.at,
      },
    });
  }
  events.push({
    type: 'project.variance_resolved',
    payload: {
      varianceId: s.varianceId,
      projectId: s.projectId,
      resolution: r,
      cause,
      changeOrderQuoteId: command.changeOrderQuoteId ?? null,
      newBaselineVersion: command.newBaselineVersion ?? null,
      resolvedBy: command.by,
      resolvedAt: command.at,
    },
  });
  return ok(events);
}

/**
 * Decides a variance command. Rules: a variance records a real breach (observed > sold), at most one
 * open variance per breach; acknowledging records the cause; resolving needs a cause and an explicit
 * resolution (change order, variance order, write-off, re-baseline) whose fields are written once; a
 * variance order leaves the price unchanged and states the eroded margin; nothing deletes a variance.
 *
 * @example
 * ```ts
 * const r = decideVariance({ type: 'resolve', resolution: 'write_off', by, at }, state, undefined);
 * if (!r.ok) console.log(r.error.code, r.error.details); // e.g. VARIANCE_CAUSE_REQUIRED with the numbers
 * ```
 */
export function decideVariance(
  command: VarianceCommand,
  state: VarianceState,
  facts: VarianceFacts | undefined,
): Decision {
  return checkedDecision(varianceCommandSchema, command, 'variance command', () => {
    if (command.type === 'detect') {
      if (state.status !== 'absent')
        return err(reject('VARIANCE_ALREADY_EXISTS', 'the variance exists already', numbers(state)));
      const detail = {
        varianceType: command.varianceType,
        milestoneId: command.milestoneId,
        sold: command.sold,
        observed: command.observed,
        delta: command.observed - command.sold,
        baselineVersion: command.baselineVersion,
      };
      if (command.observed <= command.sold)
        return err(reject('VARIANCE_NOT_A_BREACH', 'observed does not exceed sold', detail));
      if (facts?.openVarianceId === undefined)
        return err(
          reject('VARIANCE_FACTS_MISSING', 'the open variances of the project were not loaded', {
            fact: 'openVarianceId',
          }),
        );
      if (facts.openVarianceId !== null && facts.openVarianceId !== command.varianceId)
        return err(
          reject('VARIANCE_ALREADY_OPEN', 'an open variance already records this breach', {
            ...detail,
            openVarianceId: facts.openVarianceId,
          }),
        );
      const unit = varianceUnit(command.varianceType);
      return ok([
        {
          type: 'project.variance_detected',
          payload: {
            varianceId: command.varianceId,
            projectId: command.projectId,
            constraintId: command.constraintId,
            baselineVersion: command.baselineVersion,
            varianceType: command.varianceType,
            milestoneId: command.milestoneId,
            unit,
            currency: unit === 'minor_units' ? command.currency : null,
            sold: command.sold,
            observed: command.observed,
            delta: command.observed - command.sold,
            detectedAt: command.detectedAt,
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('VARIANCE_NOT_FOUND', 'no such variance'));
    if (state.status === 'resolved')
      return err(
        reject('VARIANCE_RESOLVED', 'a resolved variance is final', {
          ...numbers(state),
          resolution: state.resolved?.resolution ?? null,
        }),
      );
    if (command.type === 'acknowledge') {
      if (state.status !== 'open')
        return err(reject('VARIANCE_NOT_OPEN', 'the variance is acknowledged already', numbers(state)));
      return ok([
        {
          type: 'project.variance_acknowledged',
          payload: {
            varianceId: state.varianceId,
            projectId: state.projectId,
            cause: command.cause.trim(),
            acknowledgedBy: command.by,
            at: command.at,
          },
        },
      ]);
    }
    return resolve(command, state, facts);
  });
}
