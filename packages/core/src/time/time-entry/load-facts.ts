import {
  type AggregateDefinition,
  type FactsLoader,
  type UnitOfWorkScope,
  type Uuid,
  ValidationError,
} from '../../kernel/index.js';
import type { ExternalRef } from '../ids.js';
import type { TimeEntryFacts } from './commands.js';
import type { CommercialTerms } from './commercial.js';
import { effectiveAttribution, type TimeEntryState } from './state.js';
import type { ProjectFact, TaskFact, TicketFact, WorkAttribution, WorkContextFacts } from './work-context.js';

/**
 * One kind of fact the time checks read from another context, through the unit of work: `load` answers
 * the fact of an aggregate, or `null` when it has no stream (loaded and does not exist).
 */
export interface FactSource<F> {
  /** The fact of aggregate `id` read through the scope, or `null` when it does not exist. */
  load(scope: UnitOfWorkScope, id: Uuid): Promise<F | null>;
}

/**
 * A {@link FactSource} over an aggregate stored on the unit of work: loads it by id with `definition`
 * (so in the same transaction as the decision) and maps its state with `factOf` (`null` for none).
 *
 * @example
 * ```ts
 * const ticket = factSource(ticketDefinition as AggregateDefinition<TicketLike | { status: 'absent' }>, (s) =>
 *   s.status === 'absent' ? null : ticketFactOf(s as TicketLike),
 * );
 * ```
 */
export function factSource<S, F>(
  definition: AggregateDefinition<S>,
  factOf: (state: S) => F | null,
): FactSource<F> {
  return {
    async load(scope, id) {
      const loaded = await scope.aggregate(definition).load(id);
      return loaded.version === 0 ? null : factOf(loaded.state);
    },
  };
}

/**
 * Where the work-context facts come from. A source left out is "not loaded": a decision that needs it
 * refuses with `TIME_ENTRY_FACTS_MISSING` (checks fail closed).
 */
export interface WorkContextSources {
  readonly ticket?: FactSource<TicketFact>;
  readonly task?: FactSource<TaskFact>;
  readonly project?: FactSource<ProjectFact>;
}

/**
 * Loads the {@link WorkContextFacts} of an attribution: the named task (if any), the resolved ticket
 * (the task's ticket when a task is named, else the attribution's), and the project of the ticket (or
 * else of the task). Facts whose source is not wired are left out.
 *
 * @example
 * ```ts
 * const workContext = await loadWorkContext(scope, { ...attribution }, { ticket, task, project });
 * ```
 */
export async function loadWorkContext(
  scope: UnitOfWorkScope,
  attribution: WorkAttribution,
  sources: WorkContextSources,
): Promise<WorkContextFacts> {
  const out: { task?: TaskFact | null; ticket?: TicketFact | null; project?: ProjectFact | null } = {};
  let ticketId: string | null = attribution.ticketId;
  let taskProject: string | null = null;
  if (attribution.taskId !== null) {
    if (sources.task === undefined) return out;
    const task = await sources.task.load(scope, attribution.taskId as string as Uuid);
    out.task = task;
    if (task === null) return out;
    ticketId = task.ticketId;
    taskProject = task.projectId;
  }
  let projectId = taskProject;
  if (ticketId !== null && sources.ticket !== undefined) {
    const ticket = await sources.ticket.load(scope, ticketId as Uuid);
    out.ticket = ticket;
    projectId = ticket?.projectId ?? taskProject;
  }
  if (projectId !== null && sources.project !== undefined)
    out.project = await sources.project.load(scope, projectId as Uuid);
  return out;
}

/** What {@link timeEntryFactsLoader} adds to the work context (the facts no aggregate holds yet). */
export interface TimeEntryFactsOptions {
  /** The attribution to check instead of the entry's (the target of a re-attribution). */
  readonly attribution?: WorkAttribution;
  readonly lockPeriod?: unknown;
  readonly commercial?: CommercialTerms;
  readonly billing?: { readonly invoiceRef: ExternalRef | null };
}

/**
 * A facts loader for the time-entry command handler: loads the work context of the entry (a draft's
 * own attribution, an attested entry's effective one, or `options.attribution`) through the unit of
 * work, and adds the lock-period, commercial and billing facts given in `options`.
 *
 * @example
 * ```ts
 * await handle({ streamId, command, metadata, loadFacts: timeEntryFactsLoader(sources, { lockPeriod }) });
 * ```
 */
export function timeEntryFactsLoader(
  sources: WorkContextSources,
  options: TimeEntryFactsOptions = {},
): FactsLoader<TimeEntryState, TimeEntryFacts | undefined> {
  // Checked when the loader is made: a null or a number here was a TypeError inside the transaction.
  const isRecord = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const issues = [
    ...(isRecord(sources) ? [] : [{ field: 'sources', rule: 'must be an object of fact sources' }]),
    ...(isRecord(options) ? [] : [{ field: 'options', rule: 'must be an object' }]),
  ];
  if (issues.length > 0) throw new ValidationError('timeEntryFactsLoader', issues);
  return async (scope, loaded) => {
    const { attribution: given, ...rest } = options;
    const state = loaded.state;
    const attribution =
      given ??
      (state.status === 'absent'
        ? undefined
        : state.status === 'draft'
          ? state
          : effectiveAttribution(state));
    if (attribution === undefined) return rest;
    return { ...rest, workContext: await loadWorkContext(scope, attribution, sources) };
  };
}
