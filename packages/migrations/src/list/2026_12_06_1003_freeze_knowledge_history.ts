import { defineMigration, type Migration } from '../migration.js';

/**
 * A knowledge article's history never changes (spec §2.26–2.27: every content change is a new immutable
 * version; published versions keep their meaning; nothing leaves archived). The append-only
 * `knowledge_versions` rows were guarded from the start, but the article's state row keeps the same
 * versions, publications and links in `versions_json`, `publications_json` and `links_json`, which a
 * plain UPDATE could rewrite. Two `BEFORE UPDATE` triggers on `<prefix>knowledge_articles`:
 * - `history`: identity and authorship never change, and the three JSON arrays only grow at their end
 *   (a revision appends a version, a publication or link appends its record);
 * - `archived`: once archived, nothing of the row changes.
 * DELETE (so MySQL's REPLACE too) was already refused.
 */
export const freezeKnowledgeHistory: Migration = defineMigration({
  id: '2026_12_06_1003_freeze_knowledge_history',
  name: "A knowledge article's versions, publications and links only grow",
  operations: [
    {
      op: 'frozenColumnsGuard',
      table: 'knowledge_articles',
      name: 'history',
      columns: ['id', 'created_at', 'created_by_employee_id'],
      appendOnly: ['versions_json', 'publications_json', 'links_json'],
    },
    {
      op: 'frozenColumnsGuard',
      table: 'knowledge_articles',
      name: 'archived',
      columns: [
        'id',
        'version',
        'category',
        'state',
        'title',
        'current_version_id',
        'current_version_number',
        'published_version_id',
        'published_version_number',
        'versions_json',
        'publications_json',
        'links_json',
        'created_by_employee_id',
        'created_at',
        'archived_by_employee_id',
        'archive_reason',
        'archived_at',
      ],
      when: { column: 'state', values: ['archived'] },
    },
  ],
});
