import type { Decider } from '../../kernel/index.js';
import type { OrgStructureVersionCommand, OrgStructureVersionFacts } from './commands.js';
import { decideOrgStructureVersion } from './decide.js';
import type { OrgStructureVersionEvent } from './events.js';
import type { OrgStructureVersionRejection } from './rejections.js';
import {
  evolveOrgStructureVersion,
  initialOrgStructureVersionState,
  type OrgStructureVersionState,
} from './state.js';

/**
 * The org-structure-version aggregate as a decider (stream type `org_structure_version`).
 *
 * @example
 * ```ts
 * DeciderSpecification.for(orgStructureVersionDecider).given([]).when(publish, { latest: null }).then([published]);
 * ```
 */
export const orgStructureVersionDecider: Decider<
  OrgStructureVersionState,
  OrgStructureVersionCommand,
  OrgStructureVersionEvent,
  OrgStructureVersionFacts | undefined,
  OrgStructureVersionRejection
> = {
  initialState: initialOrgStructureVersionState,
  decide: decideOrgStructureVersion,
  evolve: evolveOrgStructureVersion,
};
