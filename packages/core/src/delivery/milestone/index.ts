export {
  type ActivateMilestone,
  type ArchiveMilestone,
  type CompleteMilestone,
  type DefineMilestone,
  type MilestoneCommand,
  type MilestoneFacts,
  type MilestoneTaskFact,
  type MilestoneUpdateRequest,
  milestoneCommandSchema,
  type UpdateMilestone,
} from './commands.js';
export { decideMilestone } from './decide.js';
export { milestoneDecider } from './decider.js';
export {
  MILESTONE_STREAM_TYPE,
  type MilestoneChanges,
  type MilestoneCompletedPayload,
  type MilestoneDefinedPayload,
  type MilestoneEvent,
  type MilestoneTransitionPayload,
  type MilestoneUpdatedPayload,
  milestoneActivated,
  milestoneArchived,
  milestoneCompleted,
  milestoneDefined,
  milestoneEvents,
  milestoneUpdated,
} from './events.js';
export {
  MILESTONE_REJECTION_CODES,
  type MilestoneRejection,
  type MilestoneRejectionCode,
} from './rejections.js';
export {
  evolveMilestone,
  initialMilestoneState,
  type MilestoneState,
  type MilestoneStatus,
} from './state.js';
