import { defineMigration, type Migration } from '../migration.js';
import { appendOnlyGuards, CURRENT_INSTANT, col } from '../vocabulary.js';

/**
 * `<prefix>ticket_links` (spec §2.22): a ticket's links to other contexts (never a second primary
 * container), one row per `ticket.link_added` event (`id` is the event's id), written by the unit of work
 * with the ticket's row. Append-only by database triggers; a link is never edited or removed.
 */
export const createTicketLinks: Migration = defineMigration({
  id: '2026_12_06_0302_create_ticket_links',
  name: 'Create the append-only ticket links',
  operations: [
    {
      op: 'createTable',
      table: 'ticket_links',
      columns: [
        col.id('id'),
        col.id('ticket_id'),
        col.enum('link_type', ['project', 'quote', 'site', 'customer', 'ticket', 'external']),
        col.text('linked_id', 64, { binary: true }),
        col.instant('linked_at'),
        col.instant('created_at', { default: CURRENT_INSTANT }),
      ],
      primaryKey: ['id'],
      uniques: [{ name: 'uq_ticket_link', columns: ['ticket_id', 'link_type', 'linked_id'] }],
      indexes: [
        { name: 'ix_linked', columns: ['link_type', 'linked_id'] },
        { name: 'ix_created_at', columns: ['created_at'] },
      ],
    },
    ...appendOnlyGuards('ticket_links'),
  ],
});
