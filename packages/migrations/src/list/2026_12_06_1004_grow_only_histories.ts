import { defineMigration, type Migration } from '../migration.js';

/**
 * The histories other state rows keep as JSON arrays only grow, as `knowledge_articles`' do since
 * migration 1003: each is the fold's copy of append-only facts, and a plain UPDATE could otherwise
 * rewrite one already recorded.
 * - `time_entries.adjustments_json`: the entry's adjustments (each also an append-only
 *   `time_entry_adjustments` row; spec §2.20 — time is corrected only by adding an adjustment);
 * - `sold_constraint_sets.versions_json`: every baseline of a project (each also an immutable
 *   `project_sold_constraints` row; spec §2.15 — v1 is kept when v2 arrives);
 * - `tickets.links`: a ticket's links (spec §2.22 — a link is recorded, never removed).
 * The rows' identity columns are frozen with them.
 */
export const growOnlyHistories: Migration = defineMigration({
  id: '2026_12_06_1004_grow_only_histories',
  name: 'Adjustments, baselines and ticket links only grow',
  operations: [
    {
      op: 'frozenColumnsGuard',
      table: 'time_entries',
      name: 'adjustments',
      columns: ['id'],
      appendOnly: ['adjustments_json'],
    },
    {
      op: 'frozenColumnsGuard',
      table: 'sold_constraint_sets',
      name: 'baselines',
      columns: ['id', 'project_id', 'currency'],
      appendOnly: ['versions_json'],
    },
    {
      op: 'frozenColumnsGuard',
      table: 'tickets',
      name: 'links',
      columns: ['id'],
      appendOnly: ['links'],
    },
  ],
});
