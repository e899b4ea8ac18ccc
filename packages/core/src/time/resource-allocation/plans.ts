import type { LocalDate } from '../../calendar/index.js';
import type { EmployeeId } from '../../identity/index.js';
import { err, type Instant, ok, type Rejection, type Result, reject } from '../../kernel/index.js';
import { type CapacityFacts, capacityBetween } from '../capacity/capacity.js';
import type { ResourceAllocationId, RoleId } from '../ids.js';
import { type AttestedTimeEntry, effectiveAttribution, netMinutes } from '../time-entry/state.js';
import type { PlanAllocation, ResourceAllocationFacts, SupersedeAllocation } from './commands.js';
import type { AllocationLayer } from './events.js';
import type { AllocationDetails, ResourceAllocationState } from './state.js';

/**
 * An approved quote's labour as the forecast needs it: minutes per role (the WBS hours of its labour
 * lines, e.g. `Commercial.soldMinutesByRole`) and the opportunity's probability.
 */
export interface QuoteLabour {
  readonly quoteId: string;
  readonly approved: boolean;
  readonly probabilityBp: number;
  readonly minutesByRole: Readonly<Record<RoleId, number>>;
}

/**
 * The forecast `plan` commands for a quote's labour: one per role with minutes, in role-id order,
 * each with the id at the same position of `ids` (one per role, made by the application's id
 * generator), and the facts to decide them with. Refused when the quote is not approved (scenario 10:
 * the rows are WBS minutes per role, weighted × the probability when planned).
 *
 * @throws RangeError when `ids` does not hold one id per role with minutes.
 * @example
 * ```ts
 * const period = { periodStart: localDateSchema.parse('2026-04-01'), periodEnd: localDateSchema.parse('2026-06-30') };
 * const r = forecastFromQuote(labour, period, ids, at);
 * if (r.ok) for (const c of r.value.commands) handle(c, r.value.facts);
 * ```
 */
export function forecastFromQuote(
  quote: QuoteLabour,
  period: { readonly periodStart: LocalDate; readonly periodEnd: LocalDate },
  ids: readonly ResourceAllocationId[],
  at: Instant,
): Result<
  { readonly commands: readonly PlanAllocation[]; readonly facts: ResourceAllocationFacts },
  Rejection<'ALLOCATION_QUOTE_NOT_APPROVED'>
> {
  if (!quote.approved)
    return err(
      reject('ALLOCATION_QUOTE_NOT_APPROVED', 'forecasts come from approved quotes only', {
        quoteId: quote.quoteId,
      }),
    );
  const roles = (Object.keys(quote.minutesByRole) as RoleId[])
    .filter((r) => (quote.minutesByRole[r] ?? 0) > 0)
    .sort();
  if (ids.length !== roles.length)
    throw new RangeError(`forecastFromQuote: ${roles.length} roles need as many ids (got ${ids.length})`);
  const commands = roles.map(
    (roleId, i): PlanAllocation => ({
      type: 'plan',
      allocationId: ids[i] as ResourceAllocationId,
      layer: 'forecast',
      subject: { kind: 'role', roleId },
      source: { type: 'quote', id: quote.quoteId },
      periodStart: period.periodStart,
      periodEnd: period.periodEnd,
      plannedMinutes: quote.minutesByRole[roleId] ?? 0,
      at,
    }),
  );
  return ok({
    commands,
    facts: { sourceQuote: { quoteId: quote.quoteId, approved: true, probabilityBp: quote.probabilityBp } },
  });
}

/**
 * Turns an active forecast into a commitment on acceptance (in the acceptance transaction): the
 * committed row (unweighted: the sale is certain) and the supersession of the forecast by it.
 *
 * @example
 * ```ts
 * const { plan, supersede } = commitForecast(forecast, committedId, saleId, at);
 * ```
 */
export function commitForecast(
  forecast: AllocationDetails,
  committedId: ResourceAllocationId,
  saleId: string,
  at: Instant,
): { readonly plan: PlanAllocation; readonly supersede: SupersedeAllocation } {
  return {
    plan: {
      type: 'plan',
      allocationId: committedId,
      layer: 'committed',
      subject: forecast.subject,
      source: { type: 'sale', id: saleId },
      periodStart: forecast.periodStart,
      periodEnd: forecast.periodEnd,
      plannedMinutes: forecast.plannedMinutes,
      at,
    },
    supersede: { type: 'supersede', supersededBy: committedId, at },
  };
}

/** Planned minutes per layer (active rows, weighted) next to the actual minutes from time entries. */
export interface PlanVersusActual {
  readonly forecast: number;
  readonly committed: number;
  readonly scheduled: number;
  readonly actual: number;
}

/**
 * Plan versus actual: each layer sums the weighted minutes of its **active** allocations; `actual`
 * sums the net minutes of attested time entries, and only those — an allocation is never counted as
 * actual, whatever its layer.
 *
 * @example
 * ```ts
 * planVersusActual(allocations, entries); // { forecast: 3600, committed: 0, scheduled: 480, actual: 450 }
 * ```
 */
export function planVersusActual(
  allocations: readonly ResourceAllocationState[],
  entries: readonly AttestedTimeEntry[],
): PlanVersusActual {
  const sums: Record<AllocationLayer, number> = { forecast: 0, committed: 0, scheduled: 0 };
  for (const a of allocations) if (a.status === 'active') sums[a.layer] += a.weightedMinutes;
  return { ...sums, actual: actualMinutes(entries) };
}

/**
 * Actual minutes: the net minutes (original + Σ adjustment deltas) of attested time entries; with
 * `billableOnly`, only entries whose effective classification is billable (the spec's actual
 * utilisation: net billable minutes ÷ capacity).
 *
 * @example `actualMinutes(entries, { billableOnly: true })`
 */
export function actualMinutes(
  entries: readonly AttestedTimeEntry[],
  options: { readonly billableOnly?: boolean } = {},
): number {
  let sum = 0;
  for (const e of entries) {
    if (options.billableOnly === true && effectiveAttribution(e).billable !== true) continue;
    sum += netMinutes(e);
  }
  return sum;
}

/**
 * The `load` fact for scheduling `employeeId` over `period`: the employee's effective capacity over
 * the period (see `effectiveCapacity`) and the weighted minutes of their other **active scheduled**
 * allocations whose periods overlap it, counted in full (conservative: an overlap warns early rather
 * than late). Forecast and committed rows are role-level plans and are not load.
 *
 * @example
 * ```ts
 * const load = schedulingLoad(allocations, employeeId, { periodStart, periodEnd }, capacityFacts, newId);
 * decideResourceAllocation(plan, state, { load });
 * ```
 */
export function schedulingLoad(
  allocations: readonly ResourceAllocationState[],
  employeeId: EmployeeId,
  period: { readonly periodStart: LocalDate; readonly periodEnd: LocalDate },
  capacity: CapacityFacts,
  excluding?: ResourceAllocationId,
): { readonly capacityMinutes: number; readonly scheduledMinutes: number } {
  let scheduledMinutes = 0;
  for (const a of allocations) {
    if (a.status !== 'active' || a.layer !== 'scheduled' || a.allocationId === excluding) continue;
    if (a.subject.kind !== 'employee' || a.subject.employeeId !== employeeId) continue;
    if (a.periodEnd < period.periodStart || a.periodStart > period.periodEnd) continue;
    scheduledMinutes += a.weightedMinutes;
  }
  const capacityMinutes = capacityBetween(capacity, period.periodStart, period.periodEnd).reduce(
    (sum, day) => sum + day.minutes,
    0,
  );
  return { capacityMinutes, scheduledMinutes };
}
