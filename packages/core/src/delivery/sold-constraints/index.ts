export {
  type AmendBaseline,
  type BaselineSoldFields,
  type CreateBaseline,
  type Rebaseline,
  type SoldConstraintsCommand,
  soldConstraintsCommandSchema,
} from './commands.js';
export { decideSoldConstraints } from './decide.js';
export { soldConstraintsDecider } from './decider.js';
export {
  type Baseline,
  type BaselineReason,
  baselineCreated,
  type RebaselinedPayload,
  rebaselined,
  SOLD_CONSTRAINTS_STREAM_TYPE,
  type SoldConstraintsEvent,
  soldConstraintsEvents,
} from './events.js';
export {
  SOLD_CONSTRAINTS_REJECTION_CODES,
  type SoldConstraintsRejection,
  type SoldConstraintsRejectionCode,
} from './rejections.js';
export {
  activeBaseline,
  evolveSoldConstraints,
  initialSoldConstraintsState,
  type SoldConstraintsState,
} from './state.js';
export {
  forecastMinutesByRole,
  foreignCurrencies,
  type WbsMilestone,
  type WbsTask,
  type WbsTotals,
  wbsMinutesByRole,
  wbsSchema,
  wbsTotals,
} from './wbs.js';
