export {
  employeeDefinition,
  IDENTITY_STATE_TABLES,
  orgStructureVersionDefinition,
  teamDefinition,
  teamMembershipDefinition,
} from './definitions.js';
