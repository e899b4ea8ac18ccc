import type { Decider } from '../../kernel/index.js';
import type { TimeEntryCommand, TimeEntryFacts } from './commands.js';
import { decideTimeEntry } from './decide.js';
import type { TimeEntryEvent } from './events.js';
import type { TimeEntryRejection } from './rejections.js';
import { evolveTimeEntry, initialTimeEntryState, type TimeEntryState } from './state.js';

/**
 * The time-entry aggregate as a decider (stream type `time_entry`; adjustments are events of the same
 * stream, so the stream's optimistic concurrency keeps net ≥ 0 under concurrent adjustments).
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, { definition, decider: timeEntryDecider, commandSchema: timeEntryCommandSchema });
 * ```
 */
export const timeEntryDecider: Decider<
  TimeEntryState,
  TimeEntryCommand,
  TimeEntryEvent,
  TimeEntryFacts | undefined,
  TimeEntryRejection
> = {
  initialState: initialTimeEntryState,
  decide: decideTimeEntry,
  evolve: evolveTimeEntry,
};
