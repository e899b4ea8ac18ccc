import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { type CommentCommand, type CommentFacts, commentCommandSchema } from './commands.js';
import type { CommentEvent } from './events.js';
import type { CommentRejection } from './rejections.js';
import type { CommentState } from './state.js';

type Decision = Result<readonly CommentEvent[], CommentRejection>;

/**
 * Decides a comment command. Rules: a comment is posted once and never changes; it names an existing
 * version of a non-archived article; an answer's parent is a comment of the same article.
 *
 * @example
 * ```ts
 * const r = decideComment(post, initialCommentState(), { article: articleFactOf(articleId, article) });
 * if (!r.ok) console.log(r.error.code); // e.g. KNOWLEDGE_VERSION_NOT_FOUND
 * ```
 */
export function decideComment(
  command: CommentCommand,
  state: CommentState,
  facts: CommentFacts | undefined,
): Decision {
  return checkedDecision(commentCommandSchema, command, 'comment command', () => {
    if (state.status !== 'absent') {
      return err(
        reject('KNOWLEDGE_COMMENT_ALREADY_EXISTS', 'comments are never edited: post a new comment', {
          commentId: state.commentId,
          postedAt: state.at,
        }),
      );
    }
    const article = facts?.article;
    if (article === undefined || article.articleId !== command.articleId) {
      return err(
        reject('KNOWLEDGE_FACTS_MISSING', 'the commented article was not loaded', {
          fact: 'article',
          articleId: command.articleId,
        }),
      );
    }
    if (article.status === 'absent') {
      return err(reject('KNOWLEDGE_ARTICLE_NOT_FOUND', 'no such article', { articleId: command.articleId }));
    }
    if (article.status === 'archived') {
      return err(
        reject('KNOWLEDGE_ARTICLE_ARCHIVED', 'an archived article takes no comments', {
          articleId: command.articleId,
        }),
      );
    }
    const version = article.versions.find((v) => v.versionId === command.articleVersionId);
    if (version === undefined) {
      return err(
        reject('KNOWLEDGE_VERSION_NOT_FOUND', 'the version is not a version of this article', {
          articleId: command.articleId,
          articleVersionId: command.articleVersionId,
          versionCount: article.versions.length,
        }),
      );
    }
    if (command.parentCommentId !== null) {
      if (command.parentCommentId === command.commentId) {
        return err(
          reject('KNOWLEDGE_PARENT_NOT_IN_ARTICLE', 'a comment cannot answer itself', {
            parentCommentId: command.parentCommentId,
            parentArticleId: null,
            articleId: command.articleId,
          }),
        );
      }
      const parent = facts?.parent;
      if (parent === undefined || parent.commentId !== command.parentCommentId) {
        return err(
          reject('KNOWLEDGE_FACTS_MISSING', 'the parent comment was not loaded', {
            fact: 'parent',
            parentCommentId: command.parentCommentId,
          }),
        );
      }
      if (parent.articleId !== command.articleId) {
        return err(
          reject('KNOWLEDGE_PARENT_NOT_IN_ARTICLE', 'the parent comment must belong to the same article', {
            parentCommentId: command.parentCommentId,
            parentArticleId: parent.articleId,
            articleId: command.articleId,
          }),
        );
      }
    }
    return ok([
      {
        type: 'knowledge.commented',
        payload: {
          commentId: command.commentId,
          articleId: command.articleId,
          articleVersionId: command.articleVersionId,
          versionNumber: version.versionNumber,
          authorEmployeeId: command.authorEmployeeId,
          body: command.body,
          rating: command.rating,
          parentCommentId: command.parentCommentId,
          at: command.at,
        },
      },
    ]);
  });
}
