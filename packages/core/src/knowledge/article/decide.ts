import type { EmployeeId } from '../../identity/ids.js';
import { err, type Instant, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { distinctTargets, type LinkTarget } from '../fields.js';
import type { ArticleId } from '../ids.js';
import { type ArticleCommand, articleCommandSchema } from './commands.js';
import type { ArticleEvent } from './events.js';
import type { ArticleRejection } from './rejections.js';
import { type ArticleDetails, type ArticleState, currentVersion, isLinked } from './state.js';

type Decision = Result<readonly ArticleEvent[], ArticleRejection>;

function linkEvents(
  articleId: ArticleId,
  already: ArticleDetails | null,
  targets: readonly LinkTarget[],
  linkedBy: EmployeeId | null,
  at: Instant,
): ArticleEvent[] {
  return distinctTargets(targets)
    .filter((target) => already === null || !isLinked(already, target))
    .map((target) => ({ type: 'knowledge.linked', payload: { articleId, target, linkedBy, at } }));
}

/**
 * Decides an article command. Rules: every content change is a new version numbered current + 1
 * (and based on the current version, so no revision is lost); only the current version can be
 * published, and publishing never touches an existing version's content; archive retires a
 * published article and nothing leaves archived; links are idempotent (already linked targets emit
 * nothing).
 *
 * @example
 * ```ts
 * const r = decideArticle({ type: 'publish', versionNumber: 2, publishedBy, at }, state);
 * if (!r.ok) console.log(r.error.code); // e.g. KNOWLEDGE_VERSION_MISMATCH
 * ```
 */
export function decideArticle(command: ArticleCommand, state: ArticleState, _facts?: undefined): Decision {
  return checkedDecision(articleCommandSchema, command, 'article command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') {
        return err(
          reject('KNOWLEDGE_ARTICLE_ALREADY_EXISTS', 'the article exists already', {
            articleId: state.articleId,
            status: state.status,
          }),
        );
      }
      const created: ArticleEvent = {
        type: 'knowledge.created',
        payload: {
          articleId: command.articleId,
          category: command.category.trim(),
          version: {
            versionId: command.versionId,
            versionNumber: 1,
            title: command.title.trim(),
            content: command.content,
            changeSummary: command.changeSummary.trim(),
            authorEmployeeId: command.authorEmployeeId,
          },
          at: command.at,
        },
      };
      return ok([
        created,
        ...linkEvents(command.articleId, null, command.links, command.authorEmployeeId, command.at),
      ]);
    }
    if (state.status === 'absent') return err(reject('KNOWLEDGE_ARTICLE_NOT_FOUND', 'no such article'));
    if (state.status === 'archived') {
      return err(
        reject('KNOWLEDGE_ARTICLE_ARCHIVED', 'an archived article cannot change', {
          articleId: state.articleId,
          archivedAt: state.archivedAt,
        }),
      );
    }
    const current = currentVersion(state);
    switch (command.type) {
      case 'revise': {
        if (command.basedOnVersionNumber !== current.versionNumber) {
          return err(
            reject('KNOWLEDGE_VERSION_MISMATCH', 'the article was revised since this edit began', {
              basedOnVersionNumber: command.basedOnVersionNumber,
              currentVersionNumber: current.versionNumber,
            }),
          );
        }
        const taken = state.versions.find((v) => v.versionId === command.versionId);
        if (taken !== undefined) {
          return err(
            reject('KNOWLEDGE_VERSION_ID_TAKEN', 'the version id is already a version of this article', {
              versionId: command.versionId,
              versionNumber: taken.versionNumber,
            }),
          );
        }
        const title = command.title.trim();
        if (title === current.title && command.content === current.content) {
          return err(
            reject('KNOWLEDGE_CONTENT_UNCHANGED', 'the title and content equal the current version', {
              currentVersionNumber: current.versionNumber,
            }),
          );
        }
        return ok([
          {
            type: 'knowledge.revised',
            payload: {
              articleId: state.articleId,
              version: {
                versionId: command.versionId,
                versionNumber: current.versionNumber + 1,
                title,
                content: command.content,
                changeSummary: command.changeSummary.trim(),
                authorEmployeeId: command.authorEmployeeId,
              },
              at: command.at,
            },
          },
        ]);
      }
      case 'publish': {
        if (command.versionNumber !== current.versionNumber) {
          return err(
            reject('KNOWLEDGE_VERSION_MISMATCH', 'only the current version can be published', {
              versionNumber: command.versionNumber,
              currentVersionNumber: current.versionNumber,
            }),
          );
        }
        if (state.status === 'published') {
          return err(
            reject('KNOWLEDGE_ALREADY_PUBLISHED', 'the current version is already published', {
              publishedVersionNumber: state.publishedVersionNumber,
            }),
          );
        }
        return ok([
          {
            type: 'knowledge.published',
            payload: {
              articleId: state.articleId,
              versionId: current.versionId,
              versionNumber: current.versionNumber,
              previousVersionNumber: state.publishedVersionNumber,
              publishedBy: command.publishedBy,
              at: command.at,
            },
          },
        ]);
      }
      case 'archive': {
        if (state.status === 'draft' || state.publishedVersionNumber === null) {
          return err(
            reject('KNOWLEDGE_NOT_PUBLISHED', 'only a published article can be archived', {
              status: state.status,
              currentVersionNumber: current.versionNumber,
            }),
          );
        }
        return ok([
          {
            type: 'knowledge.archived',
            payload: {
              articleId: state.articleId,
              publishedVersionNumber: state.publishedVersionNumber,
              archivedBy: command.archivedBy,
              reason: command.reason === null ? null : command.reason.trim(),
              at: command.at,
            },
          },
        ]);
      }
      case 'link':
        return ok(linkEvents(state.articleId, state, command.targets, command.linkedBy, command.at));
    }
  });
}
