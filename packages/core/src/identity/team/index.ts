export {
  type ArchiveTeam,
  type CreateTeam,
  type EmployeeStatusFact,
  type TeamCommand,
  type TeamFacts,
  type TeamParentFact,
  type TeamUpdate,
  teamCommandSchema,
  type UpdateTeam,
} from './commands.js';
export { decideTeam } from './decide.js';
export { teamDecider } from './decider.js';
export {
  type EscalationOrg,
  type EscalationTarget,
  type EscalationTeamNode,
  resolveEscalationTarget,
} from './escalation.js';
export {
  TEAM_STREAM_TYPE,
  type TeamArchivedPayload,
  type TeamChanges,
  type TeamCreatedPayload,
  type TeamEvent,
  type TeamUpdatedPayload,
  type TeamVisual,
  teamArchived,
  teamCreated,
  teamEvents,
  teamUpdated,
  teamVisualSchema,
} from './events.js';
export { TEAM_REJECTION_CODES, type TeamRejection, type TeamRejectionCode } from './rejections.js';
export { evolveTeam, initialTeamState, type TeamDetails, type TeamState, type TeamStatus } from './state.js';
export { ancestorChain } from './tree.js';
