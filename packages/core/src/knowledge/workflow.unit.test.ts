/**
 * The knowledge deciders driven the way a host drives them: through the kernel's command handler, with
 * the context's registry validating every event and an in-memory unit of work (no database).
 */
import { describe, expect, test } from 'vitest';
import type { AggregateDefinition, CommandRuntime, StoredEvent, Uuid } from '../kernel/index.js';
import { createCommandHandler } from '../kernel/index.js';
import { fixedClock } from '../testing/clock.js';
import { sequentialIds } from '../testing/ids.js';
import { createInMemoryEventStore, createInMemoryUnitOfWork } from '../testing/in-memory-event-store.js';
import { articleCommandSchema } from './article/commands.js';
import { articleDecider } from './article/decider.js';
import { ARTICLE_STREAM_TYPE } from './article/events.js';
import { type ArticleState, publishedVersion } from './article/state.js';
import { articleFactOf, commentCommandSchema } from './comment/commands.js';
import { commentDecider } from './comment/decider.js';
import { COMMENT_STREAM_TYPE } from './comment/events.js';
import type { CommentState } from './comment/state.js';
import { knowledgeEventRegistry, withKnowledgeContext } from './events.js';
import { createFromSuggestion, linkFromSuggestion, suggestForResolvedTicket } from './suggestion/suggest.js';
import { article, at, comment, customer, emp, ticket, version } from './test-support.test.js';

const articleDefinition: AggregateDefinition<ArticleState> = {
  streamType: ARTICLE_STREAM_TYPE,
  initialState: articleDecider.initialState,
  encode: (s) => s,
  decode: (s) => s as ArticleState,
};
const commentDefinition: AggregateDefinition<CommentState> = {
  streamType: COMMENT_STREAM_TYPE,
  initialState: commentDecider.initialState,
  encode: (s) => s,
  decode: (s) => s as CommentState,
};

function setup() {
  const store = createInMemoryEventStore();
  const runtime: CommandRuntime = {
    unitOfWork: createInMemoryUnitOfWork(store),
    registry: knowledgeEventRegistry,
    clock: fixedClock('2026-03-02T09:00:00.000000Z', 1_000_000),
    ids: sequentialIds(),
  };
  const handleArticle = createCommandHandler(runtime, {
    definition: articleDefinition,
    commandSchema: articleCommandSchema,
    // The events carry the references KPI scopes and the feed need.
    decider: withKnowledgeContext(articleDecider),
  });
  const handleComment = createCommandHandler(runtime, {
    definition: commentDefinition,
    decider: withKnowledgeContext(commentDecider),
    commandSchema: commentCommandSchema,
  });
  const all = async (): Promise<StoredEvent[]> => {
    const out: StoredEvent[] = [];
    for await (const e of store.readAll()) out.push(e);
    return out;
  };
  return { handleArticle, handleComment, all };
}

const actor = { type: 'employee', id: emp(1) } as const;
/** An entity id as the stream id it also is. */
const stream = (id: string): Uuid => id as Uuid;

