import type { CommentId } from '../ids.js';
import type { PostedComment } from './state.js';

/** One comment with its answers, oldest first. */
export interface CommentThread {
  readonly comment: PostedComment;
  readonly replies: readonly CommentThread[];
}

const byTimeThenId = (a: PostedComment, b: PostedComment): number =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.commentId < b.commentId ? -1 : a.commentId > b.commentId ? 1 : 0;

/**
 * Arranges one article's comments into threads (roots and answers oldest first, ties by id), for
 * display. Pure and total: a comment whose parent is not in the list starts its own thread, so a
 * partial list still shows every comment exactly once.
 *
 * @example
 * ```ts
 * const threads = commentThreads(posted); // threads[0].replies[0].comment.body …
 * ```
 */
export function commentThreads(comments: readonly PostedComment[]): readonly CommentThread[] {
  const sorted = [...comments].sort(byTimeThenId);
  const ids = new Set<CommentId>(sorted.map((c) => c.commentId));
  const children = new Map<CommentId, PostedComment[]>();
  for (const c of sorted) {
    if (c.parentCommentId === null || !ids.has(c.parentCommentId)) continue;
    const list = children.get(c.parentCommentId) ?? [];
    list.push(c);
    children.set(c.parentCommentId, list);
  }
  const placed = new Set<CommentId>();
  const build = (c: PostedComment): CommentThread => {
    placed.add(c.commentId);
    const replies = (children.get(c.commentId) ?? []).filter((r) => !placed.has(r.commentId)).map(build);
    return { comment: c, replies };
  };
  const roots = sorted.filter((c) => c.parentCommentId === null || !ids.has(c.parentCommentId)).map(build);
  // Input that could never come from decide (a parent cycle) still shows every comment once.
  for (const c of sorted) if (!placed.has(c.commentId)) roots.push(build(c));
  return roots;
}
