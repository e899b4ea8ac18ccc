export {
  type OrgStructureVersionCommand,
  type OrgStructureVersionFacts,
  orgStructureVersionCommandSchema,
  type PublishOrgVersion,
} from './commands.js';
export { decideOrgStructureVersion } from './decide.js';
export { orgStructureVersionDecider } from './decider.js';
export {
  ORG_STRUCTURE_VERSION_STREAM_TYPE,
  type OrgStructureVersionEvent,
  type OrgVersionPublishedPayload,
  orgStructureVersionEvents,
  orgVersionPublished,
} from './events.js';
export {
  dayStart,
  type EffectivePeriod,
  effectivePeriods,
  type VersionPeriodInput,
  validateOrgHistory,
  versionAsOf,
} from './periods.js';
export {
  ORG_STRUCTURE_VERSION_REJECTION_CODES,
  type OrgStructureVersionRejection,
  type OrgStructureVersionRejectionCode,
} from './rejections.js';
export {
  evolveOrgStructureVersion,
  initialOrgStructureVersionState,
  type OrgStructureVersionState,
  type PublishedOrgVersion,
} from './state.js';
export {
  type OrgMembershipEntry,
  type OrgRoleAssignment,
  type OrgStructure,
  type OrgTeamNode,
  orgStructureSchema,
  subtreeTeamIds,
  validateOrgStructure,
} from './structure.js';
