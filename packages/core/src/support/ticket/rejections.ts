import type { Rejection } from '../../kernel/index.js';

/**
 * Why a ticket command was refused (stable codes):
 * - `TICKET_ALREADY_EXISTS` — `create` on an existing ticket.
 * - `TICKET_NOT_FOUND` — any other command before `create`.
 * - `TICKET_CONTEXT_REQUIRED` — none of customer, site or project given.
 * - `TICKET_CONTAINER_INVALID` — a project-owned ticket without its project.
 * - `TICKET_PARENT_INVALID` — a child not listed, with these sold minutes, by its parent's split.
 * - `TICKET_TRANSITION_INVALID` — a status change the owner's lifecycle does not allow (details list the
 *   allowed targets).
 * - `TICKET_CLOSED` — any change to a closed or archived ticket (immutable; no reopen: open a new,
 *   linked ticket), except archiving a closed one.
 * - `TICKET_BASELINE_LOCKED` — any change to a baseline (sold) ticket; changes are change-order tickets.
 * - `TICKET_ALREADY_RESPONDED` — a second first response (`responded_at` is set once).
 * - `TICKET_ALREADY_ASSIGNED` — pulling a ticket already assigned to an employee (HTTP 409).
 * - `TICKET_NOT_IN_QUEUE` — pulling a ticket that is in no team queue.
 * - `TICKET_NOT_TEAM_MEMBER` — pulling from a team queue the employee is not a member of.
 * - `TICKET_IS_ROLLUP` — splitting a roll-up again, or recording time on one (time goes on leaves).
 * - `TICKET_SPLIT_INVALID` — a split without sold minutes, with fewer than two children, or a child id
 *   used twice.
 * - `TICKET_SPLIT_MISMATCH` — the children's sold minutes do not sum exactly to the parent's.
 * - `TICKET_HAS_TIME` — splitting a ticket that already has time (a roll-up holds no direct time).
 * - `TICKET_LINK_DUPLICATE` — a link that exists, or that repeats the primary container.
 * - `TICKET_FACTS_MISSING` — the application did not load the facts the command needs.
 */
export type TicketRejectionCode =
  | 'TICKET_ALREADY_EXISTS'
  | 'TICKET_NOT_FOUND'
  | 'TICKET_CONTEXT_REQUIRED'
  | 'TICKET_CONTAINER_INVALID'
  | 'TICKET_PARENT_INVALID'
  | 'TICKET_TRANSITION_INVALID'
  | 'TICKET_CLOSED'
  | 'TICKET_BASELINE_LOCKED'
  | 'TICKET_ALREADY_RESPONDED'
  | 'TICKET_ALREADY_ASSIGNED'
  | 'TICKET_NOT_IN_QUEUE'
  | 'TICKET_NOT_TEAM_MEMBER'
  | 'TICKET_IS_ROLLUP'
  | 'TICKET_SPLIT_INVALID'
  | 'TICKET_SPLIT_MISMATCH'
  | 'TICKET_HAS_TIME'
  | 'TICKET_LINK_DUPLICATE'
  | 'TICKET_FACTS_MISSING';

/** A refused ticket command. */
export type TicketRejection = Rejection<TicketRejectionCode>;

/**
 * Every ticket rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...TICKET_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const TICKET_REJECTION_CODES: readonly TicketRejectionCode[] = [
  'TICKET_ALREADY_EXISTS',
  'TICKET_NOT_FOUND',
  'TICKET_CONTEXT_REQUIRED',
  'TICKET_CONTAINER_INVALID',
  'TICKET_PARENT_INVALID',
  'TICKET_TRANSITION_INVALID',
  'TICKET_CLOSED',
  'TICKET_BASELINE_LOCKED',
  'TICKET_ALREADY_RESPONDED',
  'TICKET_ALREADY_ASSIGNED',
  'TICKET_NOT_IN_QUEUE',
  'TICKET_NOT_TEAM_MEMBER',
  'TICKET_IS_ROLLUP',
  'TICKET_SPLIT_INVALID',
  'TICKET_SPLIT_MISMATCH',
  'TICKET_HAS_TIME',
  'TICKET_LINK_DUPLICATE',
  'TICKET_FACTS_MISSING',
];
