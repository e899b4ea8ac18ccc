export {
  employeeBinding,
  employeeDefinition,
  IDENTITY_STATE_TABLES,
  orgStructureVersionBinding,
  orgStructureVersionDefinition,
  teamBinding,
  teamDefinition,
  teamMembershipBinding,
  teamMembershipDefinition,
} from './bindings.js';
export { createIdentityRepository, type IdentityRepository } from './repository.js';
