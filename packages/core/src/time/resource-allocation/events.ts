import { z } from 'zod';
import { type LocalDate, localDateSchema } from '../../calendar/index.js';
import { type EmployeeId, employeeIdSchema } from '../../identity/index.js';
import {
  type BasisPoints,
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
  probabilityBpSchema,
  uuidV7Schema,
} from '../../kernel/index.js';
import {
  type DepartmentId,
  departmentIdSchema,
  type ResourceAllocationId,
  type RoleId,
  resourceAllocationIdSchema,
  roleIdSchema,
} from '../ids.js';

/**
 * The stream type of resource-allocation streams (and the key of the `resource_allocations` table).
 *
 * @example `const definition: AggregateDefinition<ResourceAllocationState> = { streamType: RESOURCE_ALLOCATION_STREAM_TYPE, … }`
 */
export const RESOURCE_ALLOCATION_STREAM_TYPE = 'resource_allocation';

/**
 * The planning layers: `forecast` (an approved quote, weighted by probability) → `committed` (a sale)
 * → `scheduled` (a person on a task or ticket). Actual time is never an allocation: it is time entries.
 */
export type AllocationLayer = 'forecast' | 'committed' | 'scheduled';

/** Who the minutes are planned for: a person, or a role / department before anyone is named. */
export type AllocationSubject =
  | { readonly kind: 'employee'; readonly employeeId: EmployeeId }
  | { readonly kind: 'role'; readonly roleId: RoleId }
  | { readonly kind: 'department'; readonly departmentId: DepartmentId };

/** Where an allocation comes from (`source_type`, `source_id`); the id is the source's UUIDv7. */
export interface AllocationSource {
  readonly type: 'quote' | 'sale' | 'task' | 'ticket' | 'opportunity';
  readonly id: string;
}

/** Why an active allocation was released (no longer planned). */
export type AllocationReleaseReason = 'quote_rejected' | 'quote_expired' | 'completed' | 'cancelled';

/** Payload of `resource_allocation.planned` v1 (`ForecastCapacityCreated` for the forecast layer). */
export interface AllocationPlannedPayload {
  readonly allocationId: ResourceAllocationId;
  readonly layer: AllocationLayer;
  readonly subject: AllocationSubject;
  readonly source: AllocationSource;
  /** Local dates, inclusive. */
  readonly periodStart: LocalDate;
  readonly periodEnd: LocalDate;
  /** Unweighted minutes (a forecast's WBS minutes for the role). */
  readonly plannedMinutes: number;
  /** The probability weight: the opportunity's for a forecast, 10 000 bp otherwise. */
  readonly probabilityBp: BasisPoints;
  readonly plannedAt: Instant;
}

/** Payload of `resource_allocation.superseded` v1: replaced by another allocation (new quote version, commitment). */
export interface AllocationSupersededPayload {
  readonly allocationId: ResourceAllocationId;
  readonly supersededBy: ResourceAllocationId;
  readonly at: Instant;
}

/** Payload of `resource_allocation.released` v1. */
export interface AllocationReleasedPayload {
  readonly allocationId: ResourceAllocationId;
  readonly reason: AllocationReleaseReason;
  readonly at: Instant;
}

/**
 * Payload of `resource_allocation.over_allocated` v1: scheduling this allocation takes the person to
 * the warning or escalation level over its period (a warning, not a block).
 */
export interface AllocationOverAllocatedPayload {
  readonly allocationId: ResourceAllocationId;
  readonly employeeId: EmployeeId;
  readonly periodStart: LocalDate;
  readonly periodEnd: LocalDate;
  readonly level: 'warning' | 'escalation';
  /** Scheduled minutes of the person over the period, this allocation included. */
  readonly scheduledMinutes: number;
  readonly capacityMinutes: number;
  readonly utilisationBp: number | null;
  /** The threshold that was reached (warn or escalate). */
  readonly thresholdBp: number;
  readonly at: Instant;
}

const subjectSchema: z.ZodType<AllocationSubject> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('employee'), employeeId: employeeIdSchema }),
  z.object({ kind: z.literal('role'), roleId: roleIdSchema }),
  z.object({ kind: z.literal('department'), departmentId: departmentIdSchema }),
]);
const sourceSchema: z.ZodType<AllocationSource> = z.object({
  type: z.enum(['quote', 'sale', 'task', 'ticket', 'opportunity']),
  id: uuidV7Schema,
});

