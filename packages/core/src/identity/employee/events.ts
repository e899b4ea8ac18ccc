import { z } from 'zod';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
} from '../../kernel/index.js';
import { employeeEmailSchema, hostUserIdSchema, personNamePartSchema } from '../fields.js';
import { type EmployeeId, employeeIdSchema, type IsoDate, isoDateSchema } from '../ids.js';

/**
 * The stream type of employee streams (and the key of the `employees` state table).
 *
 * @example `const definition: AggregateDefinition<EmployeeState> = { streamType: EMPLOYEE_STREAM_TYPE, … }`
 */
export const EMPLOYEE_STREAM_TYPE = 'employee';

/** Payload of `employee.created` v1: every field of the new employee. */
export interface EmployeeCreatedPayload {
  readonly employeeId: EmployeeId;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly hostUserId: string | null;
  readonly managerId: EmployeeId | null;
  readonly hireDate: IsoDate | null;
}

/** The fields an update may change; an `employee.updated` event carries only the ones that changed. */
export interface EmployeeChanges {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly hostUserId?: string | null;
  readonly managerId?: EmployeeId | null;
  readonly hireDate?: IsoDate | null;
}

/** Payload of `employee.updated` v1: the employee and only the fields that changed (at least one). */
export interface EmployeeUpdatedPayload {
  readonly employeeId: EmployeeId;
  readonly changes: EmployeeChanges;
}

/** Payload of `employee.deactivated` v1 and `employee.archived` v1. */
export interface EmployeeTransitionPayload {
  readonly employeeId: EmployeeId;
  readonly at: Instant;
}

const changesSchema = z
  .object({
    firstName: personNamePartSchema.exactOptional(),
    lastName: personNamePartSchema.exactOptional(),
    email: employeeEmailSchema.exactOptional(),
    hostUserId: hostUserIdSchema.nullable().exactOptional(),
    managerId: employeeIdSchema.nullable().exactOptional(),
    hireDate: isoDateSchema.nullable().exactOptional(),
  })
  .refine((c) => Object.keys(c).length > 0, 'must change at least one field');

/**
 * `employee.created` v1.
 *
 * @example `employeeCreated.payload.parse(raw)` → throws unless `email` is already normalised
 */
export const employeeCreated: EventDefinition<
  'employee.created',
  z.ZodType<EmployeeCreatedPayload>
> = defineEvent({
  type: 'employee.created',
  version: 1,
  payload: z.object({
    employeeId: employeeIdSchema,
    firstName: personNamePartSchema,
    lastName: personNamePartSchema,
    email: employeeEmailSchema,
    hostUserId: hostUserIdSchema.nullable(),
    managerId: employeeIdSchema.nullable(),
    hireDate: isoDateSchema.nullable(),
  }),
});

/**
 * `employee.updated` v1: only the changed fields.
 *
 * @example `employeeUpdated.payload.parse({ employeeId, changes: { managerId: null } })`
 */
export const employeeUpdated: EventDefinition<
  'employee.updated',
  z.ZodType<EmployeeUpdatedPayload>
> = defineEvent({
  type: 'employee.updated',
  version: 1,
  payload: z.object({ employeeId: employeeIdSchema, changes: changesSchema }),
});

const transitionSchema = z.object({ employeeId: employeeIdSchema, at: instantSchema });

/**
 * `employee.deactivated` v1: active → inactive.
 *
 * @example `{ type: employeeDeactivated.type, payload: { employeeId, at: clock.now() } }`
 */
export const employeeDeactivated: EventDefinition<
  'employee.deactivated',
  z.ZodType<EmployeeTransitionPayload>
> = defineEvent({ type: 'employee.deactivated', version: 1, payload: transitionSchema });

/**
 * `employee.archived` v1: inactive → archived (terminal; employees are never deleted).
 *
 * @example `if (event.type === employeeArchived.type) archivedAt = event.payload.at;`
 */
export const employeeArchived: EventDefinition<
  'employee.archived',
  z.ZodType<EmployeeTransitionPayload>
> = defineEvent({ type: 'employee.archived', version: 1, payload: transitionSchema });

/** Every event an employee stream holds. */
export type EmployeeEvent =
  | EventOf<typeof employeeCreated>
  | EventOf<typeof employeeUpdated>
  | EventOf<typeof employeeDeactivated>
  | EventOf<typeof employeeArchived>;

/**
 * The employee event definitions (current versions), for the context's registry.
 *
 * @example `createEventRegistry({ events: employeeEvents }).knownTypes()`
 */
export const employeeEvents: readonly EventDefinition[] = [
  employeeCreated,
  employeeUpdated,
  employeeDeactivated,
  employeeArchived,
];
