import type { LocalDate } from '../../calendar/index.js';
import { type BasisPoints, divideRounded, type Instant } from '../../kernel/index.js';
import type { ResourceAllocationId } from '../ids.js';
import type {
  AllocationLayer,
  AllocationReleaseReason,
  AllocationSource,
  AllocationSubject,
  ResourceAllocationEvent,
} from './events.js';

/** An allocation's lifecycle: active → superseded | released (both terminal). Never deleted. */
export type AllocationStatus = 'active' | 'superseded' | 'released';

/** One allocation row (`resource_allocations`). */
export interface AllocationDetails {
  readonly allocationId: ResourceAllocationId;
  readonly layer: AllocationLayer;
  readonly subject: AllocationSubject;
  readonly source: AllocationSource;
  readonly periodStart: LocalDate;
  readonly periodEnd: LocalDate;
  readonly plannedMinutes: number;
  readonly probabilityBp: BasisPoints;
  /** ⌊planned × probability⌉ (half-even): what the allocation counts for in its layer's totals. */
  readonly weightedMinutes: number;
  readonly plannedAt: Instant;
}

/** A resource allocation's state, a union on `status` (`absent` = no stream yet). */
export type ResourceAllocationState =
  | { readonly status: 'absent' }
  | (AllocationDetails & { readonly status: 'active' })
  | (AllocationDetails & {
      readonly status: 'superseded';
      readonly supersededBy: ResourceAllocationId;
      readonly endedAt: Instant;
    })
  | (AllocationDetails & {
      readonly status: 'released';
      readonly releaseReason: AllocationReleaseReason;
      readonly endedAt: Instant;
    });

/**
 * Minutes weighted by a probability: `planned × bp / 10 000`, rounded half-even (scenario 10:
 * WBS hours per role × 0.60).
 *
 * @example `weightedMinutes(6000, 6000)` → `3600` (100 h at 60 % = 60 h)
 */
export function weightedMinutes(plannedMinutes: number, probabilityBp: number): number {
  return Number(divideRounded(BigInt(plannedMinutes) * BigInt(probabilityBp), 10_000n));
}

/** The state before any event. @example `initialResourceAllocationState()` → `{ status: 'absent' }` */
export function initialResourceAllocationState(): ResourceAllocationState {
  return { status: 'absent' };
}

/**
 * Folds one event into an allocation's state; events that do not fit leave it unchanged (never throws).
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveResourceAllocation, initialResourceAllocationState());
 * ```
 */
export function evolveResourceAllocation(
  state: ResourceAllocationState,
  event: ResourceAllocationEvent,
): ResourceAllocationState {
  switch (event.type) {
    case 'resource_allocation.planned': {
      if (state.status !== 'absent') return state;
      const p = event.payload;
      return { status: 'active', ...p, weightedMinutes: weightedMinutes(p.plannedMinutes, p.probabilityBp) };
    }
    case 'resource_allocation.superseded':
      return state.status === 'active'
        ? {
            ...state,
            status: 'superseded',
            supersededBy: event.payload.supersededBy,
            endedAt: event.payload.at,
          }
        : state;
    case 'resource_allocation.released':
      return state.status === 'active'
        ? { ...state, status: 'released', releaseReason: event.payload.reason, endedAt: event.payload.at }
        : state;
    case 'resource_allocation.over_allocated':
      return state;
  }
}
