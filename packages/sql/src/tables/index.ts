import type { AnyStateTable } from '../state-table.js';
import {
  milestonesTable,
  projectsTable,
  projectVariancesTable,
  soldConstraintsTable,
  tasksTable,
} from './delivery.js';
import { employeesTable, orgStructureVersionsTable, teamMembershipsTable, teamsTable } from './identity.js';
import { knowledgeArticlesTable, knowledgeCommentsTable } from './knowledge.js';
import { slaAssignmentsTable, slaDefinitionsTable, ticketsTable } from './support.js';
import { resourceAllocationsTable, timeEntriesTable } from './time.js';

export {
  milestonesTable,
  projectsTable,
  projectVariancesTable,
  projSoldConstraintsTable,
  soldConstraintsTable,
  tasksTable,
} from './delivery.js';
export {
  employeesTable,
  orgStructureVersionsTable,
  teamMembershipsTable,
  teamsTable,
} from './identity.js';
export {
  knowledgeArticlesTable,
  knowledgeCommentsTable,
  knowledgeLinksTable,
  knowledgeVersionsTable,
} from './knowledge.js';
export {
  SUPPORT_TABLES,
  slaAssignmentsTable,
  slaDefinitionsTable,
  slaEventsTable,
  ticketLinksTable,
  ticketsTable,
} from './support.js';
export { resourceAllocationsTable, timeEntriesTable, timeEntryAdjustmentsTable } from './time.js';

/**
 * Every state table declared on the seam so far (one line per context); `checkStateTables` holds them
 * against the migrations, and a unit of work given this list can load and save every aggregate in it.
 *
 * @example
 * ```ts
 * createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
 * ```
 */
export const STATE_TABLES: readonly AnyStateTable[] = [
  // identity
  employeesTable,
  teamsTable,
  teamMembershipsTable,
  orgStructureVersionsTable,
  // support (ticket_links and sla_events are the ticket's and the assignment's append-only children)
  ticketsTable,
  slaDefinitionsTable,
  slaAssignmentsTable,
  // knowledge (articles with their versions and links as children; comments)
  knowledgeArticlesTable,
  knowledgeCommentsTable,
  // delivery (proj_sold_constraints, one immutable row per baseline version, is the child table of
  // sold_constraint_sets)
  projectsTable,
  soldConstraintsTable,
  milestonesTable,
  tasksTable,
  projectVariancesTable,
  // time (time_entry_adjustments is the entry's append-only child table)
  timeEntriesTable,
  resourceAllocationsTable,
];
