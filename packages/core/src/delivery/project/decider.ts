import type { Decider } from '../../kernel/index.js';
import type { ProjectCommand, ProjectFacts } from './commands.js';
import { decideProject } from './decide.js';
import type { ProjectEvent } from './events.js';
import type { ProjectRejection } from './rejections.js';
import { evolveProject, initialProjectState, type ProjectState } from './state.js';

/**
 * The project aggregate as a decider (stream type `project`).
 *
 * @example `DeciderSpecification.for(projectDecider).given([created]).when({ type: 'plan', at }, { tasks }).then([planned])`
 */
export const projectDecider: Decider<
  ProjectState,
  ProjectCommand,
  ProjectEvent,
  ProjectFacts | undefined,
  ProjectRejection
> = { initialState: initialProjectState, decide: decideProject, evolve: evolveProject };
