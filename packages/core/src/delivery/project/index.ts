export {
  type ActivateProject,
  type ArchiveProject,
  type CancelProject,
  type CompleteProject,
  type CreateProject,
  type OpenVarianceDetail,
  type PlanProject,
  type ProjectCommand,
  type ProjectFacts,
  type ProjectTaskFact,
  type ProjectUpdateRequest,
  projectCommandSchema,
  type UpdateProject,
} from './commands.js';
export { blockingVariances, decideProject } from './decide.js';
export { projectDecider } from './decider.js';
export {
  PROJECT_STREAM_TYPE,
  type ProjectCancelledPayload,
  type ProjectChanges,
  type ProjectCreatedPayload,
  type ProjectEvent,
  type ProjectKind,
  type ProjectTransitionPayload,
  type ProjectUpdatedPayload,
  projectActivated,
  projectArchived,
  projectCancelled,
  projectCompleted,
  projectCreated,
  projectEvents,
  projectKindSchema,
  projectPlanned,
  projectUpdated,
} from './events.js';
export { PROJECT_REJECTION_CODES, type ProjectRejection, type ProjectRejectionCode } from './rejections.js';
export {
  evolveProject,
  initialProjectState,
  type ProjectState,
  type ProjectStatus,
  projectAcceptsTime,
} from './state.js';
