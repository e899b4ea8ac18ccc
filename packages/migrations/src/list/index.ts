import type { Migration } from '../migration.js';
import { createSchemaMigrations } from './2026_11_22_0001_create_schema_migrations.js';
import { createDomainEvents } from './2026_11_22_0002_create_domain_events.js';
import { createEmployees } from './2026_11_22_0003_create_employees.js';
import { createTeams } from './2026_11_22_0004_create_teams.js';
import { createTeamMemberships } from './2026_11_22_0005_create_team_memberships.js';
import { createOrgStructureVersions } from './2026_11_22_0006_create_org_structure_versions.js';
import { createCompanies } from './2026_11_22_0007_create_companies.js';
import { createPeople } from './2026_11_22_0008_create_people.js';
import { createCompanySlots } from './2026_11_22_0009_create_company_slots.js';
import { createUidSequences } from './2026_11_22_0010_create_uid_sequences.js';
import { createCrmImportRuns } from './2026_11_22_0011_create_crm_import_runs.js';
import { createCrmDeadLetters } from './2026_11_22_0012_create_crm_dead_letters.js';
import { createMalleableSchemas } from './2026_11_22_0020_create_malleable_schemas.js';
import { createLeads } from './2026_11_22_0021_create_leads.js';
import { createQualifications } from './2026_11_22_0022_create_qualifications.js';
import { createOpportunities } from './2026_11_22_0023_create_opportunities.js';
import { createQuotes } from './2026_11_22_0030_create_quotes.js';
import { createSales } from './2026_11_22_0031_create_sales.js';
import { createQuoteNumberSequences } from './2026_11_22_0032_create_quote_number_sequences.js';
import { createKpiDefinitions } from './2026_11_22_0040_create_kpi_definitions.js';
import { createKpiDefVersions } from './2026_11_22_0041_create_kpi_def_versions.js';
import { createKpiResultSets } from './2026_11_22_0042_create_kpi_result_sets.js';
import { createKpiCheckpoints } from './2026_11_22_0043_create_kpi_checkpoints.js';
import { createKpiResults } from './2026_11_22_0044_create_kpi_results.js';
import { createActivityFeed } from './2026_11_22_0045_create_activity_feed.js';
import { createProjectionOffsets } from './2026_11_22_0046_create_projection_offsets.js';
import { createKpiCheckpointParts } from './2026_11_22_0047_create_kpi_checkpoint_parts.js';
import { createKnowledgeArticles } from './2026_12_06_0101_create_knowledge_articles.js';
import { createKnowledgeVersions } from './2026_12_06_0102_create_knowledge_versions.js';
import { createKnowledgeLinks } from './2026_12_06_0103_create_knowledge_links.js';
import { createKnowledgeComments } from './2026_12_06_0104_create_knowledge_comments.js';
import { createProjects } from './2026_12_06_0201_create_projects.js';
import { createSoldConstraintSets } from './2026_12_06_0202_create_sold_constraint_sets.js';
import { createProjSoldConstraints } from './2026_12_06_0203_create_proj_sold_constraints.js';
import { createMilestones } from './2026_12_06_0204_create_milestones.js';
import { createTasks } from './2026_12_06_0205_create_tasks.js';
import { createProjectVariances } from './2026_12_06_0206_create_project_variances.js';
import { createTickets } from './2026_12_06_0301_create_tickets.js';
import { createTicketLinks } from './2026_12_06_0302_create_ticket_links.js';
import { createSlaDefinitions } from './2026_12_06_0303_create_sla_definitions.js';
import { createSlaAssignments } from './2026_12_06_0304_create_sla_assignments.js';
import { createSlaEvents } from './2026_12_06_0305_create_sla_events.js';
import { createTimeEntries } from './2026_12_06_0401_create_time_entries.js';
import { createTimeEntryAdjustments } from './2026_12_06_0402_create_time_entry_adjustments.js';
import { createResourceAllocations } from './2026_12_06_0403_create_resource_allocations.js';
import { freezeSales } from './2026_12_06_0501_freeze_sales.js';
import { freezeFinalQuotes } from './2026_12_06_0502_freeze_final_quotes.js';
import { freezeAttestedTime } from './2026_12_06_0503_freeze_attested_time.js';
import { addKpiResultSetZone } from './2026_12_06_0701_add_kpi_result_set_zone.js';
import { freezePublishedSlas } from './2026_12_06_0801_freeze_published_slas.js';
import { renameKpiDefinitionVersions } from './2026_12_06_0901_rename_kpi_definition_versions.js';
import { renameActivityFeedProjections } from './2026_12_06_0902_rename_activity_feed_projections.js';
import { renameProjectSoldConstraints } from './2026_12_06_0903_rename_project_sold_constraints.js';
import { refuseDeletes } from './2026_12_06_0904_refuse_deletes.js';
import { addLeadPipelineColumns } from './2026_12_06_0930_add_lead_pipeline_columns.js';
import { addCrmUpdatedAt } from './2026_12_06_0931_add_crm_updated_at.js';
import { addSaleSnapshotColumns } from './2026_12_06_0932_add_sale_snapshot_columns.js';
import { keyCrmDeadLetters } from './2026_12_06_0950_key_crm_dead_letters.js';
import { createQuoteVersions } from './2026_12_06_0960_create_quote_versions.js';
import { createQuoteLineGroups } from './2026_12_06_0961_create_quote_line_groups.js';
import { createQuoteLines } from './2026_12_06_0962_create_quote_lines.js';
import { moveQuoteContentToRows } from './2026_12_06_0963_move_quote_content_to_rows.js';
import { createLeadSchemaVersions } from './2026_12_06_0964_create_lead_schema_versions.js';
import { moveSchemaVersionsToRows } from './2026_12_06_0965_move_schema_versions_to_rows.js';
import { widenLeadState } from './2026_12_06_1001_widen_lead_state.js';
import { widenKpiScopeTypes } from './2026_12_06_1002_widen_kpi_scope_types.js';
import { freezeKnowledgeHistory } from './2026_12_06_1003_freeze_knowledge_history.js';
import { growOnlyHistories } from './2026_12_06_1004_grow_only_histories.js';
import { keyOpenVariances } from './2026_12_06_1005_key_open_variances.js';

