import type { Decider } from '../../kernel/index.js';
import type { TaskCommand, TaskFacts } from './commands.js';
import { decideTask } from './decide.js';
import type { TaskEvent } from './events.js';
import type { TaskRejection } from './rejections.js';
import { evolveTask, initialTaskState, type TaskState } from './state.js';

/**
 * The project-task aggregate as a decider (stream type `task`).
 *
 * @example `DeciderSpecification.for(taskDecider).given([created]).when({ type: 'start', at }).then([started])`
 */
export const taskDecider: Decider<TaskState, TaskCommand, TaskEvent, TaskFacts | undefined, TaskRejection> = {
  initialState: initialTaskState,
  decide: decideTask,
  evolve: evolveTask,
};
