import { Commercial, type Crm, type Identity, type Instant, type Money } from '@pet-ops/core';
import { defineStateTable, type StateTable } from '../state-table.js';
import { QUOTE_CONTENT_TABLES } from './quote-content.js';
import { leadSchemaVersionsTable } from './schema-versions.js';

const schemaColumns = {
  entity_type: { type: 'text' },
  active_version: { type: 'int', nullable: true },
  draft_version: { type: 'int', nullable: true },
  last_version: { type: 'int' },
  versions: { type: 'json' },
} as const;

/**
 * The `malleable_schema` aggregate's state table, `<prefix>malleable_schemas` (migration 0020): one row
 * per entity type, every kept version as JSON plus the active and draft pointers.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(malleableSchemasTable)).load(schemaId));
 * ```
 */
export const malleableSchemasTable: StateTable<Commercial.MalleableSchemaState, typeof schemaColumns> =
  defineStateTable({
    streamType: Commercial.MALLEABLE_SCHEMA_STREAM_TYPE,
    table: 'malleable_schemas',
    columns: schemaColumns,
    parts: [leadSchemaVersionsTable],
    initialState: Commercial.initialMalleableSchemaState,
    toRow: (s) => {
      if (s.status === 'absent')
        throw new TypeError('malleableSchemasTable.toRow: an absent schema has no row');
      return {
        entity_type: s.entityType,
        active_version: s.versions.find((v) => v.status === 'active')?.version ?? null,
        draft_version: s.versions.find((v) => v.status === 'draft')?.version ?? null,
        last_version: s.lastVersion,
        versions: s.versions,
      };
    },
    fromRow: (r, id) => ({
      status: 'defined',
      schemaId: id as Commercial.MalleableSchemaId,
      entityType: r.entity_type,
      lastVersion: r.last_version,
      versions: r.versions as Commercial.MalleableSchemaVersion[],
    }),
  });

const leadColumns = {
  state: { type: 'enum' },
  source: { type: 'text' },
  subject: { type: 'text' },
  description: { type: 'longText', nullable: true },
  customer_id: { type: 'id', nullable: true },
  owner_employee_id: { type: 'id', nullable: true },
  team_id: { type: 'id', nullable: true },
  malleable_schema_version: { type: 'int', nullable: true },
  malleable_data: { type: 'json' },
  qualification_id: { type: 'id', nullable: true },
  opportunity_class: { type: 'enum', nullable: true },
  disqualification_reason: { type: 'text', nullable: true },
  estimated_value: { type: 'money', nullable: true },
  estimated_value_currency: { type: 'text', nullable: true },
  created_by_employee_id: { type: 'id', nullable: true },
  updated_at: { type: 'instant', nullable: true },
  converted_at: { type: 'instant', nullable: true },
  archived_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `lead` aggregate's state table, `<prefix>leads` (migrations 0021 and 2026_12_06_0930). The estimated
 * value is minor units plus its currency. A **converted** lead is stored as `state = 'converted'`
 * (migration 2026_12_06_1001 widened the enum and moved the rows written before it, which were
 * `state = 'qualified'` with `converted_at` set; `fromRow` still reads that pair as `converted`).
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(leadsTable)).load(leadId));
 * ```
 */
export const leadsTable: StateTable<Commercial.LeadState, typeof leadColumns> = defineStateTable({
  streamType: Commercial.LEAD_STREAM_TYPE,
  table: 'leads',
  columns: leadColumns,
  initialState: Commercial.initialLeadState,
  toRow: (s) => {
    if (s.status === 'absent') throw new TypeError('leadsTable.toRow: an absent lead has no row');
    return {
      state: s.status,
      source: s.source,
      subject: s.subject,
      description: s.description,
      customer_id: s.customerId,
      owner_employee_id: s.ownerEmployeeId,
      team_id: s.teamId,
      malleable_schema_version: s.schemaVersion,
      malleable_data: s.data,
      qualification_id: s.qualificationId,
      opportunity_class: s.opportunityClass,
      disqualification_reason: s.disqualificationReason,
      estimated_value: s.estimatedValue?.amountMinor ?? null,
      estimated_value_currency: s.estimatedValue?.currency ?? null,
      created_by_employee_id: s.createdByEmployeeId,
      updated_at: s.updatedAt,
      converted_at: s.convertedAt,
      archived_at: s.archivedAt,
    };
  },
  fromRow: (r, id) => ({
    status: (r.state === 'qualified' && r.converted_at !== null
      ? 'converted'
      : r.state) as Commercial.LeadStatus,
    leadId: id as Commercial.LeadId,
    source: r.source,
    subject: r.subject,
    description: r.description,
    customerId: r.customer_id as Crm.CompanyId | null,
    ownerEmployeeId: r.owner_employee_id as Identity.EmployeeId | null,
    teamId: r.team_id as Identity.TeamId | null,
    schemaVersion: r.malleable_schema_version,
    data: r.malleable_data as Record<string, unknown>,
    qualificationId: r.qualification_id as Commercial.QualificationId | null,
    opportunityClass: r.opportunity_class as Commercial.OpportunityClass | null,
    disqualificationReason: r.disqualification_reason,
    estimatedValue:
      r.estimated_value === null || r.estimated_value_currency === null
        ? null
        : ({ amountMinor: r.estimated_value, currency: r.estimated_value_currency } as Money),
    createdByEmployeeId: r.created_by_employee_id as Identity.EmployeeId | null,
    updatedAt: r.updated_at as Instant | null,
    convertedAt: r.converted_at as Instant | null,
    archivedAt: r.archived_at as Instant | null,
  }),
});

const qualificationColumns = {
  state: { type: 'enum' },
  lead_id: { type: 'id' },
  outcome: { type: 'enum', nullable: true },
  opportunity_class: { type: 'enum', nullable: true },
  disqualification_reason: { type: 'text', nullable: true },
  malleable_schema_version: { type: 'int', nullable: true },
  malleable_data: { type: 'json' },
  started_at: { type: 'instant', nullable: true },
  completed_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `qualification` aggregate's state table, `<prefix>qualifications` (migrations 0022 and
 * 2026_12_06_0930: `started_at`, `completed_at`).
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(qualificationsTable)).load(qualificationId));
 * ```
 */
