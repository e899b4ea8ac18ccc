/**
 * Time context: attested time entries, adjustments (the only correction), resource allocations and
 * capacity (spec §2.19–2.21).
 *
 * @module
 */
export { timeEventDefinitions, timeEventRegistry } from './events.js';
export {
  type DepartmentId,
  departmentIdSchema,
  type ExternalRef,
  externalRefSchema,
  type OperationalBucketId,
  operationalBucketIdSchema,
  type ProjectId,
  projectIdSchema,
  type ResourceAllocationId,
  type RoleId,
  resourceAllocationIdSchema,
  roleIdSchema,
  type TaskId,
  type TicketId,
  type TimeEntryAdjustmentId,
  type TimeEntryId,
  taskIdSchema,
  ticketIdSchema,
  timeEntryAdjustmentIdSchema,
  timeEntryIdSchema,
} from './ids.js';
export * from './time-entry/index.js';
