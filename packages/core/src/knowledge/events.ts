import {
  createEventRegistry,
  type Decider,
  type EventContext,
  type EventDefinition,
  type EventRegistry,
  type Rejection,
} from '../kernel/index.js';
import type { ArticleEvent } from './article/events.js';
import { articleEvents } from './article/events.js';
import type { CommentEvent } from './comment/events.js';
import { commentEvents } from './comment/events.js';
import type { LinkKind } from './fields.js';
import type { SuggestedEvent } from './suggestion/events.js';
import { suggestionEvents } from './suggestion/events.js';

/**
 * Every knowledge event definition (each type at its current version), for a host's combined registry:
 * `knowledge.created | revised | published | archived | linked | commented | suggested`.
 *
 * @example
 * ```ts
 * const registry = createEventRegistry({
 *   events: [...Identity.identityEventDefinitions, ...Knowledge.knowledgeEventDefinitions],
 * });
 * ```
 */
export const knowledgeEventDefinitions: readonly EventDefinition[] = [
  ...articleEvents,
  ...commentEvents,
  ...suggestionEvents,
];

/**
 * The knowledge context's event registry (all v1, no upcasters yet).
 *
 * @example `knowledgeEventRegistry.upcast(storedEvent)`
 */
export const knowledgeEventRegistry: EventRegistry = createEventRegistry({
  events: knowledgeEventDefinitions,
});

/** Any event of the knowledge context. */
export type KnowledgeEvent = ArticleEvent | CommentEvent | SuggestedEvent;

const CONTEXT_KEY: Readonly<Record<LinkKind, string>> = {
  ticket: 'ticketId',
  project: 'projectId',
  task: 'taskId',
  customer: 'customerId',
};

/**
 * The envelope context of a knowledge event (spec §1: the references that make it understandable), for
 * KPI scoping and the feed: a link names its ticket, project, task or customer; a suggestion its ticket
 * and customer; every event its article (when it has one).
 *
 * @example
 * ```ts
 * knowledgeEventContext(linkedEvent); // { articleId, ticketId }
 * ```
 */
export function knowledgeEventContext(event: KnowledgeEvent): EventContext {
  switch (event.type) {
    case 'knowledge.linked':
      return {
        articleId: event.payload.articleId,
        [CONTEXT_KEY[event.payload.target.kind]]: event.payload.target.id,
      };
    case 'knowledge.suggested':
      return event.payload.customerId === null
        ? { ticketId: event.payload.ticketId }
        : { ticketId: event.payload.ticketId, customerId: event.payload.customerId };
    default:
      return { articleId: event.payload.articleId };
  }
}

/**
 * Wraps a knowledge decider so that every event it decides carries {@link knowledgeEventContext} (the
 * command handler copies `context` into the envelope). Decisions and rejections are otherwise unchanged.
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, { definition, decider: withKnowledgeContext(articleDecider) });
 * ```
 */
export function withKnowledgeContext<S, C, E extends KnowledgeEvent, F, R extends Rejection>(
  decider: Decider<S, C, E, F, R>,
): Decider<S, C, E & { readonly context: EventContext }, F, R> {
  return {
    initialState: decider.initialState,
    evolve: (state, event) => decider.evolve(state, event),
    decide: (command, state, facts) => {
      const r = decider.decide(command, state, facts);
      return r.ok
        ? { ok: true, value: r.value.map((e) => ({ ...e, context: knowledgeEventContext(e) })) }
        : r;
    },
  };
}