/**
 * PET's one authoritative, ordered migration list, used by every entry point (API, CLI, tests).
 * Append new migrations at the end with a later id; never edit, reorder or remove a released one.
 * The first entry is always the journal (bootstrap) migration.
 *
 * @example `expectedSchema(migrations)` → the schema model `verify` compares the database with
 */
export const migrations: readonly Migration[] = Object.freeze([
  createSchemaMigrations,
  createDomainEvents,
  // Identity & organisation
  createEmployees,
  createTeams,
  createTeamMemberships,
  createOrgStructureVersions,
  // CRM
  createCompanies,
  createPeople,
  createCompanySlots,
  createUidSequences,
  createCrmImportRuns,
  createCrmDeadLetters,
  // Commercial: lead pipeline
  createMalleableSchemas,
  createLeads,
  createQualifications,
  createOpportunities,
  // Commercial: quotes and sales
  createQuotes,
  createSales,
  createQuoteNumberSequences,
  // KPIs and the activity feed
  createKpiDefinitions,
  createKpiDefVersions,
  createKpiResultSets,
  createKpiCheckpoints,
  createKpiResults,
  createActivityFeed,
  createProjectionOffsets,
  createKpiCheckpointParts,
  // Knowledge: articles, their versions and links, comments
  createKnowledgeArticles,
  createKnowledgeVersions,
  createKnowledgeLinks,
  createKnowledgeComments,
  // Delivery: projects, their baselines, milestones, tasks and variances
  createProjects,
  createSoldConstraintSets,
  createProjSoldConstraints,
  createMilestones,
  createTasks,
  createProjectVariances,
  // Support: tickets and their links, SLA definitions, assignments (clocks) and SLA events
  createTickets,
  createTicketLinks,
  createSlaDefinitions,
  createSlaAssignments,
  createSlaEvents,
  // Time & resources
  createTimeEntries,
  createTimeEntryAdjustments,
  createResourceAllocations,
  // Immutability in the database (issue 29): sales, final quotes, attested time
  freezeSales,
  freezeFinalQuotes,
  freezeAttestedTime,
  // KPIs: the organisation's zone in the database
  addKpiResultSetZone,
  // Support: a published SLA version is immutable
  freezePublishedSlas,
  // The seed's table names (issue 22): no name is shortened for its triggers any more
  renameKpiDefinitionVersions,
  renameActivityFeedProjections,
  renameProjectSoldConstraints,
  // Nothing is deleted: DELETE refused on every table but the rebuildable KPI caches (issue 22)
  refuseDeletes,
  // The spec's missing columns (issue 22): leads, qualifications, opportunities, CRM rows, sales
  addLeadPipelineColumns,
  addCrmUpdatedAt,
  addSaleSnapshotColumns,
  // CRM: keyed dead letters (an import re-run writes none again)
  keyCrmDeadLetters,
  // Quote content in the seed's tables (issue 22): versions, line groups and lines as rows
  createQuoteVersions,
  createQuoteLineGroups,
  createQuoteLines,
  moveQuoteContentToRows,
  // Malleable schema versions in the seed's lead_schema_versions (issue 22)
  createLeadSchemaVersions,
  moveSchemaVersionsToRows,
  // Widened enums (widenEnum): converted leads, KPI scopes ticket and SLA tier (issue 26)
  widenLeadState,
  widenKpiScopeTypes,
  // A knowledge article's history, and the JSON histories of other state rows, only grow (issue 29)
  freezeKnowledgeHistory,
  growOnlyHistories,
  // Two planners finding the same breach at once record one variance, not two (issue 23)
  keyOpenVariances,
]);

/**
 * The bootstrap migration that creates the journal; every list the engine runs must start with it.
 *
 * @example `migrations[0] === journalMigration` → `true`
 */
export const journalMigration: Migration = createSchemaMigrations;

/**
 * The logical name of the journal table (the engine prefixes it).
 *
 * @example
 * ```ts
 * `${prefix}${JOURNAL_TABLE}`; // 'wp_pet_schema_migrations'
 * ```
 */
export const JOURNAL_TABLE = 'schema_migrations';
/**
 * The logical name of the event log table that migration events are written to.
 *
 * @example
 * ```ts
 * `${prefix}${EVENTS_TABLE}`; // 'wp_pet_domain_events'
 * ```
 */
export const EVENTS_TABLE = 'domain_events';
