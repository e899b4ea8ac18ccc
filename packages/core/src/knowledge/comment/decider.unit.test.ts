import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import type { ArticleEvent } from '../article/events.js';
import { evolveArticle, initialArticleState } from '../article/state.js';
import { article, at, comment, emp, tracked, version } from '../test-support.test.js';
import {
  type ArticleFact,
  articleFactOf,
  commentCommandSchema,
  type PostComment,
  parentFactOf,
} from './commands.js';
import { commentDecider } from './decider.js';
import type { CommentEvent } from './events.js';
import { COMMENT_REJECTION_CODES } from './rejections.js';
import { initialCommentState } from './state.js';

const { decider, seen } = tracked(commentDecider);
const spec = DeciderSpecification.for(decider);

const a1 = article(1);
const ada = emp(1);
const liveArticle: ArticleFact = {
  articleId: a1,
  status: 'revised',
  versions: [
    { versionId: version(1), versionNumber: 1 },
    { versionId: version(2), versionNumber: 2 },
  ],
};
const post: PostComment = {
  type: 'post',
  commentId: comment(1),
  articleId: a1,
  articleVersionId: version(2),
  authorEmployeeId: ada,
  body: '  Step 3 also needs a reboot.  ',
  rating: 4,
  parentCommentId: null,
  at: at(60),
};
const posted: CommentEvent = {
  type: 'knowledge.commented',
  payload: {
    commentId: comment(1),
    articleId: a1,
    articleVersionId: version(2),
    versionNumber: 2,
    authorEmployeeId: ada,
    body: '  Step 3 also needs a reboot.  ',
    rating: 4,
    parentCommentId: null,
    at: at(60),
  },
};
const reply: PostComment = {
  ...post,
  commentId: comment(2),
  articleVersionId: version(1),
  rating: null,
  body: 'Correction: only on Windows 10.',
  parentCommentId: comment(1),
};

