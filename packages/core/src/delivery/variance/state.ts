import type { Instant } from '../../kernel/index.js';
import type { VarianceResolution, VarianceStatus } from '../sold-bounds.js';
import type { VarianceDetectedPayload, VarianceEvent, VarianceOrderCreatedPayload } from './events.js';

/** The resolution fields of a resolved variance (written once). */
export interface VarianceResolutionRecord {
  readonly resolution: VarianceResolution;
  readonly changeOrderQuoteId: string | null;
  readonly newBaselineVersion: number | null;
  readonly resolvedBy: string;
  readonly resolvedAt: Instant;
}

/** A variance's state, a union on `status` (`absent` = no stream yet). Detection fields never change. */
export type VarianceState =
  | { readonly status: 'absent' }
  | (VarianceDetectedPayload & {
      readonly status: VarianceStatus;
      readonly cause: string | null;
      readonly acknowledgedBy: string | null;
      readonly acknowledgedAt: Instant | null;
      readonly resolved: VarianceResolutionRecord | null;
      readonly varianceOrder: Omit<VarianceOrderCreatedPayload, 'varianceId' | 'projectId'> | null;
    });

/** The state before any event. @example `initialVarianceState()` → `{ status: 'absent' }` */
export function initialVarianceState(): VarianceState {
  return { status: 'absent' };
}

/**
 * Folds one event into a variance's state; an event that does not fit leaves it unchanged.
 *
 * @example `const state = events.reduce(evolveVariance, initialVarianceState());`
 */
export function evolveVariance(state: VarianceState, event: VarianceEvent): VarianceState {
  if (event.type === 'project.variance_detected') {
    if (state.status !== 'absent') return state;
    return {
      ...event.payload,
      status: 'open',
      cause: null,
      acknowledgedBy: null,
      acknowledgedAt: null,
      resolved: null,
      varianceOrder: null,
    };
  }
  if (state.status === 'absent' || state.status === 'resolved') return state;
  switch (event.type) {
    case 'project.variance_acknowledged':
      return state.status === 'open'
        ? {
            ...state,
            status: 'acknowledged',
            cause: event.payload.cause,
            acknowledgedBy: event.payload.acknowledgedBy,
            acknowledgedAt: event.payload.at,
          }
        : state;
    case 'project.variance_order_created': {
      const { varianceId: _v, projectId: _p, ...order } = event.payload;
      return { ...state, varianceOrder: order };
    }
    case 'project.variance_resolved': {
      const p = event.payload;
      return {
        ...state,
        status: 'resolved',
        cause: p.cause,
        resolved: {
          resolution: p.resolution,
          changeOrderQuoteId: p.changeOrderQuoteId,
          newBaselineVersion: p.newBaselineVersion,
          resolvedBy: p.resolvedBy,
          resolvedAt: p.resolvedAt,
        },
      };
    }
  }
}
