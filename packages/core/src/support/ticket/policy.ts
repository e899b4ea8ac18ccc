import { err, ok, type Result, reject } from '../../kernel/index.js';
import type { TicketRejection } from './rejections.js';
import type { TicketState } from './state.js';

/**
 * Whether time may be recorded on the ticket (the time context asks at submit and at lock): only on an
 * existing leaf that is neither closed, archived nor a baseline record. Roll-ups hold no direct time
 * (scenarios 16, 17, 24).
 *
 * @example
 * ```ts
 * const r = ticketAcceptsTime(ticket);
 * if (!r.ok) return err(r.error); // e.g. TICKET_IS_ROLLUP
 * ```
 */
export function ticketAcceptsTime(state: TicketState): Result<true, TicketRejection> {
  if (state.status === 'absent') return err(reject('TICKET_NOT_FOUND', 'no such ticket'));
  if (state.isRollup) {
    return err(
      reject('TICKET_IS_ROLLUP', 'a roll-up accepts no time: record it on a leaf', {
        children: state.children.map((c) => c.ticketId),
      }),
    );
  }
  if (state.status === 'closed' || state.status === 'archived') {
    return err(reject('TICKET_CLOSED', 'a closed ticket accepts no time', { status: state.status }));
  }
  if (state.status === 'baseline_locked') {
    return err(
      reject('TICKET_BASELINE_LOCKED', 'time goes on the execution ticket, not the baseline', {
        status: state.status,
      }),
    );
  }
  return ok(true);
}
