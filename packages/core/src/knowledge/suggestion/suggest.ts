import { z } from 'zod';
import { type EmployeeId, employeeIdSchema } from '../../identity/ids.js';
import { type Instant, instantSchema, type Uuid, uuidV7Schema } from '../../kernel/index.js';
import type { CreateArticle, LinkArticle } from '../article/commands.js';
import type { ArticleStatus } from '../article/state.js';
import { DEFAULT_ARTICLE_CATEGORY, type LinkTarget } from '../fields.js';
import type { ArticleId, ArticleVersionId } from '../ids.js';
import {
  MAX_SUGGESTED_CANDIDATES,
  type SuggestedEvent,
  type SuggestedPayload,
  ticketSubjectSchema,
} from './events.js';

/** What a resolved ticket tells this context (the parts of a `ticket.resolved` event it needs). */
export interface TicketResolvedFact {
  readonly ticketId: Uuid;
  readonly customerId: Uuid | null;
  readonly subject: string;
  readonly resolvedBy: EmployeeId | null;
  readonly resolvedAt: Instant;
}

/**
 * Zod schema of a {@link TicketResolvedFact} (subject trimmed; `customerId` and `resolvedBy` default to
 * `null`), for a host that maps the support event into it.
 *
 * @example `parseInput(ticketResolvedFactSchema, { ticketId, subject, resolvedAt }, 'resolved ticket')`
 */
export const ticketResolvedFactSchema: z.ZodType<TicketResolvedFact> = z.object({
  ticketId: uuidV7Schema,
  customerId: uuidV7Schema.nullable().default(null),
  subject: ticketSubjectSchema,
  resolvedBy: employeeIdSchema.nullable().default(null),
  resolvedAt: instantSchema,
});

/** An article the host found related to the ticket (linked to it already, or e.g. a search hit). */
export interface ArticleCandidate {
  readonly articleId: ArticleId;
  readonly status: ArticleStatus;
  /** True when the article is already linked to this ticket. */
  readonly linkedToTicket: boolean;
}

/** What to do after a ticket is resolved: nothing (an article is linked already), or offer a choice. */
export type ResolutionSuggestion =
  | { readonly kind: 'already_linked'; readonly articleIds: readonly ArticleId[] }
  | { readonly kind: 'suggest'; readonly event: SuggestedEvent };

/**
 * Turns a resolved ticket into the offer to link or create an article (spec §2.26). Pure: the host
 * loads the related articles (`candidates`, best first). When a non-archived article (a draft
 * counts: somebody is writing it) is linked to the ticket already, nothing is offered; otherwise the
 * `knowledge.suggested` event lists the live (published or revised) candidates, without repeats, at
 * most {@link MAX_SUGGESTED_CANDIDATES}.
 *
 * @example
 * ```ts
 * const s = suggestForResolvedTicket({ ticketId, customerId, subject: 'VPN drops', resolvedBy, resolvedAt }, hits);
 * if (s.kind === 'suggest') prompt(s.event.payload.candidateArticleIds);
 * ```
 */
export function suggestForResolvedTicket(
  resolved: TicketResolvedFact,
  candidates: readonly ArticleCandidate[],
): ResolutionSuggestion {
  // A retired (archived) article linked to the ticket does not count: its knowledge is out of date.
  const linked = candidates
    .filter((c) => c.linkedToTicket && c.status !== 'archived')
    .map((c) => c.articleId);
  if (linked.length > 0) return { kind: 'already_linked', articleIds: [...new Set(linked)] };
  const live = candidates
    .filter((c) => c.status === 'published' || c.status === 'revised')
    .map((c) => c.articleId);
  return {
    kind: 'suggest',
    event: {
      type: 'knowledge.suggested',
      payload: {
        ticketId: resolved.ticketId,
        customerId: resolved.customerId,
        subject: resolved.subject.trim(),
        resolvedBy: resolved.resolvedBy,
        candidateArticleIds: [...new Set(live)].slice(0, MAX_SUGGESTED_CANDIDATES),
        at: resolved.resolvedAt,
      },
    },
  };
}

/** The ticket and (when known) the customer: what an article chosen for a suggestion is linked to. */
function suggestionTargets(s: SuggestedPayload): readonly LinkTarget[] {
  const ticket: LinkTarget = { kind: 'ticket', id: s.ticketId };
  return s.customerId === null ? [ticket] : [ticket, { kind: 'customer', id: s.customerId }];
}

/**
 * The command that accepts a suggestion by linking an existing article (any article, not only a
 * candidate) to the ticket and its customer. Idempotent like every link.
 *
 * @example
 * ```ts
 * const command = linkFromSuggestion(s.event.payload, { linkedBy, at });
 * await handleArticle({ streamId: articleId, command, metadata: { actor } });
 * ```
 */
export function linkFromSuggestion(
  suggestion: SuggestedPayload,
  input: { readonly linkedBy: EmployeeId | null; readonly at: Instant },
): LinkArticle {
  return { type: 'link', targets: suggestionTargets(suggestion), linkedBy: input.linkedBy, at: input.at };
}

/** What a new article written from a suggestion needs beyond the suggestion itself. */
export interface ArticleFromSuggestionInput {
  readonly articleId: ArticleId;
  readonly versionId: ArticleVersionId;
  readonly authorEmployeeId: EmployeeId;
  readonly content: string;
  /** Defaults to the ticket subject (cut to 255 characters). */
  readonly title?: string;
  /** Defaults to `general`. */
  readonly category?: string;
  readonly at: Instant;
}

const MAX_TITLE = 255;

/** The longest prefix of at most `max` UTF-16 units that does not split a code point (an emoji). */
function cut(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/**
 * The command that accepts a suggestion by writing a new article: a draft titled after the ticket,
 * linked to the ticket and its customer from the start.
 *
 * @example
 * ```ts
 * const command = createFromSuggestion(s.event.payload, {
 *   articleId,
 *   versionId: firstVersionId,
 *   authorEmployeeId,
 *   content,
 *   at,
 * });
 * ```
 */
export function createFromSuggestion(
  suggestion: SuggestedPayload,
  input: ArticleFromSuggestionInput,
): CreateArticle {
  const title = input.title ?? cut(suggestion.subject.trim(), MAX_TITLE).trim();
  return {
    type: 'create',
    articleId: input.articleId,
    versionId: input.versionId,
    category: input.category ?? DEFAULT_ARTICLE_CATEGORY,
    title,
    content: input.content,
    changeSummary: 'Written after the ticket was resolved',
    authorEmployeeId: input.authorEmployeeId,
    links: suggestionTargets(suggestion),
    at: input.at,
  };
}
