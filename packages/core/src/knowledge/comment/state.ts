import type { CommentEvent, CommentedPayload } from './events.js';

/** A posted comment: its fields never change (additive only; corrections are new comments). */
export type PostedComment = CommentedPayload;

/** A comment's state: `absent` (no stream yet) or `posted`, which is final. */
export type CommentState = { readonly status: 'absent' } | (PostedComment & { readonly status: 'posted' });

/** The state before any event. @example `initialCommentState()` → `{ status: 'absent' }` */
export function initialCommentState(): CommentState {
  return { status: 'absent' };
}

/**
 * Folds one event into a comment's state. Only the first `knowledge.commented` counts; any later event
 * (which a valid history never holds) leaves the comment unchanged, so a comment can never change and
 * `evolve` never throws.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveComment, initialCommentState());
 * ```
 */
export function evolveComment(state: CommentState, event: CommentEvent): CommentState {
  return state.status === 'absent' && event.type === 'knowledge.commented'
    ? { status: 'posted', ...event.payload }
    : state;
}
