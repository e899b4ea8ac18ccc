import type { AnyStateTable } from '../state-table.js';
import {
  leadsTable,
  malleableSchemasTable,
  opportunitiesTable,
  qualificationsTable,
  quotesTable,
  salesTable,
} from './commercial.js';
import { companiesTable, companySlotsTable, peopleTable } from './crm.js';
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
  LEAD_PIPELINE_STATE_TABLES,
  leadsTable,
  malleableSchemasTable,
  opportunitiesTable,
  QUOTING_STATE_TABLES,
  qualificationsTable,
  quotesTable,
  salesTable,
} from './commercial.js';
export { CRM_TABLES, companiesTable, companySlotsTable, peopleTable } from './crm.js';
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
  // crm (the per-day uid counters, uid_sequences, are no aggregate)
  companiesTable,
  companySlotsTable,
  peopleTable,
  // lead pipeline
  malleableSchemasTable,
  leadsTable,
  qualificationsTable,
  opportunitiesTable,
  // quoting (the per-year quote number counters, quote_number_sequences, are no aggregate)
  quotesTable,
  salesTable,
  // support (ticket_links and sla_events are the ticket's and the assignment's append-only children)
  ticketsTable,
  slaDefinitionsTable,
  slaAssignmentsTable,
  // knowledge (articles with their versions and links as children; comments)
  knowledgeArticlesTable,
  knowledgeCommentsTable,
  // delivery (project_sold_constraints, one immutable row per baseline version, is the child table of
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
