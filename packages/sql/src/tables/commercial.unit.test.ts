import { fc } from '@fast-check/vitest';
import { type Commercial, type Crm, type Identity, type Instant, money } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import {
  leadsTable,
  malleableSchemasTable,
  opportunitiesTable,
  qualificationsTable,
  quotesTable,
  salesTable,
} from './commercial.js';

const id = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
const at = (m: number): Instant => `2026-04-01T09:${String(m).padStart(2, '0')}:00.000001Z` as Instant;
const eur = (minor: number) => money(minor, 'EUR');

const version = (n: number, status: Commercial.SchemaVersionStatus): Commercial.MalleableSchemaVersion => ({
  entityType: 'lead',
  version: n,
  status,
  fields: [],
  publishedAt: status === 'draft' ? null : at(n),
});

const line: Commercial.QuoteLine = {
  lineId: id(50),
  kind: 'labour_task',
  description: 'Build',
  quantity: 2,
  unitPrice: null,
  unitCost: null,
  minutes: 90,
  catalog: null,
  role: {
    roleId: id(51),
    name: 'Developer',
    sellRatePerHour: eur(120_00),
    costRatePerHour: eur(60_00),
    recommendedSellRatePerHour: null,
  },
  milestone: { name: 'Build', sequence: 1 },
};