describe('comment: post', () => {
  test('given nothing, when posted on a version of a live article, then knowledge.commented (body verbatim, version number named)', () => {
    spec.given([]).when(post, { article: liveArticle }).then([posted]);
    spec
      .given([])
      .when(post, { article: liveArticle })
      .thenState({ status: 'posted', ...posted.payload });
  });

  test('comments without a rating, and on a draft, are allowed', () => {
    spec
      .given([])
      .when({ ...post, rating: null }, { article: { ...liveArticle, status: 'draft' } })
      .then([{ type: 'knowledge.commented', payload: { ...posted.payload, rating: null } }]);
  });

  test('given a comment of the same article, when answered (on another version), then a threaded comment', () => {
    spec
      .given([])
      .when(reply, { article: liveArticle, parent: { commentId: comment(1), articleId: a1 } })
      .then([
        {
          type: 'knowledge.commented',
          payload: {
            ...posted.payload,
            commentId: comment(2),
            articleVersionId: version(1),
            versionNumber: 1,
            rating: null,
            body: 'Correction: only on Windows 10.',
            parentCommentId: comment(1),
          },
        },
      ]);
  });

  test('given a posted comment, when posted again (even with a new body), then KNOWLEDGE_COMMENT_ALREADY_EXISTS', () => {
    spec
      .given([posted])
      .when({ ...post, body: 'edited' }, { article: liveArticle })
      .thenRejects('KNOWLEDGE_COMMENT_ALREADY_EXISTS', { commentId: comment(1), postedAt: at(60) });
  });

  test('when the article (or the parent) was not loaded, or another one was, then KNOWLEDGE_FACTS_MISSING', () => {
    spec.given([]).when(post).thenRejects('KNOWLEDGE_FACTS_MISSING', { fact: 'article' });
    spec
      .given([])
      .when(post, { article: { ...liveArticle, articleId: article(2) } })
      .thenRejects('KNOWLEDGE_FACTS_MISSING', { fact: 'article', articleId: a1 });
    spec
      .given([])
      .when(reply, { article: liveArticle })
      .thenRejects('KNOWLEDGE_FACTS_MISSING', { fact: 'parent', parentCommentId: comment(1) });
    spec
      .given([])
      .when(reply, { article: liveArticle, parent: { commentId: comment(9), articleId: a1 } })
      .thenRejects('KNOWLEDGE_FACTS_MISSING', { fact: 'parent' });
  });

  test('given no such article, then KNOWLEDGE_ARTICLE_NOT_FOUND', () => {
    spec
      .given([])
      .when(post, { article: articleFactOf(a1, initialArticleState()) })
      .thenRejects('KNOWLEDGE_ARTICLE_NOT_FOUND', { articleId: a1 });
  });

  test('given an archived article, then KNOWLEDGE_ARTICLE_ARCHIVED', () => {
    spec
      .given([])
      .when(post, { article: { ...liveArticle, status: 'archived' } })
      .thenRejects('KNOWLEDGE_ARTICLE_ARCHIVED', { articleId: a1 });
  });

  test('when the version is not one of the article, then KNOWLEDGE_VERSION_NOT_FOUND', () => {
    spec
      .given([])
      .when({ ...post, articleVersionId: version(3) }, { article: liveArticle })
      .thenRejects('KNOWLEDGE_VERSION_NOT_FOUND', { articleVersionId: version(3), versionCount: 2 });
  });

  test('when the parent is in another article, missing, or the comment itself, then KNOWLEDGE_PARENT_NOT_IN_ARTICLE', () => {
    spec
      .given([])
      .when(reply, { article: liveArticle, parent: { commentId: comment(1), articleId: article(2) } })
      .thenRejects('KNOWLEDGE_PARENT_NOT_IN_ARTICLE', { parentArticleId: article(2), articleId: a1 });
    spec
      .given([])
      .when(reply, { article: liveArticle, parent: parentFactOf(comment(1), initialCommentState()) })
      .thenRejects('KNOWLEDGE_PARENT_NOT_IN_ARTICLE', { parentArticleId: null });
    spec
      .given([])
      .when({ ...post, parentCommentId: comment(1) }, { article: liveArticle })
      .thenRejects('KNOWLEDGE_PARENT_NOT_IN_ARTICLE', { parentCommentId: comment(1) });
  });
});

describe('comment facts and schema', () => {
  test('articleFactOf and parentFactOf read the states a loader holds', () => {
    const history: ArticleEvent[] = [
      {
        type: 'knowledge.created',
        payload: {
          articleId: a1,
          category: 'general',
          version: {
            versionId: version(1),
            versionNumber: 1,
            title: 'T',
            content: 'C',
            changeSummary: 'Initial version',
            authorEmployeeId: ada,
          },
          at: at(0),
        },
      },
    ];
    const state = history.reduce(evolveArticle, initialArticleState());
    expect(articleFactOf(a1, state)).toEqual({
      articleId: a1,
      status: 'draft',
      versions: [{ versionId: version(1), versionNumber: 1 }],
    });
    const postedState = commentDecider.evolve(initialCommentState(), posted);
    expect(parentFactOf(comment(1), postedState)).toEqual({ commentId: comment(1), articleId: a1 });
  });

  test('rating and parent default to null; a rating outside 1..5 or a blank body names its field', () => {
    const { rating: _r, parentCommentId: _p, ...bare } = post;
    expect(commentCommandSchema.parse(bare)).toMatchObject({ rating: null, parentCommentId: null });
    const r = commentCommandSchema.safeParse({ ...post, rating: 0, body: ' \n ' });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['body', 'rating']);
    expect(commentCommandSchema.safeParse({ ...post, rating: 4.5 }).success).toBe(false);
    expect(commentCommandSchema.safeParse({ ...post, rating: 5 }).success).toBe(true);
  });
});

test('every comment rejection code is exercised above', () => {
  expect([...seen].sort()).toEqual([...COMMENT_REJECTION_CODES].sort());
});
