import { sumMoney } from '../../kernel/index.js';
import {
  LINE_KINDS_BY_GROUP,
  type LineGroup,
  type PaymentItem,
  type QuoteLine,
  versionTotals,
} from './model.js';
import type { QuoteVersion } from './state.js';

/** The host's approval policy (facts of the quote decider). */
export interface QuotePolicy {
  /** Margin below this (basis points of sell) needs approval. */
  readonly minMarginBp: number;
  /** A deal whose sell total reaches this (minor units) needs approval; null = never. */
  readonly dealSizeApprovalMinor: number | null;
  /** Less than this share (bp of total) due at acceptance is a payment-term deviation; 0 = never. */
  readonly minUpfrontBp: number;
}

/** Facts a quote decision needs. */
export interface QuoteFacts {
  readonly policy: QuotePolicy;
}

/**
 * The default policy: approval below 20 % margin; no deal-size or payment-term trigger.
 *
 * @example
 * ```ts
 * const policy: QuotePolicy = { ...DEFAULT_QUOTE_POLICY, dealSizeApprovalMinor: 50_000_00 };
 * decideQuote(command, state, { policy });
 * ```
 */
export const DEFAULT_QUOTE_POLICY: QuotePolicy = {
  minMarginBp: 2000,
  dealSizeApprovalMinor: null,
  minUpfrontBp: 0,
};

/** Why a version needs approval (§2.9 triggers). */
export type ApprovalTrigger =
  | 'margin_below_threshold'
  | 'sell_rate_below_recommended'
  | 'deal_size'
  | 'payment_term_deviation'
  | 'cost_adjustment';

/**
 * The approval triggers that fire for a version under `policy` (empty = no approval needed).
 *
 * @example
 * ```ts
 * approvalTriggers(version, 'EUR', DEFAULT_QUOTE_POLICY); // ['margin_below_threshold']
 * ```
 */
export function approvalTriggers(
  version: QuoteVersion,
  currency: string,
  policy: QuotePolicy,
): ApprovalTrigger[] {
  const t = versionTotals(version.groups, currency);
  const lines = version.groups.flatMap((g) => g.lines);
  const out: ApprovalTrigger[] = [];
  if (t.marginBp === null || t.marginBp < policy.minMarginBp) out.push('margin_below_threshold');
  if (
    lines.some(
      (l) =>
        l.role?.recommendedSellRatePerHour != null &&
        l.role.sellRatePerHour.amountMinor < l.role.recommendedSellRatePerHour.amountMinor,
    )
  ) {
    out.push('sell_rate_below_recommended');
  }
  if (policy.dealSizeApprovalMinor !== null && t.sell.amountMinor >= policy.dealSizeApprovalMinor) {
    out.push('deal_size');
  }
  if (policy.minUpfrontBp > 0 && version.schedule !== null && t.sell.amountMinor > 0) {
    const upfront = sumMoney(
      version.schedule.filter((i) => i.dueDate === null).map((i) => i.amount),
      currency,
    ).amountMinor;
    if (BigInt(upfront) * 10_000n < BigInt(policy.minUpfrontBp) * BigInt(t.sell.amountMinor)) {
      out.push('payment_term_deviation');
    }
  }
  if (lines.some((l) => l.kind === 'adjustment' && (l.unitCost?.amountMinor ?? 0) !== 0)) {
    out.push('cost_adjustment');
  }
  return out;
}

/**
 * Why a line breaks its kind's rules, or null when it is valid for `group` in `currency`.
 *
 * @example
 * ```ts
 * lineProblem(line, group, 'EUR'); // 'a product needs a catalog snapshot with a SKU'
 * ```
 */
export function lineProblem(line: QuoteLine, group: LineGroup, currency: string): string | null {
  if (!LINE_KINDS_BY_GROUP[group.kind].includes(line.kind)) {
    return `a ${group.kind} group holds ${LINE_KINDS_BY_GROUP[group.kind].join('/')} lines`;
  }
  const monies = [line.unitPrice, line.unitCost, line.role?.sellRatePerHour, line.role?.costRatePerHour];
  if (monies.some((m) => m != null && m.currency !== currency)) return `every amount must be in ${currency}`;
  const timed = line.kind !== 'product' && line.kind !== 'adjustment';
  if (timed) {
    if (line.role === null || line.minutes === null) return `a ${line.kind} line needs a role and minutes`;
    if (line.unitPrice !== null || line.unitCost !== null) {
      return `a ${line.kind} line is priced by its role's rates, not unit prices`;
    }
    if (line.role.sellRatePerHour.amountMinor < 0 || line.role.costRatePerHour.amountMinor < 0) {
      return 'rates must not be negative';
    }
  } else {
    if (line.unitPrice === null || line.unitCost === null)
      return `a ${line.kind} line needs a unit price and cost`;
    if (line.minutes !== null || line.role !== null) return `a ${line.kind} line has no role or minutes`;
  }
  if (line.kind === 'product') {
    if (line.catalog === null || line.catalog.sku === null)
      return 'a product needs a catalog snapshot with a SKU';
    if ((line.unitPrice?.amountMinor ?? 0) < 0 || (line.unitCost?.amountMinor ?? 0) < 0) {
      return 'product prices must not be negative';
    }
  }
  if (line.kind === 'labour_task' && line.milestone === null)
    return 'an implementation task needs a milestone';
  if (line.kind !== 'labour_task' && line.milestone !== null)
    return 'only implementation tasks have a milestone';
  if (line.kind === 'adjustment' && line.quantity !== 1) return 'an adjustment has quantity 1';
  return null;
}

/**
 * The readiness gate (§2.9) of a version: every failed check, empty when it may be sent.
 *
 * @example
 * ```ts
 * readinessProblems(version, 'EUR'); // ['a payment schedule is required']
 * ```
 */
export function readinessProblems(version: QuoteVersion, currency: string): string[] {
  const out: string[] = [];
  if (version.title.trim() === '') out.push('a title is required');
  if (version.groups.length === 0) out.push('at least one line group is required');
  for (const g of version.groups) {
    if (g.lines.length === 0) out.push(`group ${g.groupId} has no lines`);
  }
  const t = versionTotals(version.groups, currency);
  if (t.margin.amountMinor < 0) out.push('the margin must not be negative');
  const schedule = scheduleProblem(version.schedule, t.sell.amountMinor, currency);
  if (schedule !== null) out.push(schedule);
  return out;
}

/**
 * Why a schedule does not settle `totalMinor` exactly, or null.
 *
 * @example
 * ```ts
 * scheduleProblem(items, 120_000, 'EUR'); // null when the items settle the total
 * scheduleProblem(null, 120_000, 'EUR'); // 'a payment schedule is required'
 * ```
 */
export function scheduleProblem(
  schedule: readonly PaymentItem[] | null,
  totalMinor: number,
  currency: string,
): string | null {
  if (schedule === null) return 'a payment schedule is required';
  const sum = sumMoney(
    schedule.map((i) => i.amount),
    currency,
  ).amountMinor;
  return sum === totalMinor ? null : `the payment schedule sums to ${sum}, the total is ${totalMinor}`;
}
