import { describe, expect, it } from 'vitest';
import { migrations } from './list/index.js';
import { expectedSchema } from './model.js';

/** The seed's 33 tables by category (seeds/000, "Table Categories"): normative names. */
const SEED_TABLES = {
  'Identity & Organisation': ['employees', 'teams', 'team_memberships', 'org_structure_versions'],
  'Commercial Pipeline': [
    'leads',
    'lead_schema_versions',
    'qualifications',
    'opportunities',
    'quotes',
    'quote_versions',
    'quote_line_groups',
    'quote_lines',
    'sales',
  ],
  Delivery: ['projects', 'project_sold_constraints', 'milestones', 'tasks', 'project_variances'],
  'Time & Resources': ['time_entries', 'time_entry_adjustments', 'resource_allocations'],
  'Support & SLA': ['tickets', 'sla_definitions', 'sla_assignments', 'sla_events'],
  Knowledge: ['knowledge_articles', 'knowledge_versions', 'knowledge_comments'],
  'Measurement & Audit': [
    'domain_events',
    'kpi_definitions',
    'kpi_definition_versions',
    'kpi_results',
    'activity_feed_projections',
  ],
} as const;

describe("the seed's tables", () => {
  it('given the whole migration list, then the schema holds all 33 of the seed tables under their seed names', () => {
    const names = new Set(expectedSchema(migrations).tables.map((t) => t.name));
    const seed = Object.values(SEED_TABLES).flat();
    expect(seed).toHaveLength(33);
    expect(seed.filter((t) => !names.has(t))).toEqual([]);
  });
});