export const qualificationsTable: StateTable<Commercial.QualificationState, typeof qualificationColumns> =
  defineStateTable({
    streamType: Commercial.QUALIFICATION_STREAM_TYPE,
    table: 'qualifications',
    columns: qualificationColumns,
    initialState: Commercial.initialQualificationState,
    toRow: (s) => {
      if (s.status === 'absent')
        throw new TypeError('qualificationsTable.toRow: an absent qualification has no row');
      return {
        state: s.status,
        lead_id: s.leadId,
        outcome: s.outcome,
        opportunity_class: s.opportunityClass,
        disqualification_reason: s.reason,
        malleable_schema_version: s.schemaVersion,
        malleable_data: s.data,
        started_at: s.startedAt,
        completed_at: s.completedAt,
      };
    },
    fromRow: (r, id) => ({
      status: r.state as Commercial.QualificationStatus,
      qualificationId: id as Commercial.QualificationId,
      leadId: r.lead_id as Commercial.LeadId,
      schemaVersion: r.malleable_schema_version,
      data: r.malleable_data as Record<string, unknown>,
      outcome: r.outcome as Commercial.QualificationOutcome | null,
      opportunityClass: r.opportunity_class as Commercial.OpportunityClass | null,
      reason: r.disqualification_reason,
      startedAt: r.started_at as Instant | null,
      completedAt: r.completed_at as Instant | null,
    }),
  });

const opportunityColumns = {
  state: { type: 'enum' },
  stage: { type: 'enum' },
  lead_id: { type: 'id' },
  qualification_id: { type: 'id', nullable: true },
  customer_id: { type: 'id' },
  opportunity_class: { type: 'enum' },
  probability_bp: { type: 'basisPoints' },
  estimated_value_minor: { type: 'money' },
  currency: { type: 'text' },
  owner_employee_id: { type: 'id', nullable: true },
  team_id: { type: 'id', nullable: true },
  quote_id: { type: 'text', nullable: true },
  loss_reason: { type: 'text', nullable: true },
  expected_close_date: { type: 'text', nullable: true },
  archived_at: { type: 'instant', nullable: true },
} as const;

type Opportunity = Commercial.OpportunityDetails;

/**
 * The `opportunity` aggregate's state table, `<prefix>opportunities` (migrations 0023 and 2026_12_06_0930:
 * `expected_close_date` as `YYYY-MM-DD`, `archived_at`); the estimated value is stored as minor units
 * plus currency.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(opportunitiesTable)).load(opportunityId));
 * ```
 */
