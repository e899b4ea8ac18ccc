import { defineMigration, type Migration } from '../migration.js';
import { CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>opportunities`: the state table of the `opportunity` aggregate. `stage` follows open →
 * proposal → negotiation → won | lost; `state` is active | archived. The estimated value is integer
 * minor units plus its currency; the probability is basis points.
 */
export const createOpportunities: Migration = defineMigration({
  id: '2026_11_22_0023_create_opportunities',
  name: 'Create opportunities',
  operations: [
    {
      op: 'createTable',
      table: 'opportunities',
      columns: [
        col.id('id'),
        col.int('version', { unsigned: true }),
        col.enum('state', ['active', 'archived']),
        col.enum('stage', ['open', 'proposal', 'negotiation', 'won', 'lost']),
        col.id('lead_id'),
        col.id('qualification_id', { nullable: true }),
        col.id('customer_id'),
        col.enum('opportunity_class', ['gold', 'silver', 'bronze']),
        col.basisPoints('probability_bp'),
        col.money('estimated_value_minor'),
        col.text('currency', 3),
        col.id('owner_employee_id', { nullable: true }),
        col.id('team_id', { nullable: true }),
        col.text('quote_id', 64, { nullable: true }),
        col.text('loss_reason', 1000, { nullable: true }),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      indexes: [
        { name: 'ix_lead_id', columns: ['lead_id'] },
        { name: 'ix_customer_stage', columns: ['customer_id', 'stage'] },
        { name: 'ix_stage', columns: ['stage'] },
        { name: 'ix_state', columns: ['state'] },
        { name: 'ix_owner_employee_id', columns: ['owner_employee_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
  ],
});
