import type { ProjectId } from '../ids.js';
import type { ActiveBaselineFact } from '../sold-bounds.js';
import type { Baseline, SoldConstraintsEvent } from './events.js';

/** A project's baselines: every version, oldest first, and which one is active (the newest). */
export type SoldConstraintsState =
  | { readonly status: 'absent' }
  | {
      readonly status: 'baselined';
      readonly projectId: ProjectId;
      readonly currency: string;
      readonly versions: readonly Baseline[];
      readonly activeVersion: number;
    };

/** The state before any event. @example `initialSoldConstraintsState()` → `{ status: 'absent' }` */
export function initialSoldConstraintsState(): SoldConstraintsState {
  return { status: 'absent' };
}

/**
 * Folds one event into the baselines; a new version is appended, earlier ones are kept as they were.
 *
 * @example `const state = events.reduce(evolveSoldConstraints, initialSoldConstraintsState());`
 */
export function evolveSoldConstraints(
  state: SoldConstraintsState,
  event: SoldConstraintsEvent,
): SoldConstraintsState {
  if (event.type === 'project.baseline_created') {
    if (state.status !== 'absent') return state;
    const b = event.payload;
    return {
      status: 'baselined',
      projectId: b.projectId,
      currency: b.soldValue.currency,
      versions: [b],
      activeVersion: b.version,
    };
  }
  if (state.status === 'absent' || event.payload.version !== state.activeVersion + 1) return state;
  const { previousVersion: _previous, ...b } = event.payload;
  return { ...state, versions: [...state.versions, b], activeVersion: b.version };
}

/**
 * The active version of a project's baselines as the fact a sold-bound check needs (null before v1).
 *
 * @example `checkAgainstSold({ baseline: activeBaseline(state), variances }, 'planned_over_sold', planned)`
 */
export function activeBaseline(state: SoldConstraintsState): ActiveBaselineFact | null {
  if (state.status === 'absent') return null;
  const b = state.versions.find((v) => v.version === state.activeVersion);
  if (b === undefined) return null;
  return {
    constraintId: b.constraintId,
    version: b.version,
    soldMinutes: b.soldMinutes,
    soldValue: b.soldValue,
    internalCostCeiling: b.internalCostCeiling,
    marginAtSale: b.marginAtSale,
  };
}