export const opportunitiesTable: StateTable<Commercial.OpportunityState, typeof opportunityColumns> =
  defineStateTable({
    streamType: Commercial.OPPORTUNITY_STREAM_TYPE,
    table: 'opportunities',
    columns: opportunityColumns,
    initialState: Commercial.initialOpportunityState,
    toRow: (s) => {
      if (s.status === 'absent')
        throw new TypeError('opportunitiesTable.toRow: an absent opportunity has no row');
      return {
        state: s.status,
        stage: s.stage,
        lead_id: s.leadId,
        qualification_id: s.qualificationId,
        customer_id: s.customerId,
        opportunity_class: s.opportunityClass,
        probability_bp: s.probabilityBp,
        estimated_value_minor: s.estimatedValue.amountMinor,
        currency: s.estimatedValue.currency,
        owner_employee_id: s.ownerEmployeeId,
        team_id: s.teamId,
        quote_id: s.quoteId,
        loss_reason: s.lossReason,
        expected_close_date: s.expectedCloseDate,
        archived_at: s.archivedAt,
      };
    },
    fromRow: (r, id) => ({
      status: r.state as Opportunity['status'],
      opportunityId: id as Commercial.OpportunityId,
      leadId: r.lead_id as Commercial.LeadId,
      qualificationId: r.qualification_id as Commercial.QualificationId | null,
      customerId: r.customer_id as Crm.CompanyId,
      opportunityClass: r.opportunity_class as Commercial.OpportunityClass,
      probabilityBp: r.probability_bp as Opportunity['probabilityBp'],
      estimatedValue: {
        amountMinor: r.estimated_value_minor,
        currency: r.currency as Opportunity['estimatedValue']['currency'],
      },
      ownerEmployeeId: r.owner_employee_id as Identity.EmployeeId | null,
      teamId: r.team_id as Identity.TeamId | null,
      stage: r.stage as Commercial.OpportunityStage,
      quoteId: r.quote_id,
      lossReason: r.loss_reason,
      expectedCloseDate: r.expected_close_date,
      archivedAt: r.archived_at as Instant | null,
    }),
  });

const quoteColumns = {
  state: { type: 'enum' },
  quote_id: { type: 'id' },
  quote_number: { type: 'text' },
  opportunity_id: { type: 'id' },
  customer_id: { type: 'id' },
  currency: { type: 'text' },
  parent_quote_id: { type: 'id', nullable: true },
  supersedes_quote_id: { type: 'id', nullable: true },
  current_version: { type: 'int' },
  current_version_state: { type: 'enum' },
  title: { type: 'text' },
  valid_until: { type: 'text', nullable: true },
  total_sell: { type: 'money' },
  total_cost: { type: 'money' },
  total_margin: { type: 'money' },
  accepted_version: { type: 'int', nullable: true },
  sale_id: { type: 'id', nullable: true },
  accepted_by: { type: 'text', nullable: true },
  accepted_at: { type: 'instant', nullable: true },
  versions: { type: 'json' },
  due_item_ids: { type: 'json' },
} as const;

/**
 * The `quote` aggregate's state table, `<prefix>quotes` (migration 0030): identity, lifecycle and the
 * current version's derived totals as columns (for queries), every version's content as the `versions`
 * JSON array. The database refuses deleting a row and editing an accepted or rejected one.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(quotesTable)).load(quoteId));
 * ```
 */
export const quotesTable: StateTable<Commercial.QuoteState, typeof quoteColumns> = defineStateTable({
  streamType: Commercial.QUOTE_STREAM_TYPE,
  table: 'quotes',
  columns: quoteColumns,
  parts: QUOTE_CONTENT_TABLES,
  initialState: Commercial.initialQuoteState,
  toRow: (s) => {
    if (s.status === 'absent') throw new TypeError('quotesTable.toRow: an absent quote has no row');
    const v = Commercial.currentVersion(s);
    const t = Commercial.versionTotals(v.groups, s.currency);
    return {
      state: s.status,
      quote_id: s.quoteId,
      quote_number: s.quoteNumber,
      opportunity_id: s.opportunityId,
      customer_id: s.customerId,
      currency: s.currency,
      parent_quote_id: s.parentQuoteId,
      supersedes_quote_id: s.supersedesQuoteId,
      current_version: v.version,
      current_version_state: v.state,
      title: v.title,
      valid_until: v.validUntil,
      total_sell: t.sell.amountMinor,
      total_cost: t.cost.amountMinor,
      total_margin: t.margin.amountMinor,
      accepted_version: s.acceptance?.version ?? null,
      sale_id: s.acceptance?.saleId ?? null,
      accepted_by: s.acceptance?.acceptedBy ?? null,
      accepted_at: s.acceptance?.acceptedAt ?? null,
      versions: s.versions,
      due_item_ids: s.dueItemIds,
    };
  },
  fromRow: (r) => ({
    status: r.state as 'open' | 'accepted' | 'rejected',
    quoteId: r.quote_id as Commercial.QuoteId,
    quoteNumber: r.quote_number as Commercial.QuoteNumber,
    opportunityId: r.opportunity_id,
    customerId: r.customer_id,
    currency: r.currency,
    parentQuoteId: r.parent_quote_id,
    supersedesQuoteId: r.supersedes_quote_id,
    versions: r.versions as Commercial.QuoteVersion[],
    acceptance:
      r.accepted_at === null
        ? null
        : {
            version: r.accepted_version ?? 0,
            saleId: r.sale_id as Commercial.SaleId,
            acceptedBy: r.accepted_by ?? '',
            acceptedAt: r.accepted_at as Instant,
          },
    dueItemIds: r.due_item_ids as string[],
  }),
});

