export {
  type CapacityFacts,
  type CapacityOverride,
  type CapacitySource,
  capacityBetween,
  capacityFactsSchema,
  type DayCapacity,
  effectiveCapacity,
  groupUtilisation,
  type LeavePeriod,
  utilisationBp,
} from './capacity.js';
export {
  assessLoad,
  DEFAULT_OVER_ALLOCATION_POLICY,
  type LoadAssessment,
  type LoadLevel,
  type OverAllocationPolicy,
  overAllocationPolicySchema,
} from './load.js';
