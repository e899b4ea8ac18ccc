import { describe, expect, test } from 'vitest';
import { article, at, comment, emp, version } from '../test-support.test.js';
import type { PostedComment } from './state.js';
import { commentThreads } from './threads.js';

const c = (n: number, minute: number, parent: number | null): PostedComment => ({
  commentId: comment(n),
  articleId: article(1),
  articleVersionId: version(1),
  versionNumber: 1,
  authorEmployeeId: emp(1),
  body: `comment ${n}`,
  rating: null,
  parentCommentId: parent === null ? null : comment(parent),
  at: at(minute),
});

const shape = (threads: ReturnType<typeof commentThreads>): unknown =>
  threads.map((t) => [t.comment.body, shape(t.replies)]);

describe('comment threads', () => {
  test('roots and answers are ordered oldest first, whatever the input order', () => {
    const list = [c(4, 40, 1), c(2, 20, null), c(3, 30, 1), c(1, 10, null), c(5, 50, 3)];
    expect(shape(commentThreads(list))).toEqual([
      [
        'comment 1',
        [
          ['comment 3', [['comment 5', []]]],
          ['comment 4', []],
        ],
      ],
      ['comment 2', []],
    ]);
  });

  test('ties in time are ordered by id; a comment whose parent is not listed starts its own thread', () => {
    expect(shape(commentThreads([c(2, 10, null), c(1, 10, null), c(3, 5, 99)]))).toEqual([
      ['comment 3', []],
      ['comment 1', []],
      ['comment 2', []],
    ]);
  });

  test('even a parent cycle (which decide never produces) shows every comment exactly once', () => {
    const threads = commentThreads([c(1, 10, 2), c(2, 20, 1)]);
    const all: string[] = [];
    const walk = (ts: ReturnType<typeof commentThreads>): void => {
      for (const t of ts) {
        all.push(t.comment.body);
        walk(t.replies);
      }
    };
    walk(threads);
    expect(all.sort()).toEqual(['comment 1', 'comment 2']);
  });
});
