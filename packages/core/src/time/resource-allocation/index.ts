export {
  type PlanAllocation,
  type ReleaseAllocation,
  type ResourceAllocationCommand,
  type ResourceAllocationFacts,
  resourceAllocationCommandSchema,
  type SupersedeAllocation,
} from './commands.js';
export { decideResourceAllocation } from './decide.js';
export { resourceAllocationDecider } from './decider.js';
export {
  type AllocationLayer,
  type AllocationOverAllocatedPayload,
  type AllocationPlannedPayload,
  type AllocationReleasedPayload,
  type AllocationReleaseReason,
  type AllocationSource,
  type AllocationSubject,
  type AllocationSupersededPayload,
  allocationOverAllocated,
  allocationPlanned,
  allocationReleased,
  allocationSuperseded,
  RESOURCE_ALLOCATION_STREAM_TYPE,
  type ResourceAllocationEvent,
  resourceAllocationEvents,
} from './events.js';
export {
  actualMinutes,
  commitForecast,
  forecastFromQuote,
  type PlanVersusActual,
  planVersusActual,
  type QuoteLabour,
  schedulingLoad,
} from './plans.js';
export {
  RESOURCE_ALLOCATION_REJECTION_CODES,
  type ResourceAllocationRejection,
  type ResourceAllocationRejectionCode,
} from './rejections.js';
export {
  type AllocationDetails,
  type AllocationStatus,
  evolveResourceAllocation,
  initialResourceAllocationState,
  type ResourceAllocationState,
  weightedMinutes,
} from './state.js';
