import { describe, expect, it } from 'vitest';
import type { AggregateDefinition, EventDraft, Uuid } from '../../kernel/index.js';
import { fixedClock } from '../../testing/clock.js';
import { sequentialIds } from '../../testing/ids.js';
import { createInMemoryEventStore, createInMemoryUnitOfWork } from '../../testing/in-memory-event-store.js';
import type { ArticleState } from '../article/state.js';
import { initialArticleState } from '../article/state.js';
import { article, at, comment, emp, version } from '../test-support.test.js';
import { commentFactsLoader } from './facts.js';
import { type CommentState, initialCommentState } from './state.js';

const identity = <S>(streamType: string, initialState: () => S): AggregateDefinition<S> => ({
  streamType,
  initialState,
  encode: (s) => s,
  decode: (s) => s as S,
});
const definitions = {
  article: identity<ArticleState>('knowledge_article', initialArticleState),
  comment: identity<CommentState>('knowledge_comment', initialCommentState),
};

const ids = sequentialIds(7);
const draft = (streamType: string): EventDraft => ({
  eventId: ids.next(),
  type: 'test.saved',
  schemaVersion: 1,
  streamType,
  occurredAt: at(0),
  actor: { type: 'system', id: null },
  context: {},
  correlationId: null,
  causationId: null,
  payload: {},
});

const stored: ArticleState = {
  status: 'published',
  articleId: article(1),
  category: 'general',
  versions: [
    {
      versionId: version(1),
      versionNumber: 1,
      title: 'VPN',
      content: 'Reconnect.',
      changeSummary: 'Initial version',
      authorEmployeeId: emp(1),
      createdAt: at(0),
    },
  ],
  publishedVersionNumber: 1,
  publications: [{ versionId: version(1), versionNumber: 1, publishedBy: emp(2), publishedAt: at(1) }],
  links: [],
  createdBy: emp(1),
  createdAt: at(0),
};
const parent: CommentState = {
  status: 'posted',
  commentId: comment(1),
  articleId: article(1),
  articleVersionId: version(1),
  versionNumber: 1,
  authorEmployeeId: emp(3),
  body: 'Thanks',
  rating: 5,
  parentCommentId: null,
  at: at(2),
};

async function seeded() {
  const uow = createInMemoryUnitOfWork(createInMemoryEventStore({ clock: fixedClock(at(0)) }));
  await uow.run(async (scope) => {
    await scope
      .aggregate(definitions.article)
      .save(article(1) as Uuid, 0, stored, [draft('knowledge_article')]);
    await scope
      .aggregate(definitions.comment)
      .save(comment(1) as Uuid, 0, parent, [draft('knowledge_comment')]);
  });
  return uow;
}

describe('commentFactsLoader', () => {
  it('given a stored article, when a top-level comment loads its facts, then the article fact only', async () => {
    const uow = await seeded();
    const facts = await uow.run((scope) =>
      commentFactsLoader(definitions, { articleId: article(1) })(scope, {
        state: initialCommentState(),
        version: 0,
      }),
    );
    expect(facts).toEqual({
      article: {
        articleId: article(1),
        status: 'published',
        versions: [{ versionId: version(1), versionNumber: 1 }],
      },
    });
  });

  it('given an answer, when it loads its facts, then the parent comment too; an unknown parent has no article', async () => {
    const uow = await seeded();
    const loaded = { state: initialCommentState(), version: 0 };
    const answer = await uow.run((scope) =>
      commentFactsLoader(definitions, { articleId: article(1), parentCommentId: comment(1) })(scope, loaded),
    );
    expect(answer.parent).toEqual({ commentId: comment(1), articleId: article(1) });
    const orphan = await uow.run((scope) =>
      commentFactsLoader(definitions, { articleId: article(2), parentCommentId: comment(9) })(scope, loaded),
    );
    expect(orphan).toEqual({
      article: { articleId: article(2), status: 'absent', versions: [] },
      parent: { commentId: comment(9), articleId: null },
    });
  });
});
