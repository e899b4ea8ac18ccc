/**
 * Helpers shared by the time-context tests (not a test file itself: the `.test.ts` suffix only keeps
 * it out of builds and the published package).
 */
import type { EmployeeId } from '../identity/index.js';
import type { Decider, Instant, Rejection } from '../kernel/index.js';
import type {
  OperationalBucketId,
  ProjectId,
  ResourceAllocationId,
  RoleId,
  TaskId,
  TicketId,
  TimeEntryAdjustmentId,
  TimeEntryId,
} from './ids.js';

/** A readable UUIDv7 whose last digits are `n`. */
export const uuid = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const emp = (n: number): EmployeeId => uuid(n) as EmployeeId;
export const entryId = (n: number): TimeEntryId => uuid(0x100000 + n) as TimeEntryId;
export const adjId = (n: number): TimeEntryAdjustmentId => uuid(0x200000 + n) as TimeEntryAdjustmentId;
export const ticket = (n: number): TicketId => uuid(0x300000 + n) as TicketId;
export const task = (n: number): TaskId => uuid(0x400000 + n) as TaskId;
export const project = (n: number): ProjectId => uuid(0x500000 + n) as ProjectId;
export const bucket = (n: number): OperationalBucketId => uuid(0x600000 + n) as OperationalBucketId;
export const allocation = (n: number): ResourceAllocationId => uuid(0x700000 + n) as ResourceAllocationId;
export const role = (n: number): RoleId => uuid(0x800000 + n) as RoleId;

/** `2026-03-02T09:00:00.000000Z` (a Monday) plus `minutes`. */
export const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 2, 2, 9) + minutes * 60_000).toISOString().replace('Z', '000Z') as Instant;

/** Records every rejection code a decider returns, to prove each documented code is reachable. */
export function tracked<S, C, E, F, R extends Rejection>(
  decider: Decider<S, C, E, F, R>,
): { decider: Decider<S, C, E, F, R>; seen: Set<string> } {
  const seen = new Set<string>();
  return {
    seen,
    decider: {
      ...decider,
      decide: (command, state, facts) => {
        const r = decider.decide(command, state, facts);
        if (!r.ok) seen.add(r.error.code);
        return r;
      },
    },
  };
}
export const quote = (n: number): string => uuid(0x900000 + n);
export const sale = (n: number): string => uuid(0xa00000 + n);
