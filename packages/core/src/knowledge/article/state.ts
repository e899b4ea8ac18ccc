import type { EmployeeId } from '../../identity/ids.js';
import type { Instant } from '../../kernel/index.js';
import { type LinkTarget, sameTarget } from '../fields.js';
import type { ArticleId, ArticleVersionId } from '../ids.js';
import type { ArticleEvent, VersionPayload } from './events.js';

/**
 * An article's lifecycle (spec §2.26): draft → published → revised → published …; published (or
 * revised) → archived; nothing leaves archived. `revised` is a published article with a newer,
 * unpublished version: readers still see the published one.
 */
export type ArticleStatus = 'draft' | 'published' | 'revised' | 'archived';

/** One immutable version (a row of `knowledge_versions`). Never changes once in the state. */
export interface ArticleVersion extends VersionPayload {
  readonly createdAt: Instant;
}

/** One publication: which version became the published one, by whom and when. */
export interface ArticlePublication {
  readonly versionId: ArticleVersionId;
  readonly versionNumber: number;
  readonly publishedBy: EmployeeId;
  readonly publishedAt: Instant;
}

/** One link with who made it and when (a link is never removed). */
export interface ArticleLink {
  readonly target: LinkTarget;
  readonly linkedBy: EmployeeId | null;
  readonly linkedAt: Instant;
}

/** The fields every existing article has. */
export interface ArticleDetails {
  readonly articleId: ArticleId;
  readonly category: string;
  /** Every version, oldest first; `versions[i].versionNumber === i + 1`; the last is the current one. */
  readonly versions: readonly ArticleVersion[];
  /** The version readers see, or `null` while the article was never published. */
  readonly publishedVersionNumber: number | null;
  /** Every publication, oldest first (the history of what readers saw). */
  readonly publications: readonly ArticlePublication[];
  /** Links in the order they were made; no target twice. */
  readonly links: readonly ArticleLink[];
  readonly createdBy: EmployeeId;
  readonly createdAt: Instant;
}

/** An article's state, a union on `status` (`absent` = no stream yet). */
export type ArticleState =
  | { readonly status: 'absent' }
  | (ArticleDetails & { readonly status: 'draft' | 'published' | 'revised' })
  | (ArticleDetails & {
      readonly status: 'archived';
      readonly archivedBy: EmployeeId;
      readonly archivedAt: Instant;
      readonly archiveReason: string | null;
    });

/** An article that exists (any status but `absent`). */
export type ExistingArticle = Exclude<ArticleState, { readonly status: 'absent' }>;

/** The state before any event. @example `initialArticleState()` → `{ status: 'absent' }` */
export function initialArticleState(): ArticleState {
  return { status: 'absent' };
}

/**
 * The current (newest) version of an existing article.
 *
 * @example `currentVersion(state).versionNumber`
 */
export function currentVersion(state: ArticleDetails): ArticleVersion {
  // A created article always has version 1, so the last element exists.
  return state.versions[state.versions.length - 1] as ArticleVersion;
}

/**
 * The version readers see, or `null` when the article was never published.
 *
 * @example `publishedVersion(state)?.content`
 */
export function publishedVersion(state: ArticleDetails): ArticleVersion | null {
  return state.publishedVersionNumber === null ? null : versionByNumber(state, state.publishedVersionNumber);
}

/**
 * One version of the history by its number (1, 2, …), or `null`.
 *
 * @example `versionByNumber(state, 1)?.title`
 */
export function versionByNumber(state: ArticleDetails, versionNumber: number): ArticleVersion | null {
  return state.versions[versionNumber - 1] ?? null;
}

/**
 * True when the article is linked to `target`.
 *
 * @example `isLinked(state, { kind: 'ticket', id: ticketId })`
 */
export function isLinked(state: ArticleDetails, target: LinkTarget): boolean {
  return state.links.some((l) => sameTarget(l.target, target));
}

function toVersion(v: VersionPayload, at: Instant): ArticleVersion {
  return {
    versionId: v.versionId,
    versionNumber: v.versionNumber,
    title: v.title,
    content: v.content,
    changeSummary: v.changeSummary,
    authorEmployeeId: v.authorEmployeeId,
    createdAt: at,
  };
}

/**
 * Folds one event into an article's state. Versions are only ever appended (never rewritten), so a
 * published version keeps its content forever. An event that does not fit the state (which a valid
 * history never contains, e.g. a version number that is not the next one) leaves it unchanged, so
 * `evolve` never throws.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveArticle, initialArticleState());
 * ```
 */
export function evolveArticle(state: ArticleState, event: ArticleEvent): ArticleState {
  if (event.type === 'knowledge.created') {
    if (state.status !== 'absent' || event.payload.version.versionNumber !== 1) return state;
    const p = event.payload;
    return {
      status: 'draft',
      articleId: p.articleId,
      category: p.category,
      versions: [toVersion(p.version, p.at)],
      publishedVersionNumber: null,
      publications: [],
      links: [],
      createdBy: p.version.authorEmployeeId,
      createdAt: p.at,
    };
  }
  if (state.status === 'absent' || state.status === 'archived') return state;
  switch (event.type) {
    case 'knowledge.revised': {
      const p = event.payload;
      if (p.version.versionNumber !== state.versions.length + 1) return state;
      return {
        ...state,
        status: state.status === 'draft' ? 'draft' : 'revised',
        versions: [...state.versions, toVersion(p.version, p.at)],
      };
    }
    case 'knowledge.published': {
      const p = event.payload;
      const current = currentVersion(state);
      if (state.status === 'published' || p.versionNumber !== current.versionNumber) return state;
      return {
        ...state,
        status: 'published',
        publishedVersionNumber: p.versionNumber,
        publications: [
          ...state.publications,
          {
            versionId: current.versionId,
            versionNumber: p.versionNumber,
            publishedBy: p.publishedBy,
            publishedAt: p.at,
          },
        ],
      };
    }
    case 'knowledge.archived': {
      if (state.status === 'draft') return state;
      const p = event.payload;
      return {
        ...state,
        status: 'archived',
        archivedBy: p.archivedBy,
        archivedAt: p.at,
        archiveReason: p.reason,
      };
    }
    case 'knowledge.linked': {
      const p = event.payload;
      if (isLinked(state, p.target)) return state;
      return {
        ...state,
        links: [...state.links, { target: p.target, linkedBy: p.linkedBy, linkedAt: p.at }],
      };
    }
  }
}
