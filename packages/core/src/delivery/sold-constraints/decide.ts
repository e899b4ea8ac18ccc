import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { type SoldConstraintsCommand, soldConstraintsCommandSchema } from './commands.js';
import type { Baseline, SoldConstraintsEvent } from './events.js';
import type { SoldConstraintsRejection } from './rejections.js';
import type { SoldConstraintsState } from './state.js';
import { foreignCurrencies, type WbsMilestone, wbsTotals } from './wbs.js';

type Decision = Result<readonly SoldConstraintsEvent[], SoldConstraintsRejection>;

function currencyProblem(
  wbs: readonly WbsMilestone[],
  currency: string,
): SoldConstraintsRejection | undefined {
  const foreign = foreignCurrencies(wbs, currency);
  return foreign.length === 0
    ? undefined
    : reject('BASELINE_CURRENCY_MISMATCH', `the WBS must be priced in ${currency}`, { currency, foreign });
}

function totals(wbs: readonly WbsMilestone[], currency: string) {
  const t = wbsTotals(wbs, currency);
  return { soldMinutes: t.minutes, soldValue: t.sell, internalCostCeiling: t.cost, marginAtSale: t.margin };
}

/**
 * Decides a sold-constraints command. Rules: v1 once (from the sale, or explicitly for a manual
 * project); totals always derived from the WBS snapshot (Σ tasks to the minute and the minor unit);
 * new versions only by an explicit re-baseline or an accepted change order (a new quote), earlier
 * versions kept unchanged; editing a version in place is refused with the numbers.
 *
 * @example
 * ```ts
 * const r = decideSoldConstraints({ type: 'amend', version: 1, changes: { soldMinutes: 7200 } }, state, undefined);
 * // r.error.code === 'BASELINE_IMMUTABLE', r.error.details → { sold: 6000, requested: 7200, delta: 1200, … }
 * ```
 */
export function decideSoldConstraints(
  command: SoldConstraintsCommand,
  state: SoldConstraintsState,
  _facts?: undefined,
): Decision {
  return checkedDecision(soldConstraintsCommandSchema, command, 'sold constraints command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent')
        return err(
          reject('BASELINE_ALREADY_EXISTS', 'baseline v1 exists already; re-baseline explicitly', {
            activeBaselineVersion: state.activeVersion,
          }),
        );
      if (command.reason === 'acceptance' && (command.saleId === null || command.sourceQuoteId === null))
        return err(
          reject('BASELINE_SOURCE_REQUIRED', 'a baseline from acceptance names its sale and quote', {
            reason: command.reason,
            saleId: command.saleId,
            sourceQuoteId: command.sourceQuoteId,
          }),
        );
      const problem = currencyProblem(command.wbs, command.currency);
      if (problem !== undefined) return err(problem);
      const payload: Baseline = {
        constraintId: command.constraintId,
        projectId: command.projectId,
        version: 1,
        reason: command.reason,
        saleId: command.saleId,
        sourceQuoteId: command.sourceQuoteId,
        sourceQuoteVersion: command.sourceQuoteVersion,
        ...totals(command.wbs, command.currency),
        wbs: command.wbs,
        cause: null,
        approvedBy: command.approvedBy,
        createdAt: command.at,
      };
      return ok([{ type: 'project.baseline_created', payload }]);
    }
    if (state.status === 'absent')
      return err(reject('BASELINE_NOT_FOUND', 'the project has no baseline yet', { version: null }));
    const active = state.versions.find((v) => v.version === state.activeVersion) as Baseline;
    if (command.type === 'amend') {
      const target = state.versions.find((v) => v.version === command.version);
      if (target === undefined)
        return err(
          reject('BASELINE_NOT_FOUND', `no baseline version ${command.version}`, {
            version: command.version,
            activeBaselineVersion: state.activeVersion,
          }),
        );
      const fields = Object.keys(command.changes) as (keyof typeof command.changes)[];
      const first = fields[0] ?? 'soldMinutes';
      const current = target[first];
      const requested = command.changes[first];
      const num = (v: unknown) => (typeof v === 'number' ? v : (v as { amountMinor: number }).amountMinor);
      return err(
        reject('BASELINE_IMMUTABLE', 'sold constraints are immutable; re-baseline explicitly instead', {
          fields,
          field: first,
          sold: num(current),
          requested: requested === undefined ? num(current) : num(requested),
          delta: requested === undefined ? 0 : num(requested) - num(current),
          version: command.version,
          activeBaselineVersion: state.activeVersion,
        }),
      );
    }
    const originalQuoteId = state.versions[0]?.sourceQuoteId ?? null;
    if (
      command.reason === 'change_order' &&
      (command.sourceQuoteId === null ||
        state.versions.some((v) => v.sourceQuoteId === command.sourceQuoteId) ||
        command.referencesQuoteId !== originalQuoteId)
    )
      return err(
        reject('BASELINE_SOURCE_REQUIRED', 'a change order is a new quote that references the original', {
          reason: command.reason,
          sourceQuoteId: command.sourceQuoteId,
          referencesQuoteId: command.referencesQuoteId,
          originalQuoteId,
        }),
      );
    const problem = currencyProblem(command.wbs, state.currency);
    if (problem !== undefined) return err(problem);
    return ok([
      {
        type: 'project.rebaselined',
        payload: {
          constraintId: command.constraintId,
          projectId: state.projectId,
          version: state.activeVersion + 1,
          previousVersion: state.activeVersion,
          reason: command.reason,
          saleId: command.saleId ?? active.saleId,
          sourceQuoteId: command.sourceQuoteId,
          sourceQuoteVersion: command.sourceQuoteVersion,
          ...totals(command.wbs, state.currency),
          wbs: command.wbs,
          cause: command.cause.trim(),
          approvedBy: command.approvedBy,
          createdAt: command.at,
        },
      },
    ]);
  });
}