describe('commercial declarations', () => {
  it('given a schema with historical, active and draft versions, when written and read back, then the same state and the pointers name the active and the draft', () => {
    const s: Commercial.MalleableSchemaState = {
      status: 'defined',
      schemaId: id(1) as Commercial.MalleableSchemaId,
      entityType: 'lead',
      lastVersion: 3,
      versions: [version(1, 'historical'), version(2, 'active'), version(3, 'draft')],
    };
    const row = malleableSchemasTable.toRow(s);
    expect(row).toMatchObject({ active_version: 2, draft_version: 3, last_version: 3 });
    expect(malleableSchemasTable.fromRow(row, id(1))).toEqual(s);
  });

  it('given a lead, a qualification and an opportunity, when written and read back, then the same states', () => {
    const lead: Commercial.LeadState = {
      status: 'qualified',
      leadId: id(2) as Commercial.LeadId,
      source: 'web',
      subject: 'ERP',
      description: null,
      customerId: id(3) as Crm.CompanyId,
      ownerEmployeeId: id(4) as Identity.EmployeeId,
      teamId: null,
      schemaVersion: 1,
      data: { budget: 1200, tags: ['a'] },
      qualificationId: id(5) as Commercial.QualificationId,
      opportunityClass: 'gold',
      disqualificationReason: null,
      estimatedValue: null,
      createdByEmployeeId: null,
      updatedAt: null,
      convertedAt: null,
      archivedAt: null,
    };
    expect(leadsTable.fromRow(leadsTable.toRow(lead), id(2))).toEqual(lead);
    const q: Commercial.QualificationState = {
      status: 'completed',
      qualificationId: id(5) as Commercial.QualificationId,
      leadId: id(2) as Commercial.LeadId,
      schemaVersion: null,
      data: {},
      outcome: 'disqualified',
      opportunityClass: null,
      reason: 'No budget',
      startedAt: at(1),
      completedAt: at(2),
    };
    expect(qualificationsTable.fromRow(qualificationsTable.toRow(q), id(5))).toEqual(q);
    const o: Commercial.OpportunityState = {
      status: 'archived',
      opportunityId: id(6) as Commercial.OpportunityId,
      leadId: id(2) as Commercial.LeadId,
      qualificationId: id(5) as Commercial.QualificationId,
      customerId: id(3) as Crm.CompanyId,
      opportunityClass: 'silver',
      probabilityBp: 2500 as Commercial.OpportunityDetails['probabilityBp'],
      estimatedValue: eur(990_00) as Commercial.OpportunityDetails['estimatedValue'],
      ownerEmployeeId: null,
      teamId: id(7) as Identity.TeamId,
      stage: 'won',
      quoteId: id(8),
      lossReason: null,
      expectedCloseDate: '2026-06-30',
      archivedAt: at(7),
    };
    const row = opportunitiesTable.toRow(o);
    expect(row).toMatchObject({
      estimated_value_minor: 990_00,
      currency: 'EUR',
      probability_bp: 2500,
      expected_close_date: '2026-06-30',
      archived_at: at(7),
    });
    expect(opportunitiesTable.fromRow(row, id(6))).toEqual(o);
  });

  it('given an accepted quote and its sale, when written and read back, then the same states; the row carries the current totals and Σ sold minutes', () => {
    const quote: Commercial.QuoteState = {
      status: 'accepted',
      quoteId: id(8) as Commercial.QuoteId,
      quoteNumber: 'Q-2026-000001' as Commercial.QuoteNumber,
      opportunityId: id(6),
      customerId: id(3),
      currency: 'EUR',
      parentQuoteId: null,
      supersedesQuoteId: id(9),
      versions: [
        {
          version: 1,
          basedOn: null,
          state: 'accepted',
          title: 'Relaunch',
          validUntil: '2026-05-01',
          groups: [
            { groupId: id(52), kind: 'implementation', title: 'Phase 1', recurring: null, lines: [line] },
          ],
          schedule: null,
          approvedBy: null,
        },
      ],
      acceptance: { version: 1, saleId: id(10) as Commercial.SaleId, acceptedBy: id(11), acceptedAt: at(5) },
      dueItemIds: ['item-1'],
    };
    const row = quotesTable.toRow(quote);
    expect(row).toMatchObject({
      total_sell: 360_00,
      total_cost: 180_00,
      total_margin: 180_00,
      current_version: 1,
    });
    expect(quotesTable.fromRow(row, id(8))).toEqual(quote);
    const open: Commercial.QuoteState = { ...quote, status: 'open', acceptance: null };
    expect(quotesTable.fromRow(quotesTable.toRow(open), id(8))).toEqual(open);
    const sale: Commercial.SaleState = {
      status: 'fulfilled',
      saleId: id(10) as Commercial.SaleId,
      quoteId: id(8) as Commercial.QuoteId,
      quoteVersion: 1,
      opportunityId: id(6),
      customerId: id(3),
      total: eur(360_00),
      totalCost: eur(180_00),
      soldMinutesByRole: { [id(51)]: 180, other: 30 },
      acceptedBy: id(11),
      acceptedAt: at(5),
      paymentSchedule: [],
      fulfilledAt: at(9),
      acceptedByContactId: null,
      commercialSnapshot: null,
    };
    expect(salesTable.toRow(sale)).toMatchObject({ sold_minutes: 210, sold_margin: 180_00 });
    expect(salesTable.fromRow(salesTable.toRow(sale), id(10))).toEqual(sale);
    const snapshotted: Commercial.SaleState = {
      ...sale,
      acceptedByContactId: id(12),
      commercialSnapshot: {
        quoteNumber: quote.quoteNumber,
        title: 'Relaunch',
        currency: 'EUR',
        validUntil: '2026-05-01',
        groups: quote.versions[0]?.groups ?? [],
        totals: { sell: eur(360_00), cost: eur(180_00), margin: eur(180_00) },
      },
    };
    expect(salesTable.toRow(snapshotted)).toMatchObject({
      accepted_by_contact_id: id(12),
      commercial_snapshot_json: snapshotted.commercialSnapshot,
    });
    expect(salesTable.fromRow(salesTable.toRow(snapshotted), id(10))).toEqual(snapshotted);
  });

  it('given a converted lead with its value, author and instants, when written, then state is converted with converted_at set, and it reads back as converted; a row from before 1001 (qualified with converted_at) also reads as converted', () => {
    const lead: Commercial.LeadState = {
      status: 'converted',
      leadId: id(2) as Commercial.LeadId,
      source: 'web',
      subject: 'ERP',
      description: null,
      customerId: null,
      ownerEmployeeId: null,
      teamId: null,
      schemaVersion: null,
      data: {},
      qualificationId: id(5) as Commercial.QualificationId,
      opportunityClass: 'gold',
      disqualificationReason: null,
      estimatedValue: eur(25_000_00),
      createdByEmployeeId: id(4) as Identity.EmployeeId,
      updatedAt: at(3),
      convertedAt: at(3),
      archivedAt: null,
    };
    const row = leadsTable.toRow(lead);
    expect(row).toMatchObject({
      state: 'converted',
      converted_at: at(3),
      updated_at: at(3),
      estimated_value: 25_000_00,
      estimated_value_currency: 'EUR',
      created_by_employee_id: id(4),
      archived_at: null,
    });
    expect(leadsTable.fromRow(row, id(2))).toEqual(lead);
    // Before migration 1001 the enum had no `converted`: such rows hold qualified + converted_at.
    expect(leadsTable.fromRow({ ...row, state: 'qualified' }, id(2))).toEqual(lead);
    const archived: Commercial.LeadState = {
      ...lead,
      status: 'archived',
      archivedAt: at(4),
      updatedAt: at(4),
    };
    expect(leadsTable.toRow(archived)).toMatchObject({
      state: 'archived',
      converted_at: at(3),
      archived_at: at(4),
    });
    expect(leadsTable.fromRow(leadsTable.toRow(archived), id(2))).toEqual(archived);
    // A qualified lead without converted_at (every lead before the column) stays qualified.
    expect(leadsTable.fromRow({ ...row, state: 'qualified', converted_at: null }, id(2)).status).toBe(
      'qualified',
    );
  });

  it('property: any lead state (every status, with or without value, author and instants) written to its row and read back is the same state; the row holds `converted` exactly for converted leads', () => {
    const instant = fc.option(fc.integer({ min: 0, max: 59 }).map(at), { nil: null });
    fc.assert(
      fc.property(
        fc.constantFrom<Commercial.LeadStatus>(
          'created',
          'qualified',
          'converted',
          'disqualified',
          'archived',
        ),
        fc.option(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { nil: null }),
        fc.boolean(),
        instant,
        instant,
        instant,
        (status, value, author, updatedAt, convertedAt, archivedAt) => {
          // converted_at marks conversion in the row: only converted (or archived) leads carry it.
          const converted =
            status === 'converted' ? (convertedAt ?? at(1)) : status === 'archived' ? convertedAt : null;
          const lead: Commercial.LeadState = {
            status,
            leadId: id(2) as Commercial.LeadId,
            source: 'web',
            subject: 'ERP',
            description: null,
            customerId: null,
            ownerEmployeeId: null,
            teamId: null,
            schemaVersion: null,
            data: {},
            qualificationId: status === 'created' ? null : (id(5) as Commercial.QualificationId),
            opportunityClass: status === 'created' || status === 'disqualified' ? null : 'gold',
            disqualificationReason: status === 'disqualified' ? 'No budget' : null,
            estimatedValue: value === null ? null : eur(value),
            createdByEmployeeId: author ? (id(4) as Identity.EmployeeId) : null,
            updatedAt,
            convertedAt: converted,
            archivedAt: status === 'archived' ? archivedAt : null,
          };
          const row = leadsTable.toRow(lead);
          expect(row.state === 'converted').toBe(status === 'converted');
          expect(leadsTable.fromRow(row, id(2))).toEqual(lead);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('given an absent aggregate, when asked for its row, then it refuses', () => {
    for (const t of [
      malleableSchemasTable,
      leadsTable,
      qualificationsTable,
      opportunitiesTable,
      quotesTable,
      salesTable,
    ])
      expect(() => (t.toRow as (s: unknown) => unknown)({ status: 'absent' })).toThrow(TypeError);
  });
});
