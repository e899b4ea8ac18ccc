import { z } from 'zod';
import { type EmployeeId, employeeIdSchema } from '../../identity/ids.js';
import {
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  instantSchema,
  type Uuid,
  uuidV7Schema,
} from '../../kernel/index.js';
import { type ArticleId, articleIdSchema } from '../ids.js';

/**
 * The stream type under which a host may store suggestions: one stream per ticket (stream id = the
 * ticket id), so a ticket resolved twice (reopened in between) keeps both offers in order.
 *
 * @example `eventStore.append({ streamType: SUGGESTION_STREAM_TYPE, streamId: ticketId, … })`
 */
export const SUGGESTION_STREAM_TYPE = 'knowledge_suggestion';

/**
 * Payload of `knowledge.suggested` v1: a resolved ticket has no article yet; the host offers to link
 * one of `candidateArticleIds` or to write a new article (spec §2.26: resolving a ticket prompts
 * linking or creating an article).
 */
export interface SuggestedPayload {
  readonly ticketId: Uuid;
  readonly customerId: Uuid | null;
  /** The ticket's subject: the title a new article starts with. */
  readonly subject: string;
  readonly resolvedBy: EmployeeId | null;
  /** Live (published or revised) related articles the host found, best first, at most 5. */
  readonly candidateArticleIds: readonly ArticleId[];
  /** When the ticket was resolved. */
  readonly at: Instant;
}

/** Most candidates a suggestion carries (a prompt, not a search result page). @example `hits.slice(0, MAX_SUGGESTED_CANDIDATES)` */
export const MAX_SUGGESTED_CANDIDATES = 5;

/**
 * A ticket subject as a suggestion carries it: 1–500 characters after trimming.
 *
 * @example `ticketSubjectSchema.parse(' VPN drops after sleep ')`
 */
export const ticketSubjectSchema: z.ZodType<string, string> = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(500, 'must be at most 500 characters');

/**
 * `knowledge.suggested` v1: the offer to link or create an article for a resolved ticket. A host acts
 * on it with {@link linkFromSuggestion} or {@link createFromSuggestion}; storing it is optional.
 *
 * @example `if (event.type === articleSuggested.type) showPrompt(event.payload.candidateArticleIds);`
 */
export const articleSuggested: EventDefinition<
  'knowledge.suggested',
  z.ZodType<SuggestedPayload>
> = defineEvent({
  type: 'knowledge.suggested',
  version: 1,
  payload: z
    .object({
      ticketId: uuidV7Schema,
      customerId: uuidV7Schema.nullable(),
      subject: ticketSubjectSchema,
      resolvedBy: employeeIdSchema.nullable(),
      candidateArticleIds: z
        .array(articleIdSchema)
        .max(MAX_SUGGESTED_CANDIDATES, `must list at most ${MAX_SUGGESTED_CANDIDATES} articles`),
      at: instantSchema,
    })
    .strict(),
});

/** The suggestion event as {@link suggestForResolvedTicket} returns it. */
export type SuggestedEvent = EventOf<typeof articleSuggested>;

/**
 * The suggestion event definitions (current versions), for the context's registry.
 *
 * @example `createEventRegistry({ events: suggestionEvents }).knownTypes()`
 */
export const suggestionEvents: readonly EventDefinition[] = [articleSuggested];
