import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>knowledge_comments` (spec §2.28): the state table of the `knowledge_comment` aggregate, a
 * one-event stream, so a row is written once (the unit of work's single insert at version 1) and never
 * changes: append-only by database triggers (corrections are new comments). `version_number` is the
 * number of the commented version; `rating` 1–5 or NULL; `parent_comment_id` the comment answered.
 */
export const createKnowledgeComments: Migration = defineMigration({
  id: '2026_12_06_0104_create_knowledge_comments',
  name: 'Create the append-only knowledge comments',
  operations: [
    {
      op: 'createTable',
      table: 'knowledge_comments',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.id('article_id'),
        col.id('article_version_id'),
        col.int('version_number', { unsigned: true }),
        col.id('author_employee_id'),
        col.longText('body'),
        col.smallint('rating', { unsigned: true, nullable: true }),
        col.id('parent_comment_id', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_article', columns: ['article_id', 'created_at'] },
        { name: 'ix_article_version', columns: ['article_version_id'] },
        { name: 'ix_author', columns: ['author_employee_id'] },
        { name: 'ix_parent', columns: ['parent_comment_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    ...appendOnlyGuards('knowledge_comments'),
  ],
});
