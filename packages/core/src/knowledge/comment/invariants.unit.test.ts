import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { assertEvolveNeverThrows, assertReplayDeterministic } from '../../testing/index.js';
import type { ArticleCommand } from '../article/commands.js';
import { articleDecider } from '../article/decider.js';
import type { ArticleState } from '../article/state.js';
import { knowledgeEventRegistry } from '../events.js';
import type { Rating } from '../fields.js';
import type { ArticleId, CommentId } from '../ids.js';
import { article, at, comment, emp, pick, version } from '../test-support.test.js';
import { articleFactOf, type CommentFacts, type PostComment, parentFactOf } from './commands.js';
import { commentDecider } from './decider.js';
import type { CommentEvent } from './events.js';
import type { CommentState } from './state.js';

/** Article 0: a draft with two versions; 1: published; 2: archived; 3: does not exist. */
function articles(): Map<ArticleId, ArticleState> {
  const run = (state: ArticleState, commands: ArticleCommand[]): ArticleState =>
    commands.reduce((s, c) => {
      const r = articleDecider.decide(c, s, undefined);
      if (!r.ok) throw new Error(r.error.code);
      return r.value.reduce(articleDecider.evolve, s);
    }, state);
  const create = (n: number): ArticleCommand => ({
    type: 'create',
    articleId: article(n),
    versionId: version(n * 10 + 1),
    category: 'general',
    title: `Article ${n}`,
    content: 'First',
    changeSummary: 'Initial version',
    authorEmployeeId: emp(1),
    links: [],
    at: at(0),
  });
  const revise: ArticleCommand = {
    type: 'revise',
    versionId: version(2),
    basedOnVersionNumber: 1,
    title: 'Article 0',
    content: 'Second',
    changeSummary: 'More',
    authorEmployeeId: emp(1),
    at: at(1),
  };
  const publish: ArticleCommand = { type: 'publish', versionNumber: 1, publishedBy: emp(1), at: at(2) };
  const archive: ArticleCommand = { type: 'archive', archivedBy: emp(1), reason: null, at: at(3) };
  const empty = articleDecider.initialState();
  return new Map([
    [article(0), run(empty, [create(0), revise])],
    [article(1), run(empty, [create(1), publish])],
    [article(2), run(empty, [create(2), publish, archive])],
    [article(3), empty],
  ]);
}

/** Version ids the steps pick from: every article's real ones plus one that belongs to none. */
const VERSION_POOL = [version(1), version(2), version(11), version(21), version(99)];

const stepArb = fc.record({
  id: pick(10),
  articleIdx: fc.constantFrom(0, 0, 1, 1, 1, 2, 3),
  versionIdx: pick(VERSION_POOL.length),
  parent: fc.option(pick(10), { freq: 2 }),
  rating: fc.option(fc.constantFrom<Rating>(1, 2, 3, 4, 5)),
});

const tally = { posted: 0, answers: 0 };

describe('comment invariants under random command sequences', () => {
  test.prop([fc.array(stepArb, { minLength: 5, maxLength: 40 })], { numRuns: 200 })(
    'a comment never changes once posted; it names a version of its live article; its parent is an earlier comment of the same article',
    (steps) => {
      const arts = articles();
      const comments = new Map<CommentId, { state: CommentState; events: CommentEvent[]; json: string }>();
      const stateOf = (id: CommentId): CommentState =>
        comments.get(id)?.state ?? commentDecider.initialState();
      steps.forEach((s, i) => {
        const articleId = article(s.articleIdx);
        const articleState = arts.get(articleId) ?? articleDecider.initialState();
        const commentId = comment(s.id);
        const parentId = s.parent === null ? null : comment(s.parent);
        const command: PostComment = {
          type: 'post',
          commentId,
          articleId,
          articleVersionId: VERSION_POOL[s.versionIdx] ?? version(99),
          authorEmployeeId: emp(2),
          body: `Comment ${i}`,
          rating: s.rating,
          parentCommentId: parentId,
          at: at(10 + i),
        };
        // What a loader reads: the article and, for an answer, the parent comment.
        const facts: CommentFacts = {
          article: articleFactOf(articleId, articleState),
          ...(parentId === null ? {} : { parent: parentFactOf(parentId, stateOf(parentId)) }),
        };
        const before = stateOf(commentId);
        const r = commentDecider.decide(command, before, facts);
        if (r.ok) {
          for (const e of r.value)
            expect(() => knowledgeEventRegistry.validateDraft({ ...e, schemaVersion: 1 })).not.toThrow();
          const state = r.value.reduce(commentDecider.evolve, before);
          comments.set(commentId, { state, events: [...r.value], json: JSON.stringify(state) });
          tally.posted += 1;
          if (parentId !== null) tally.answers += 1;
          // Only a version of a live article, and only a parent of the same article posted earlier.
          expect(articleState.status === 'absent' || articleState.status === 'archived').toBe(false);
          if (articleState.status === 'absent') return;
          expect(articleState.versions.some((v) => v.versionId === command.articleVersionId)).toBe(true);
          if (parentId !== null) {
            const parent = stateOf(parentId);
            expect(
              parent.status === 'posted' && parent.articleId === articleId && parentId !== commentId,
            ).toBe(true);
          }
        } else if (before.status === 'posted') {
          expect(r.error.code).toBe('KNOWLEDGE_COMMENT_ALREADY_EXISTS');
        }
        for (const [, c] of comments) {
          // Posted comments never change, whatever is attempted later.
          expect(JSON.stringify(c.state)).toBe(c.json);
          expect(c.events).toHaveLength(1);
          expect(JSON.stringify(c.events.reduce(commentDecider.evolve, commentDecider.initialState()))).toBe(
            c.json,
          );
        }
      });
    },
  );

  test('the generator posts comments and answers (the property is not vacuous)', () => {
    expect(tally.posted).toBeGreaterThan(0);
    expect(tally.answers).toBeGreaterThan(0);
  });
});

const eventArb: fc.Arbitrary<CommentEvent> = fc
  .record({
    id: pick(3),
    body: fc.string({ minLength: 1 }),
    rating: fc.option(fc.constantFrom<Rating>(1, 5)),
  })
  .map(
    ({ id, body, rating }): CommentEvent => ({
      type: 'knowledge.commented',
      payload: {
        commentId: comment(id),
        articleId: article(0),
        articleVersionId: version(1),
        versionNumber: 1,
        authorEmployeeId: emp(1),
        body,
        rating,
        parentCommentId: null,
        at: at(0),
      },
    }),
  );

describe('comment laws', () => {
  test('evolve never throws, replay is deterministic, and only the first event counts', () => {
    assertEvolveNeverThrows(commentDecider, fc.array(eventArb, { maxLength: 10 }), { numRuns: 200 });
    assertReplayDeterministic(commentDecider, fc.array(eventArb, { maxLength: 10 }), { numRuns: 200 });
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 10 }), (events) => {
        const state = events.reduce(commentDecider.evolve, commentDecider.initialState());
        expect(state).toEqual({ status: 'posted', ...events[0]?.payload });
      }),
      { numRuns: 200 },
    );
  });
});