/** Zod schemas shared with the commands. */
export const allocationFieldSchemas: {
  readonly subject: z.ZodType<AllocationSubject>;
  readonly source: z.ZodType<AllocationSource>;
  readonly layer: z.ZodType<AllocationLayer>;
  readonly releaseReason: z.ZodType<AllocationReleaseReason>;
} = {
  subject: subjectSchema,
  source: sourceSchema,
  layer: z.enum(['forecast', 'committed', 'scheduled']),
  releaseReason: z.enum(['quote_rejected', 'quote_expired', 'completed', 'cancelled']),
};

/**
 * `resource_allocation.planned` v1.
 *
 * @example `if (e.type === allocationPlanned.type && e.payload.layer === 'forecast') …`
 */
export const allocationPlanned: EventDefinition<
  'resource_allocation.planned',
  z.ZodType<AllocationPlannedPayload>
> = defineEvent({
  type: 'resource_allocation.planned',
  version: 1,
  payload: z
    .object({
      allocationId: resourceAllocationIdSchema,
      layer: allocationFieldSchemas.layer,
      subject: subjectSchema,
      source: sourceSchema,
      periodStart: localDateSchema,
      periodEnd: localDateSchema,
      plannedMinutes: z.number().int().min(1),
      probabilityBp: probabilityBpSchema,
      plannedAt: instantSchema,
    })
    .refine((p) => p.periodStart <= p.periodEnd, {
      message: 'must not be before periodStart',
      path: ['periodEnd'],
    }),
});

/**
 * `resource_allocation.superseded` v1.
 *
 * @example `allocationSuperseded.payload.parse({ allocationId, supersededBy, at })`
 */
export const allocationSuperseded: EventDefinition<
  'resource_allocation.superseded',
  z.ZodType<AllocationSupersededPayload>
> = defineEvent({
  type: 'resource_allocation.superseded',
  version: 1,
  payload: z.object({
    allocationId: resourceAllocationIdSchema,
    supersededBy: resourceAllocationIdSchema,
    at: instantSchema,
  }),
});

/**
 * `resource_allocation.released` v1.
 *
 * @example `allocationReleased.payload.parse({ allocationId, reason: 'quote_expired', at })`
 */
export const allocationReleased: EventDefinition<
  'resource_allocation.released',
  z.ZodType<AllocationReleasedPayload>
> = defineEvent({
  type: 'resource_allocation.released',
  version: 1,
  payload: z.object({
    allocationId: resourceAllocationIdSchema,
    reason: allocationFieldSchemas.releaseReason,
    at: instantSchema,
  }),
});

/**
 * `resource_allocation.over_allocated` v1: the over-allocation warning.
 *
 * @example `if (e.type === allocationOverAllocated.type && e.payload.level === 'escalation') notifyManager();`
 */
export const allocationOverAllocated: EventDefinition<
  'resource_allocation.over_allocated',
  z.ZodType<AllocationOverAllocatedPayload>
> = defineEvent({
  type: 'resource_allocation.over_allocated',
  version: 1,
  payload: z.object({
    allocationId: resourceAllocationIdSchema,
    employeeId: employeeIdSchema,
    periodStart: localDateSchema,
    periodEnd: localDateSchema,
    level: z.enum(['warning', 'escalation']),
    scheduledMinutes: z.number().int().min(0),
    capacityMinutes: z.number().int().min(0),
    utilisationBp: z.number().int().min(0).nullable(),
    thresholdBp: z.number().int().min(1),
    at: instantSchema,
  }),
});

/** Every event a resource-allocation stream holds. */
export type ResourceAllocationEvent =
  | EventOf<typeof allocationPlanned>
  | EventOf<typeof allocationSuperseded>
  | EventOf<typeof allocationReleased>
  | EventOf<typeof allocationOverAllocated>;

/**
 * The resource-allocation event definitions (current versions), for the context's registry.
 *
 * @example `createEventRegistry({ events: resourceAllocationEvents }).knownTypes()`
 */
export const resourceAllocationEvents: readonly EventDefinition[] = [
  allocationPlanned,
  allocationSuperseded,
  allocationReleased,
  allocationOverAllocated,
];
