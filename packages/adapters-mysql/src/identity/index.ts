export {
  employeeBinding,
  orgStructureVersionBinding,
  teamBinding,
  teamMembershipBinding,
} from './bindings.js';
export {
  employeeDefinition,
  IDENTITY_STATE_TABLES,
  orgStructureVersionDefinition,
  teamDefinition,
  teamMembershipDefinition,
} from './definitions.js';
export { createIdentityRepository, type IdentityRepository } from './repository.js';
