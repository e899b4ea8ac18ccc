import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>knowledge_links` (spec §2.26 context links; named shorter than `knowledge_article_links`
 * because guarded table names are limited to 22 characters): an article's links to tickets, projects,
 * tasks and customers, one row per `knowledge.linked` event (`id` = the event id). A target is linked at
 * most once (UNIQUE); links are never removed, so the table is append-only by database triggers.
 */
export const createKnowledgeLinks: Migration = defineMigration({
  id: '2026_12_06_0103_create_knowledge_links',
  name: 'Create the append-only knowledge article links',
  operations: [
    {
      op: 'createTable',
      table: 'knowledge_links',
      columns: [
        col.id('id'),
        col.id('article_id'),
        col.enum('kind', ['ticket', 'project', 'task', 'customer']),
        col.id('target_id'),
        col.id('linked_by_employee_id', { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_article_target', columns: ['article_id', 'kind', 'target_id'] }],
      indexes: [
        { name: 'ix_target', columns: ['kind', 'target_id'] },
        { name: 'ix_linked_by', columns: ['linked_by_employee_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    ...appendOnlyGuards('knowledge_links'),
  ],
});
