import type { Money } from '../kernel/index.js';
import type { MilestoneId, SoldConstraintsId, VarianceId } from './ids.js';

/** What a variance measures: planned or actual minutes over sold minutes, or cost over the ceiling. */
export type VarianceType = 'planned_over_sold' | 'actual_over_sold' | 'cost_over_ceiling';

/** How a variance is settled (spec §2.18); each is an explicit decision, never a silent edit. */
export type VarianceResolution = 'change_order' | 'variance_order' | 'write_off' | 'rebaseline';

/** A variance's lifecycle: open → acknowledged → resolved, or open → resolved. Never deleted. */
export type VarianceStatus = 'open' | 'acknowledged' | 'resolved';

/** The active baseline (sold-constraints version) of a project, as loaded by the application. */
export interface ActiveBaselineFact {
  readonly constraintId: SoldConstraintsId;
  readonly version: number;
  readonly soldMinutes: number;
  readonly soldValue: Money;
  readonly internalCostCeiling: Money;
  readonly marginAtSale: Money;
}

/** One of the project's variances, as loaded by the application (enough to know what it covers). */
export interface VarianceFact {
  readonly varianceId: VarianceId;
  readonly varianceType: VarianceType;
  /** The milestone whose sold total it measures, or null for the whole project. */
  readonly milestoneId: MilestoneId | null;
  readonly baselineVersion: number;
  readonly sold: number;
  readonly observed: number;
  readonly status: VarianceStatus;
}

/**
 * What a sold-bound check needs: the active baseline (`null` when sold constraints do not apply to the
 * project) and the project's variances (any version; only the active version's count).
 */
export interface SoldBoundFacts {
  readonly baseline: ActiveBaselineFact | null;
  readonly variances: readonly VarianceFact[];
}

/** The numbers every sold-bound answer carries, so a host can show why. */
export interface SoldBoundNumbers {
  readonly varianceType: VarianceType;
  /** Sold minutes (or the cost ceiling in minor units for `cost_over_ceiling`). */
  readonly sold: number;
  /** Planned or actual minutes (or actual cost in minor units). */
  readonly observed: number;
  /** observed − sold (positive on a breach). */
  readonly delta: number;
  readonly baselineVersion: number;
  readonly constraintId: SoldConstraintsId;
  /** The milestone measured, or null for the whole project. */
  readonly milestoneId: MilestoneId | null;
}

/** A milestone's own sold bound (Σ its sold tasks of the active baseline), for a milestone-scoped check. */
export interface MilestoneBound {
  readonly milestoneId: MilestoneId;
  readonly soldMinutes: number;
}

/**
 * The answer of a sold-bound check:
 * - `unbounded`: sold constraints do not apply (an internal project that declared so);
 * - `within_sold`: observed ≤ sold;
 * - `covered`: beyond sold, but an acknowledged or resolved variance of the active version already
 *   records at least this much (planning may go on, the overrun stays visible);
 * - `breach`: beyond sold and not covered. `openVarianceId` names the open variance already recording
 *   it (then no new one is raised: one open variance per breach), or is null (raise one).
 */
export type SoldBoundCheck =
  | { readonly kind: 'unbounded' }
  | ({ readonly kind: 'within_sold' } & SoldBoundNumbers)
  | ({ readonly kind: 'covered'; readonly varianceId: VarianceId } & SoldBoundNumbers)
  | ({ readonly kind: 'breach'; readonly openVarianceId: VarianceId | null } & SoldBoundNumbers);

/**
 * The unit of a variance type's numbers.
 *
 * @example `varianceUnit('cost_over_ceiling')` → `'minor_units'`
 */
export function varianceUnit(type: VarianceType): 'minutes' | 'minor_units' {
  return type === 'cost_over_ceiling' ? 'minor_units' : 'minutes';
}

/**
 * Measures `observed` (planned minutes, actual minutes or actual cost in minor units) against the active
 * baseline — or, given `milestone`, against that milestone's sold minutes: the one rule behind "sold
 * bounds delivered". Only variances of the same type, scope and active version count. Pure; the
 * application loads the facts.
 *
 * @example
 * ```ts
 * const c = checkAgainstSold(facts, 'planned_over_sold', plannedMinutes);
 * if (c.kind === 'breach') console.log(c.sold, c.observed, c.delta, c.baselineVersion);
 * ```
 */
export function checkAgainstSold(
  facts: SoldBoundFacts,
  varianceType: VarianceType,
  observed: number,
  milestone?: MilestoneBound,
): SoldBoundCheck {
  const b = facts.baseline;
  if (b === null) return { kind: 'unbounded' };
  const milestoneId = milestone?.milestoneId ?? null;
  const sold =
    milestone !== undefined
      ? milestone.soldMinutes
      : varianceType === 'cost_over_ceiling'
        ? b.internalCostCeiling.amountMinor
        : b.soldMinutes;
  const numbers: SoldBoundNumbers = {
    varianceType,
    sold,
    observed,
    delta: observed - sold,
    baselineVersion: b.version,
    constraintId: b.constraintId,
    milestoneId,
  };
  if (observed <= sold) return { kind: 'within_sold', ...numbers };
  const same = facts.variances.filter(
    (v) =>
      v.varianceType === varianceType && v.baselineVersion === b.version && v.milestoneId === milestoneId,
  );
  const cover = same.find((v) => v.status !== 'open' && v.observed >= observed);
  if (cover !== undefined) return { kind: 'covered', varianceId: cover.varianceId, ...numbers };
  const open = same.find((v) => v.status === 'open');
  return { kind: 'breach', openVarianceId: open?.varianceId ?? null, ...numbers };
}
