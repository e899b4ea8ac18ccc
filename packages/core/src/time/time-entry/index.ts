export { type LegacyTimeLink, planTicketBackfill, type TicketBackfill } from './backfill.js';
export {
  type AdjustmentChange,
  type AdjustTimeEntry,
  type CreateTimeEntry,
  type LockTimeEntry,
  type ReopenTimeEntry,
  type SubmitTimeEntry,
  type TimeEntryCommand,
  type TimeEntryEdit,
  type TimeEntryFacts,
  timeEntryCommandSchema,
  type UpdateTimeEntry,
} from './commands.js';
export {
  type BillingContext,
  type CommercialSnapshot,
  type CommercialTerms,
  captureCommercialSnapshot,
  commercialSnapshotSchema,
  commercialTermsSchema,
} from './commercial.js';
export { decideTimeEntry } from './decide.js';
export { timeEntryDecider } from './decider.js';
export { entryMinutes } from './duration.js';
export {
  type AdjustmentType,
  adjustmentTypeSchema,
  TIME_ENTRY_STREAM_TYPE,
  type TimeEntryAdjustedPayload,
  type TimeEntryChanges,
  type TimeEntryCreatedPayload,
  type TimeEntryEvent,
  type TimeEntryLockedPayload,
  type TimeEntryReconciliationPayload,
  type TimeEntrySubmittedPayload,
  type TimeEntryUpdatedPayload,
  timeEntryAdjusted,
  timeEntryCreated,
  timeEntryEvents,
  timeEntryLocked,
  timeEntryReconciliationRequired,
  timeEntrySubmitted,
  timeEntryUpdated,
  workTypeSchema,
} from './events.js';
export { projectFactOf, type TaskLike, type TicketLike, taskFactOf, ticketFactOf } from './facts-from.js';
export {
  TIMESHEET_INTAKE_CODES,
  type TimesheetIntake,
  type TimesheetIntakeCode,
  type TimesheetIntakeRejection,
  type TimesheetRow,
  timesheetCreateCommand,
  timesheetRowKey,
  validateTimesheetRow,
} from './import.js';
export {
  type FactSource,
  factSource,
  loadWorkContext,
  type TimeEntryFactsOptions,
  timeEntryFactsLoader,
  type WorkContextSources,
} from './load-facts.js';
export {
  checkLockPeriod,
  type LockPeriodCode,
  type LockPeriodConfig,
  lockPeriodConfigSchema,
  workDateIn,
} from './lock-period.js';
export {
  TIME_ENTRY_REJECTION_CODES,
  type TimeEntryRejection,
  type TimeEntryRejectionCode,
} from './rejections.js';
export {
  type AttestedTimeEntry,
  type EffectiveAttribution,
  effectiveAttribution,
  evolveTimeEntry,
  initialTimeEntryState,
  netMinutes,
  type SubmissionRecord,
  type TimeEntryAdjustment,
  type TimeEntryContent,
  type TimeEntryState,
  type TimeEntryStatus,
} from './state.js';
export {
  checkWorkContext,
  type ProjectFact,
  type ResolvedWorkContext,
  type TaskFact,
  type TicketFact,
  type WorkAttribution,
  type WorkContextCode,
  type WorkContextFacts,
  type WorkContextFailure,
  type WorkType,
  workContextRejection,
} from './work-context.js';
