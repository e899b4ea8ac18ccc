import type { EventDraft, Identity, Instant, Knowledge } from '@pet-ops/core';
import { type ChildTable, defineChildTable, defineStateTable, type StateTable } from '../state-table.js';

const versionColumns = {
  id: { type: 'id' },
  article_id: { type: 'id' },
  version_number: { type: 'int' },
  title: { type: 'text' },
  content: { type: 'longText' },
  change_summary: { type: 'text' },
  author_employee_id: { type: 'id' },
  created_at: { type: 'instant' },
} as const;

/**
 * `<prefix>knowledge_versions` (spec §2.27), an append-only child table of the article: one row per
 * `knowledge.created` / `knowledge.revised` event, `id` = the version id.
 *
 * @example
 * ```ts
 * knowledgeVersionsTable.rowsOf(revisedDraft, articleId); // [{ id: versionId, version_number: 2, … }]
 * ```
 */
export const knowledgeVersionsTable: ChildTable<typeof versionColumns> = defineChildTable({
  table: 'knowledge_versions',
  columns: versionColumns,
  rowsOf: (event: EventDraft, articleId: string) => {
    if (event.type !== 'knowledge.created' && event.type !== 'knowledge.revised') return [];
    const p = event.payload as Knowledge.ArticleCreatedPayload | Knowledge.ArticleRevisedPayload;
    return [
      {
        id: p.version.versionId,
        article_id: articleId,
        version_number: p.version.versionNumber,
        title: p.version.title,
        content: p.version.content,
        change_summary: p.version.changeSummary,
        author_employee_id: p.version.authorEmployeeId,
        created_at: p.at,
      },
    ];
  },
});

const linkColumns = {
  id: { type: 'id' },
  article_id: { type: 'id' },
  kind: { type: 'enum' },
  target_id: { type: 'id' },
  linked_by_employee_id: { type: 'id', nullable: true },
  created_at: { type: 'instant' },
} as const;

/**
 * `<prefix>knowledge_links`, an append-only child table of the article: one row per `knowledge.linked`
 * event (`id` = the event id); UNIQUE(article_id, kind, target_id) in the database.
 *
 * @example
 * ```ts
 * knowledgeLinksTable.rowsOf(linkedDraft, articleId); // [{ kind: 'ticket', target_id: ticketId, … }]
 * ```
 */
export const knowledgeLinksTable: ChildTable<typeof linkColumns> = defineChildTable({
  table: 'knowledge_links',
  columns: linkColumns,
  rowsOf: (event: EventDraft, articleId: string) => {
    if (event.type !== 'knowledge.linked') return [];
    const p = event.payload as Knowledge.ArticleLinkedPayload;
    return [
      {
        id: event.eventId,
        article_id: articleId,
        kind: p.target.kind,
        target_id: p.target.id,
        linked_by_employee_id: p.linkedBy,
        created_at: p.at,
      },
    ];
  },
});