describe('knowledge through the command handler', () => {
  test('a resolved ticket becomes a published article with a rated comment; retries and relinks add nothing', async () => {
    const { handleArticle, handleComment, all } = setup();
    const a = article(1);
    const offer = suggestForResolvedTicket(
      {
        ticketId: ticket(1),
        customerId: customer(1),
        subject: 'VPN drops after sleep',
        resolvedBy: emp(1),
        resolvedAt: at(0),
      },
      [],
    );
    if (offer.kind !== 'suggest') throw new Error('expected an offer');

    const create = createFromSuggestion(offer.event.payload, {
      articleId: a,
      versionId: version(1),
      authorEmployeeId: emp(1),
      content: 'Disable power saving on the adapter.',
      at: at(1),
    });
    const metadata = { actor, idempotencyKey: 'create-article-1' };
    const first = await handleArticle({ streamId: stream(a), command: create, metadata });
    const retried = await handleArticle({ streamId: stream(a), command: create, metadata });
    expect(first.ok && first.value.events.map((e) => e.type)).toEqual([
      'knowledge.created',
      'knowledge.linked',
      'knowledge.linked',
    ]);
    expect(retried.ok && retried.value.duplicate).toBe(true);

    const published = await handleArticle({
      streamId: stream(a),
      command: { type: 'publish', versionNumber: 1, publishedBy: emp(2), at: at(2) },
      metadata: { actor },
    });
    expect(published.ok && published.value.state.status).toBe('published');

    // Linking the same ticket again (the host acted on the offer twice) writes nothing.
    const relink = await handleArticle({
      streamId: stream(a),
      command: linkFromSuggestion(offer.event.payload, { linkedBy: emp(1), at: at(3) }),
      metadata: { actor },
    });
    expect(relink.ok && relink.value.events).toEqual([]);

    const revised = await handleArticle({
      streamId: stream(a),
      command: {
        type: 'revise',
        versionId: version(2),
        basedOnVersionNumber: 1,
        title: 'VPN drops after sleep',
        content: 'Disable power saving, then reboot.',
        changeSummary: 'Reboot needed',
        authorEmployeeId: emp(3),
        at: at(4),
      },
      metadata: { actor },
    });
    if (!revised.ok || revised.value.state.status === 'absent') throw new Error('expected a revision');
    expect(revised.value.state.status).toBe('revised');
    expect(publishedVersion(revised.value.state)?.content).toBe('Disable power saving on the adapter.');

    // The comment's facts are loaded inside the same unit of work.
    const posted = await handleComment({
      streamId: stream(comment(1)),
      command: {
        type: 'post',
        commentId: comment(1),
        articleId: a,
        articleVersionId: version(1),
        authorEmployeeId: emp(4),
        body: 'Worked for me.',
        rating: 5,
        parentCommentId: null,
        at: at(5),
      },
      loadFacts: async (scope) => ({
        article: articleFactOf(a, (await scope.aggregate(articleDefinition).load(stream(a))).state),
      }),
      metadata: { actor },
    });
    expect(posted.ok && posted.value.state).toMatchObject({ status: 'posted', versionNumber: 1, rating: 5 });

    const events = await all();
    expect(events.map((e) => `${e.streamType} ${e.type}`)).toEqual([
      'knowledge_article knowledge.created',
      'knowledge_article knowledge.linked',
      'knowledge_article knowledge.linked',
      'knowledge_article knowledge.published',
      'knowledge_article knowledge.revised',
      'knowledge_comment knowledge.commented',
    ]);
    expect(events[1]?.context).toEqual({ articleId: a, ticketId: ticket(1) });
    expect(events[2]?.context).toEqual({ articleId: a, customerId: customer(1) });
    expect(events[5]?.context).toEqual({ articleId: a });
    // Replaying the article's stored stream gives the state the handler saved.
    const replayed = events
      .filter((e) => e.streamType === ARTICLE_STREAM_TYPE)
      .map((e) => ({ type: e.type, payload: e.payload }) as Parameters<typeof articleDecider.evolve>[1])
      .reduce(articleDecider.evolve, articleDecider.initialState());
    expect(replayed).toEqual(revised.value.state);
  });

  test('bad input is a validation error naming the field, and nothing is written', async () => {
    const { handleArticle, all } = setup();
    await expect(
      handleArticle({
        streamId: stream(article(2)),
        command: {
          type: 'create',
          articleId: article(2),
          versionId: version(9),
          category: 'general',
          title: '   ',
          content: 'x',
          changeSummary: 'Initial version',
          authorEmployeeId: emp(1),
          links: [],
          at: at(0),
        },
        metadata: { actor },
      }),
    ).rejects.toThrow(/title/);
    expect(await all()).toEqual([]);
  });
});
