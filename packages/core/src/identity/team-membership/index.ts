export {
  type AddMember,
  type RemoveMember,
  type TeamMembershipCommand,
  type TeamMembershipFacts,
  teamMembershipCommandSchema,
} from './commands.js';
export { decideTeamMembership } from './decide.js';
export { teamMembershipDecider } from './decider.js';
export {
  type MemberAddedPayload,
  type MemberRemovedPayload,
  type MembershipRole,
  memberAdded,
  memberRemoved,
  membershipRoleSchema,
  TEAM_MEMBERSHIP_STREAM_TYPE,
  type TeamMembershipEvent,
  teamMembershipEvents,
} from './events.js';
export {
  TEAM_MEMBERSHIP_REJECTION_CODES,
  type TeamMembershipRejection,
  type TeamMembershipRejectionCode,
} from './rejections.js';
export {
  evolveTeamMembership,
  initialTeamMembershipState,
  type MembershipDetails,
  type TeamMembershipState,
} from './state.js';
