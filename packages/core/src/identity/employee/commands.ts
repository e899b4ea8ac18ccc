import { z } from 'zod';
import { type Instant, instantSchema } from '../../kernel/index.js';
import { employeeEmailInputSchema, hostUserIdSchema, personNamePartSchema } from '../fields.js';
import {
  type EmployeeId,
  employeeIdSchema,
  type IsoDate,
  isoDateSchema,
  type TeamId,
  type TeamMembershipId,
} from '../ids.js';
import type { EmployeeChanges } from './events.js';
import type { EmployeeStatus } from './state.js';

/** Registers a new employee (active). `employeeId` is the stream id. */
export interface CreateEmployee {
  readonly type: 'create';
  readonly employeeId: EmployeeId;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly hostUserId: string | null;
  readonly managerId: EmployeeId | null;
  readonly hireDate: IsoDate | null;
}

/** Changes some fields; unchanged ones are ignored, and a command that changes nothing emits nothing. */
export interface UpdateEmployee {
  readonly type: 'update';
  readonly changes: EmployeeChanges;
}

/** active → inactive at `at` (the application's clock). */
export interface DeactivateEmployee {
  readonly type: 'deactivate';
  readonly at: Instant;
}

/** inactive → archived at `at` (terminal). */
export interface ArchiveEmployee {
  readonly type: 'archive';
  readonly at: Instant;
}

/** Every employee command. */
export type EmployeeCommand = CreateEmployee | UpdateEmployee | DeactivateEmployee | ArchiveEmployee;

/** The proposed manager as loaded by the application. */
export interface ManagerFact {
  readonly employeeId: EmployeeId;
  readonly status: EmployeeStatus;
  /** The manager's own managers, nearest first, up to the top (used to refuse management cycles). */
  readonly managerChain: readonly EmployeeId[];
}

/** Who still depends on the employee (loaded for `deactivate` and `archive`). */
export interface EmployeeDependants {
  /** Non-archived employees whose manager is this employee. */
  readonly directReportIds: readonly EmployeeId[];
  /** Active teams that have this employee as manager or escalation manager. */
  readonly managedTeamIds: readonly TeamId[];
  /** This employee's open team memberships. */
  readonly openMembershipIds: readonly TeamMembershipId[];
}

/**
 * What employee decisions need from other aggregates: `manager` when a command sets a manager,
 * `dependants` for `deactivate` and `archive`.
 */
export interface EmployeeFacts {
  readonly manager?: ManagerFact;
  readonly dependants?: EmployeeDependants;
}

const changesSchema = z
  .object({
    firstName: personNamePartSchema.exactOptional(),
    lastName: personNamePartSchema.exactOptional(),
    email: employeeEmailInputSchema.exactOptional(),
    hostUserId: hostUserIdSchema.nullable().exactOptional(),
    managerId: employeeIdSchema.nullable().exactOptional(),
    hireDate: isoDateSchema.nullable().exactOptional(),
  })
  .strict();

/**
 * Zod schema of an {@link EmployeeCommand} (names trimmed, e-mail normalised; optional references
 * default to `null`). The command handler validates commands with it.
 *
 * @example
 * ```ts
 * const command = parseInput(employeeCommandSchema, raw, 'employee command');
 * ```
 */
export const employeeCommandSchema: z.ZodType<EmployeeCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    employeeId: employeeIdSchema,
    firstName: personNamePartSchema,
    lastName: personNamePartSchema,
    email: employeeEmailInputSchema,
    hostUserId: hostUserIdSchema.nullable().default(null),
    managerId: employeeIdSchema.nullable().default(null),
    hireDate: isoDateSchema.nullable().default(null),
  }),
  z.object({ type: z.literal('update'), changes: changesSchema }),
  z.object({ type: z.literal('deactivate'), at: instantSchema }),
  z.object({ type: z.literal('archive'), at: instantSchema }),
]);