const articleColumns = {
  category: { type: 'text' },
  state: { type: 'enum' },
  title: { type: 'text' },
  current_version_id: { type: 'id' },
  current_version_number: { type: 'int' },
  published_version_id: { type: 'id', nullable: true },
  published_version_number: { type: 'int', nullable: true },
  versions_json: { type: 'json' },
  publications_json: { type: 'json' },
  links_json: { type: 'json' },
  created_by_employee_id: { type: 'id' },
  created_at: { type: 'instant' },
  archived_by_employee_id: { type: 'id', nullable: true },
  archive_reason: { type: 'text', nullable: true },
  archived_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `knowledge_article` aggregate's state table, `<prefix>knowledge_articles` (spec §2.26): identity
 * and state as columns (category, state, current and published version, authorship, archive) and the
 * folded history (versions, publications, links) as JSON, so that the row alone gives back the state.
 * Its children `knowledge_versions` and `knowledge_links` are written from the same events.
 *
 * @example
 * ```ts
 * const uow = createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
 * await uow.run((scope) => scope.aggregate(aggregateOf(knowledgeArticlesTable)).load(articleId));
 * ```
 */
export const knowledgeArticlesTable: StateTable<Knowledge.ArticleState, typeof articleColumns> =
  defineStateTable({
    streamType: 'knowledge_article',
    table: 'knowledge_articles',
    columns: articleColumns,
    initialState: (): Knowledge.ArticleState => ({ status: 'absent' }),
    toRow: (s) => {
      // An absent aggregate is never saved: saving needs events, and every event makes it present.
      if (s.status === 'absent')
        throw new TypeError('knowledgeArticlesTable.toRow: an absent article has no row');
      const current = s.versions[s.versions.length - 1];
      if (current === undefined)
        throw new TypeError('knowledgeArticlesTable.toRow: an article has at least one version');
      const published =
        s.publishedVersionNumber === null ? undefined : s.versions[s.publishedVersionNumber - 1];
      const archived = s.status === 'archived';
      return {
        category: s.category,
        state: s.status,
        title: current.title,
        current_version_id: current.versionId,
        current_version_number: current.versionNumber,
        published_version_id: published?.versionId ?? null,
        published_version_number: published?.versionNumber ?? null,
        versions_json: s.versions,
        publications_json: s.publications,
        links_json: s.links,
        created_by_employee_id: s.createdBy,
        created_at: s.createdAt,
        archived_by_employee_id: archived ? s.archivedBy : null,
        archive_reason: archived ? s.archiveReason : null,
        archived_at: archived ? s.archivedAt : null,
      };
    },
    fromRow: (r, id) => {
      const details: Knowledge.ArticleDetails = {
        articleId: id as Knowledge.ArticleId,
        category: r.category,
        versions: r.versions_json as Knowledge.ArticleVersion[],
        publishedVersionNumber: r.published_version_number,
        publications: r.publications_json as Knowledge.ArticlePublication[],
        links: r.links_json as Knowledge.ArticleLink[],
        createdBy: r.created_by_employee_id as Identity.EmployeeId,
        createdAt: r.created_at as Instant,
      };
      if (r.state === 'archived') {
        return {
          ...details,
          status: 'archived',
          archivedBy: r.archived_by_employee_id as Identity.EmployeeId,
          archivedAt: r.archived_at as Instant,
          archiveReason: r.archive_reason,
        };
      }
      return { ...details, status: r.state as 'draft' | 'published' | 'revised' };
    },
    children: [knowledgeVersionsTable, knowledgeLinksTable],
  });

const commentColumns = {
  article_id: { type: 'id' },
  article_version_id: { type: 'id' },
  version_number: { type: 'int' },
  author_employee_id: { type: 'id' },
  body: { type: 'longText' },
  rating: { type: 'smallint', nullable: true },
  parent_comment_id: { type: 'id', nullable: true },
  created_at: { type: 'instant' },
} as const;

/**
 * The `knowledge_comment` aggregate's state table, `<prefix>knowledge_comments` (spec §2.28). A comment
 * stream holds one event, so its row is inserted once (version 1) and never updated; the database
 * refuses UPDATE and DELETE of it.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(knowledgeCommentsTable)).load(commentId));
 * ```
 */
export const knowledgeCommentsTable: StateTable<Knowledge.CommentState, typeof commentColumns> =
  defineStateTable({
    streamType: 'knowledge_comment',
    table: 'knowledge_comments',
    columns: commentColumns,
    initialState: (): Knowledge.CommentState => ({ status: 'absent' }),
    toRow: (s) => {
      if (s.status === 'absent')
        throw new TypeError('knowledgeCommentsTable.toRow: an absent comment has no row');
      return {
        article_id: s.articleId,
        article_version_id: s.articleVersionId,
        version_number: s.versionNumber,
        author_employee_id: s.authorEmployeeId,
        body: s.body,
        rating: s.rating,
        parent_comment_id: s.parentCommentId,
        created_at: s.at,
      };
    },
    fromRow: (r, id) => ({
      status: 'posted',
      commentId: id as Knowledge.CommentId,
      articleId: r.article_id as Knowledge.ArticleId,
      articleVersionId: r.article_version_id as Knowledge.ArticleVersionId,
      versionNumber: r.version_number,
      authorEmployeeId: r.author_employee_id as Identity.EmployeeId,
      body: r.body,
      rating: r.rating as Knowledge.Rating | null,
      parentCommentId: r.parent_comment_id as Knowledge.CommentId | null,
      at: r.created_at as Instant,
    }),
  });
