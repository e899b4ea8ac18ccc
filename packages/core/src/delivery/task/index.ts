export {
  type ArchiveTask,
  type CancelTask,
  type CompleteTask,
  type CreateTask,
  type LinkTicket,
  type MilestonePlanFact,
  type PlanFacts,
  type ReEstimateTask,
  type StartTask,
  type TaskCommand,
  type TaskFacts,
  type TaskUpdateRequest,
  taskCommandSchema,
  type UpdateTask,
} from './commands.js';
export { decideTask } from './decide.js';
export { taskDecider } from './decider.js';
export {
  TASK_STREAM_TYPE,
  type TaskCancelledPayload,
  type TaskChanges,
  type TaskCreatedPayload,
  type TaskEvent,
  type TaskReEstimatedPayload,
  type TaskTicketLinkedPayload,
  type TaskTransitionPayload,
  type TaskUpdatedPayload,
  taskArchived,
  taskCancelled,
  taskCompleted,
  taskCreated,
  taskEvents,
  taskReEstimated,
  taskStarted,
  taskTicketLinked,
  taskUpdated,
} from './events.js';
export { TASK_REJECTION_CODES, type TaskRejection, type TaskRejectionCode } from './rejections.js';
export { evolveTask, initialTaskState, type TaskState, type TaskStatus, taskAcceptsTime } from './state.js';
