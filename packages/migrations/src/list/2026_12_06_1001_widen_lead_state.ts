import { defineMigration, type Migration } from '../migration.js';

/**
 * `leads.state` gains `converted` (spec §2.5: qualified → converted → archived). Until now a converted
 * lead was stored as `state = 'qualified'` with `converted_at` set; the data step `lead_converted_state`
 * of `@pet-ops/sql` moves those rows to `state = 'converted'` (only rows still in that old form, so it is
 * idempotent). The lead is the same lead: its version and times are not touched.
 */
export const widenLeadState: Migration = defineMigration({
  id: '2026_12_06_1001_widen_lead_state',
  name: 'Widen leads.state with converted',
  operations: [
    {
      op: 'widenEnum',
      table: 'leads',
      column: 'state',
      values: ['created', 'qualified', 'disqualified', 'archived', 'converted'],
    },
    {
      op: 'dataStep',
      step: 'lead_converted_state',
      description: 'leads stored as state qualified with converted_at set become state converted',
    },
  ],
});
