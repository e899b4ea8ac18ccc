import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>knowledge_articles` (spec §2.26): the state table of the `knowledge_article` aggregate (one row =
 * the fold of its events). Identity and state as columns (category, state, the current and the published
 * version, authorship, archive); the current title for listings. The article's history as the aggregate
 * folds it — every version, every publication, every link — is kept in `versions_json`,
 * `publications_json` and `links_json`, because a state row alone must give back the aggregate's state;
 * the queryable, append-only copies of versions and links are the child tables `knowledge_versions` and
 * `knowledge_links`, written from the same events in the same transaction.
 */
export const createKnowledgeArticles: Migration = defineMigration({
  id: '2026_12_06_0101_create_knowledge_articles',
  name: 'Create knowledge articles',
  operations: [
    {
      op: 'createTable',
      table: 'knowledge_articles',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.text('category', 50, { default: 'general' }),
        col.enum('state', ['draft', 'published', 'revised', 'archived'], { default: 'draft' }),
        col.text('title', 255),
        col.id('current_version_id'),
        col.int('current_version_number', { unsigned: true }),
        col.id('published_version_id', { nullable: true }),
        col.int('published_version_number', { unsigned: true, nullable: true }),
        col.json('versions_json'),
        col.json('publications_json'),
        col.json('links_json'),
        col.id('created_by_employee_id'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
        col.id('archived_by_employee_id', { nullable: true }),
        col.text('archive_reason', 500, { nullable: true }),
        col.instant('archived_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_category_state', columns: ['category', 'state'] },
        { name: 'ix_current_version', columns: ['current_version_id'] },
        { name: 'ix_published_version', columns: ['published_version_id'] },
        { name: 'ix_created_by', columns: ['created_by_employee_id'] },
        { name: 'ix_archived_by', columns: ['archived_by_employee_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
        { name: 'ix_archived_at', columns: ['archived_at'] },
      ],
    },
  ],
});
