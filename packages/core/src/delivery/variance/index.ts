export {
  type AcknowledgeVariance,
  type DetectVariance,
  detectionFor,
  type ResolveVariance,
  type VarianceCommand,
  type VarianceFacts,
  type VarianceOrderFacts,
  varianceCommandSchema,
} from './commands.js';
export { decideVariance } from './decide.js';
export { varianceDecider } from './decider.js';
export {
  VARIANCE_STREAM_TYPE,
  type VarianceAcknowledgedPayload,
  type VarianceDetectedPayload,
  type VarianceEvent,
  type VarianceOrderCreatedPayload,
  type VarianceResolvedPayload,
  varianceAcknowledged,
  varianceDetected,
  varianceEvents,
  varianceOrderCreated,
  varianceResolutionSchema,
  varianceResolved,
  varianceTypeSchema,
} from './events.js';
export {
  VARIANCE_REJECTION_CODES,
  type VarianceRejection,
  type VarianceRejectionCode,
} from './rejections.js';
export {
  evolveVariance,
  initialVarianceState,
  type VarianceResolutionRecord,
  type VarianceState,
} from './state.js';
