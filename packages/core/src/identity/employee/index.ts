export {
  type ArchiveEmployee,
  type CreateEmployee,
  type DeactivateEmployee,
  type EmployeeCommand,
  type EmployeeDependants,
  type EmployeeFacts,
  employeeCommandSchema,
  type ManagerFact,
  type UpdateEmployee,
} from './commands.js';
export { decideEmployee } from './decide.js';
export { employeeDecider } from './decider.js';
export {
  EMPLOYEE_STREAM_TYPE,
  type EmployeeChanges,
  type EmployeeCreatedPayload,
  type EmployeeEvent,
  type EmployeeTransitionPayload,
  type EmployeeUpdatedPayload,
  employeeArchived,
  employeeCreated,
  employeeDeactivated,
  employeeEvents,
  employeeUpdated,
} from './events.js';
export {
  EMPLOYEE_REJECTION_CODES,
  type EmployeeRejection,
  type EmployeeRejectionCode,
} from './rejections.js';
export {
  type EmployeeDetails,
  type EmployeeState,
  type EmployeeStatus,
  evolveEmployee,
  initialEmployeeState,
} from './state.js';