const saleColumns = {
  state: { type: 'enum' },
  sale_id: { type: 'id' },
  quote_id: { type: 'id' },
  quote_version: { type: 'int' },
  opportunity_id: { type: 'id' },
  customer_id: { type: 'id' },
  currency: { type: 'text' },
  sold_value: { type: 'money' },
  sold_internal_cost: { type: 'money' },
  sold_margin: { type: 'money' },
  sold_minutes: { type: 'minutes' },
  sold_minutes_by_role: { type: 'json' },
  payment_schedule_json: { type: 'json' },
  accepted_by: { type: 'text' },
  accepted_at: { type: 'instant' },
  fulfilled_at: { type: 'instant', nullable: true },
  accepted_by_contact_id: { type: 'id', nullable: true },
  commercial_snapshot_json: { type: 'json', nullable: true },
} as const;

/**
 * The `sale` aggregate's state table, `<prefix>sales` (migrations 0031 and 2026_12_06_0932: the accepting
 * contact and the commercial snapshot of the accepted version): the immutable acceptance snapshot;
 * `quote_id` is unique, so the database itself allows one sale per quote, and it refuses deleting a row
 * or editing anything but its state.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(salesTable)).load(saleId));
 * ```
 */
export const salesTable: StateTable<Commercial.SaleState, typeof saleColumns> = defineStateTable({
  streamType: Commercial.SALE_STREAM_TYPE,
  table: 'sales',
  columns: saleColumns,
  initialState: Commercial.initialSaleState,
  toRow: (s) => {
    if (s.status === 'absent') throw new TypeError('salesTable.toRow: an absent sale has no row');
    return {
      state: s.status,
      sale_id: s.saleId,
      quote_id: s.quoteId,
      quote_version: s.quoteVersion,
      opportunity_id: s.opportunityId,
      customer_id: s.customerId,
      currency: s.total.currency,
      sold_value: s.total.amountMinor,
      sold_internal_cost: s.totalCost.amountMinor,
      sold_margin: s.total.amountMinor - s.totalCost.amountMinor,
      sold_minutes: Object.values(s.soldMinutesByRole).reduce((a, b) => a + b, 0),
      sold_minutes_by_role: s.soldMinutesByRole,
      payment_schedule_json: s.paymentSchedule,
      accepted_by: s.acceptedBy,
      accepted_at: s.acceptedAt,
      fulfilled_at: s.fulfilledAt,
      accepted_by_contact_id: s.acceptedByContactId,
      commercial_snapshot_json: s.commercialSnapshot,
    };
  },
  fromRow: (r) => ({
    status: r.state as 'created' | 'fulfilled',
    saleId: r.sale_id as Commercial.SaleId,
    quoteId: r.quote_id as Commercial.QuoteId,
    quoteVersion: r.quote_version,
    opportunityId: r.opportunity_id,
    customerId: r.customer_id,
    total: { amountMinor: r.sold_value, currency: r.currency } as Money,
    totalCost: { amountMinor: r.sold_internal_cost, currency: r.currency } as Money,
    soldMinutesByRole: r.sold_minutes_by_role as Record<string, number>,
    acceptedBy: r.accepted_by,
    acceptedAt: r.accepted_at as Instant,
    paymentSchedule: r.payment_schedule_json as Commercial.PaymentItem[],
    fulfilledAt: r.fulfilled_at as Instant | null,
    acceptedByContactId: r.accepted_by_contact_id,
    commercialSnapshot: r.commercial_snapshot_json as Commercial.CommercialSnapshot | null,
  }),
});

/**
 * The lead pipeline's state tables (malleable schemas, leads, qualifications, opportunities), for a unit
 * of work's `tables`. Creating an opportunity also reads the CRM's `companiesTable`.
 *
 * @example
 * ```ts
 * createUnitOfWork({ dialect, prefix, events, tables: [...CRM_TABLES, ...LEAD_PIPELINE_STATE_TABLES] });
 * ```
 */
export const LEAD_PIPELINE_STATE_TABLES: readonly [
  typeof malleableSchemasTable,
  typeof leadsTable,
  typeof qualificationsTable,
  typeof opportunitiesTable,
] = [malleableSchemasTable, leadsTable, qualificationsTable, opportunitiesTable];

/**
 * The quoting state tables (quotes, sales), for a unit of work's `tables`. The per-year quote number
 * counters (`quote_number_sequences`) are no aggregate: `allocateQuoteNumber` allocates from them inside
 * the unit's transaction.
 *
 * @example
 * ```ts
 * createUnitOfWork({ dialect, prefix, events, tables: [...CRM_TABLES, ...QUOTING_STATE_TABLES] });
 * ```
 */
export const QUOTING_STATE_TABLES: readonly [typeof quotesTable, typeof salesTable] = [
  quotesTable,
  salesTable,
];
