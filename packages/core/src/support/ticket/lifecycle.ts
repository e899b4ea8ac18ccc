/**
 * Ticket lifecycles per primary container (lifecycle owner), spec §2.22, and what a status change means
 * for the ticket's SLA clock.
 *
 * Reopening (§8.5, decided): PET's helpdesk forbids reopening closed tickets while the cross-engine doc
 * resumes the SLA clock on reopen. Both hold here: `resolved` (support) and `done` (project, internal)
 * are not terminal — a reopen moves the ticket back to `open` / `in_progress` and the resolution clock
 * continues from its elapsed time (the time while resolved does not count). `closed` is terminal and
 * immutable: no reopen, no time; follow-up work is a new ticket linked to the closed one.
 */

import type { TicketEvent } from './events.js';

/** The primary container that owns a ticket's lifecycle. */
export type TicketOwner = 'support' | 'project' | 'internal';

/** Every ticket status of every owner. */
export type TicketStatus =
  | 'new'
  | 'open'
  | 'pending'
  | 'resolved'
  | 'planned'
  | 'ready'
  | 'in_progress'
  | 'blocked'
  | 'done'
  | 'baseline_locked'
  | 'closed'
  | 'archived';

const TRANSITIONS: Readonly<
  Record<TicketOwner, Readonly<Partial<Record<TicketStatus, readonly TicketStatus[]>>>>
> = {
  support: {
    new: ['open'],
    open: ['pending', 'resolved'],
    pending: ['open', 'resolved'],
    resolved: ['open', 'closed'],
    closed: ['archived'],
  },
  project: {
    planned: ['ready', 'baseline_locked'],
    ready: ['in_progress'],
    in_progress: ['blocked', 'done'],
    blocked: ['in_progress'],
    done: ['in_progress', 'closed'],
    closed: ['archived'],
  },
  internal: {
    planned: ['in_progress'],
    in_progress: ['done'],
    done: ['in_progress', 'closed'],
    closed: ['archived'],
  },
};

/**
 * The status a new ticket of `owner` starts in.
 *
 * @example `initialTicketStatus('support')` → `'new'`
 */
export function initialTicketStatus(owner: TicketOwner): TicketStatus {
  return owner === 'support' ? 'new' : 'planned';
}

/**
 * The statuses `owner`'s lifecycle allows after `from`.
 *
 * @example `allowedTicketTransitions('support', 'resolved')` → `['open', 'closed']`
 */
export function allowedTicketTransitions(owner: TicketOwner, from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[owner][from] ?? [];
}

/** What a ticket event does to the ticket's SLA clock (the application sends it to the assignment). */
export type SlaClockEffect = 'pause' | 'resume' | 'respond' | 'resolve' | 'reopen';

/**
 * The SLA clock command a status change implies, or `null`. Waiting on the customer (`pending`) pauses;
 * back to `open` resumes; `resolved` / `done` stops; leaving them again reopens (§8 decision). Assignment
 * and priority changes have no effect at all: reassignment never resets the clock and a priority change
 * never re-binds.
 *
 * @example `slaEffectOfStatusChange('support', 'open', 'pending')` → `'pause'`
 */
export function slaEffectOfStatusChange(
  owner: TicketOwner,
  from: TicketStatus,
  to: TicketStatus,
): SlaClockEffect | null {
  if (owner === 'support') {
    if (to === 'pending') return 'pause';
    if (from === 'pending' && to === 'open') return 'resume';
    if (to === 'resolved') return 'resolve';
    if (from === 'resolved' && to === 'open') return 'reopen';
    return null;
  }
  if (to === 'done') return 'resolve';
  if (from === 'done' && to === 'in_progress') return 'reopen';
  return null;
}

/**
 * The SLA clock command a ticket event implies, or `null`: status changes as in
 * {@link slaEffectOfStatusChange}, the first response → `respond`; assignments, priority changes, splits
 * and links → `null` (reassignment never resets the clock; a priority change never re-binds).
 *
 * @example
 * ```ts
 * const effect = slaEffectOfTicketEvent(ticket.owner, event);
 * if (effect !== null) await handleSla(assignmentId, { type: effect, at: event.payload.at });
 * ```
 */
export function slaEffectOfTicketEvent(owner: TicketOwner, event: TicketEvent): SlaClockEffect | null {
  if (event.type === 'ticket.responded') return 'respond';
  if (event.type === 'ticket.status_changed')
    return slaEffectOfStatusChange(owner, event.payload.from, event.payload.to);
  return null;
}
