import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>knowledge_versions` (spec §2.27): the immutable versions of an article, one row per
 * `knowledge.created` / `knowledge.revised` event (`id` = the version id), numbered 1, 2, … per article
 * (UNIQUE). Append-only by database triggers: a published version keeps its meaning forever.
 */
export const createKnowledgeVersions: Migration = defineMigration({
  id: '2026_12_06_0102_create_knowledge_versions',
  name: 'Create the append-only knowledge article versions',
  operations: [
    {
      op: 'createTable',
      table: 'knowledge_versions',
      columns: [
        col.id('id'),
        col.id('article_id'),
        col.int('version_number', { unsigned: true }),
        col.text('title', 255),
        col.longText('content'),
        col.text('change_summary', 500),
        col.id('author_employee_id'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_article_version', columns: ['article_id', 'version_number'] }],
      indexes: [
        { name: 'ix_author', columns: ['author_employee_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    ...appendOnlyGuards('knowledge_versions'),
  ],
});
