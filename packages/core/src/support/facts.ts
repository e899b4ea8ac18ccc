/**
 * Facts loaders of the support context: what a ticket, SLA definition or SLA assignment decision needs
 * from other aggregates, read through the unit of work's scope (in the command's transaction, re-run on
 * every retry). Pure: they use only the `UnitOfWorkScope` port and the adapter's aggregate definitions.
 *
 * @module
 */
import { z } from 'zod';
import { type BusinessCalendar, businessCalendarSchema } from '../calendar/index.js';
import type { TeamId } from '../identity/ids.js';
import {
  type AggregateDefinition,
  type FactsLoader,
  parseInput,
  type Uuid,
  uuidSchema,
} from '../kernel/index.js';
import type { SlaDefinitionId, TicketId } from './ids.js';
import type { SlaAssignmentFacts, SlaVersionFact } from './sla-assignment/commands.js';
import type { SlaAssignmentState } from './sla-assignment/state.js';
import type { SlaDefinitionFacts } from './sla-definition/commands.js';
import type { SlaDefinitionState } from './sla-definition/state.js';
import type { ParentTicketFact, TicketFacts } from './ticket/commands.js';
import type { TicketState } from './ticket/state.js';

// What a caller hands a loader is checked when the loader is made: a wrong shape is a ValidationError
// naming it, not a TypeError inside the command's transaction.
const bindInputSchema = z.object({ slaDefinitionId: uuidSchema, calendar: businessCalendarSchema });
const slaDefinitionInputSchema = z.object({
  name: z.string().min(1).max(255),
  previousVersionId: uuidSchema.nullable(),
});
const ticketInputSchema = z.object({
  parentTicketId: uuidSchema.nullable().optional(),
  pullerTeamIds: z.array(uuidSchema).max(10_000).optional(),
  loggedMinutes: z.number().int().min(0).optional(),
});

/** How the support aggregates are stored (the adapter's definitions, e.g. `@pet-ops/sql`'s `supportBindings`). */
export interface SupportDefinitions {
  readonly ticket: AggregateDefinition<TicketState>;
  readonly slaDefinition: AggregateDefinition<SlaDefinitionState>;
  readonly slaAssignment: AggregateDefinition<SlaAssignmentState>;
}

/**
 * The {@link SlaVersionFact} of a loaded SLA version, or `undefined` when it does not exist.
 *
 * @example `slaVersionFactOf(loaded.state)?.status` → `'published'`
 */
export function slaVersionFactOf(state: SlaDefinitionState): SlaVersionFact | undefined {
  if (state.status === 'absent') return undefined;
  return {
    slaDefinitionId: state.slaDefinitionId,
    versionNumber: state.versionNumber,
    status: state.status,
    terms: state.terms,
  };
}

/**
 * The {@link ParentTicketFact} of a loaded ticket, or `undefined` when it does not exist.
 *
 * @example `parentTicketFactOf(loaded.state)?.children.length` → `2`
 */
export function parentTicketFactOf(state: TicketState): ParentTicketFact | undefined {
  if (state.status === 'absent') return undefined;
  return { ticketId: state.ticketId, rootTicketId: state.rootTicketId, children: state.children };
}

/**
 * The facts loader of an SLA `bind`: loads the SLA version `slaDefinitionId` through the scope and pairs
 * it with the current version of its calendar (calendars are configuration the host supplies). An
 * unknown version leaves `sla` out, so the decision is `SLA_ASSIGNMENT_FACTS_MISSING`.
 *
 * @example
 * ```ts
 * await handleSla({ streamId: assignmentId, command: bind, metadata, loadFacts: slaBindFactsLoader(definitions, slaId, calendar) });
 * ```
 */
export function slaBindFactsLoader(
  definitions: Pick<SupportDefinitions, 'slaDefinition'>,
  slaDefinitionId: SlaDefinitionId,
  calendar: BusinessCalendar,
): FactsLoader<SlaAssignmentState, SlaAssignmentFacts | undefined> {
  parseInput(bindInputSchema, { slaDefinitionId, calendar }, 'slaBindFactsLoader');
  return async (scope) => {
    const loaded = await scope.aggregate(definitions.slaDefinition).load(slaDefinitionId as string as Uuid);
    const sla = slaVersionFactOf(loaded.state);
    return sla === undefined ? { calendar } : { sla, calendar };
  };
}

/**
 * The facts loader of an SLA definition `create`: the latest version number of the name. For a new name
 * pass `previousVersionId: null` (latest = `null`); for version n + 1 pass the id of version n, loaded
 * through the scope — a different name, or no such version, leaves the fact out
 * (`SLA_FACTS_MISSING`). The database's UNIQUE(name, version_number) refuses a version that another
 * writer created first.
 *
 * @example
 * ```ts
 * loadFacts: slaDefinitionFactsLoader(definitions, { name: 'Gold', previousVersionId: goldV1Id })
 * ```
 */
export function slaDefinitionFactsLoader(
  definitions: Pick<SupportDefinitions, 'slaDefinition'>,
  input: { readonly name: string; readonly previousVersionId: SlaDefinitionId | null },
): FactsLoader<SlaDefinitionState, SlaDefinitionFacts | undefined> {
  parseInput(slaDefinitionInputSchema, input, 'slaDefinitionFactsLoader');
  return async (scope) => {
    if (input.previousVersionId === null) return { latestVersionNumber: null };
    const previous = await scope
      .aggregate(definitions.slaDefinition)
      .load(input.previousVersionId as string as Uuid);
    if (previous.state.status === 'absent' || previous.state.terms.name !== input.name) return {};
    return { latestVersionNumber: previous.state.versionNumber };
  };
}

/**
 * The facts loader of a ticket command: for a split child's `create`, its parent loaded through the
 * scope; the puller's teams and the minutes already logged come from their own contexts (identity,
 * time) and are passed through as given.
 *
 * @example
 * ```ts
 * loadFacts: ticketFactsLoader(definitions, { parentTicketId: command.parentTicketId })
 * ```
 */
export function ticketFactsLoader(
  definitions: Pick<SupportDefinitions, 'ticket'>,
  input: {
    readonly parentTicketId?: TicketId | null;
    readonly pullerTeamIds?: readonly TeamId[];
    readonly loggedMinutes?: number;
  },
): FactsLoader<TicketState, TicketFacts | undefined> {
  parseInput(ticketInputSchema, input, 'ticketFactsLoader');
  return async (scope) => {
    const facts: { parent?: ParentTicketFact; pullerTeamIds?: readonly TeamId[]; loggedMinutes?: number } =
      {};
    if (input.pullerTeamIds !== undefined) facts.pullerTeamIds = input.pullerTeamIds;
    if (input.loggedMinutes !== undefined) facts.loggedMinutes = input.loggedMinutes;
    const parentId = input.parentTicketId ?? null;
    if (parentId !== null) {
      const parent = await scope.aggregate(definitions.ticket).load(parentId as string as Uuid);
      const fact = parentTicketFactOf(parent.state);
      if (fact !== undefined) facts.parent = fact;
    }
    return facts;
  };
}
