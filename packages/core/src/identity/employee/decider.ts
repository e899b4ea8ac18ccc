import type { Decider } from '../../kernel/index.js';
import type { EmployeeCommand, EmployeeFacts } from './commands.js';
import { decideEmployee } from './decide.js';
import type { EmployeeEvent } from './events.js';
import type { EmployeeRejection } from './rejections.js';
import { type EmployeeState, evolveEmployee, initialEmployeeState } from './state.js';

/**
 * The employee aggregate as a decider (stream type `employee`).
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, { definition, decider: employeeDecider, commandSchema: employeeCommandSchema });
 * ```
 */
export const employeeDecider: Decider<
  EmployeeState,
  EmployeeCommand,
  EmployeeEvent,
  EmployeeFacts | undefined,
  EmployeeRejection
> = {
  initialState: initialEmployeeState,
  decide: decideEmployee,
  evolve: evolveEmployee,
};
