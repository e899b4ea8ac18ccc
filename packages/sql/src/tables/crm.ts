import type { Crm, Instant } from '@pet-ops/core';
import { defineStateTable, type StateTable } from '../state-table.js';

const companyColumns = {
  state: { type: 'enum' },
  company_uid: { type: 'text' },
  name: { type: 'text' },
  website: { type: 'text', nullable: true },
  external_id: { type: 'text', nullable: true },
  ein_raw: { type: 'text', nullable: true },
  archived_at: { type: 'instant', nullable: true },
  created_at: { type: 'instant' },
  updated_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `company` aggregate's state table, `<prefix>companies` (migration 0007): `website` normalised and
 * unique ("unique after normalisation"), `external_id` unique when present. The same row the MySQL
 * adapter's `companyDefinition` writes. `updated_at` (migration 2026_12_06_0931) is the latest instant
 * the state records: the archival, else the creation (`company.updated` carries no instant yet).
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(companiesTable)).load(companyId));
 * ```
 */
export const companiesTable: StateTable<Crm.CompanyState, typeof companyColumns> = defineStateTable({
  streamType: 'company',
  table: 'companies',
  columns: companyColumns,
  initialState: (): Crm.CompanyState => ({ status: 'absent' }),
  toRow: (s) => {
    if (s.status === 'absent') throw new TypeError('companiesTable.toRow: an absent company has no row');
    return {
      state: s.status,
      company_uid: s.companyUid,
      name: s.name,
      website: s.website,
      external_id: s.externalId,
      ein_raw: s.einRaw,
      archived_at: s.status === 'archived' ? s.archivedAt : null,
      created_at: s.createdAt,
      updated_at: s.status === 'archived' ? s.archivedAt : s.createdAt,
    };
  },
  fromRow: (r, id) => {
    const details = {
      companyId: id as Crm.CompanyId,
      companyUid: r.company_uid as Crm.CompanyUid,
      createdAt: r.created_at as Instant,
      name: r.name,
      website: r.website as Crm.NormalizedWebsite | null,
      externalId: r.external_id,
      einRaw: r.ein_raw,
    };
    return r.state === 'archived'
      ? { ...details, status: 'archived', archivedAt: (r.archived_at ?? r.created_at) as Instant }
      : { ...details, status: 'active' };
  },
});

const slotColumns = {
  state: { type: 'enum' },
  slot_uid: { type: 'text' },
  company_id: { type: 'id' },
  company_uid: { type: 'text' },
  role: { type: 'enum' },
  person_id: { type: 'id', nullable: true },
} as const;

/**
 * The `company_slot` aggregate's state table, `<prefix>company_slots` (migration 0009): three per company,
 * `uq_company_role` keeps one per role.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(companySlotsTable)).load(slotId));
 * ```
 */
export const companySlotsTable: StateTable<Crm.CompanySlotState, typeof slotColumns> = defineStateTable({
  streamType: 'company_slot',
  table: 'company_slots',
  columns: slotColumns,
  initialState: (): Crm.CompanySlotState => ({ status: 'absent' }),
  toRow: (s) => {
    if (s.status === 'absent') throw new TypeError('companySlotsTable.toRow: an absent slot has no row');
    return {
      state: s.status,
      slot_uid: s.slotUid,
      company_id: s.companyId,
      company_uid: s.companyUid,
      role: s.role,
      person_id: s.status === 'open' ? null : s.personId,
    };
  },
  fromRow: (r, id) => {
    const details = {
      slotId: id as Crm.CompanySlotId,
      slotUid: r.slot_uid as Crm.SlotUid,
      companyId: r.company_id as Crm.CompanyId,
      companyUid: r.company_uid as Crm.CompanyUid,
      role: r.role as Crm.SlotRole,
    };
    if (r.state === 'open' || r.person_id === null) return { ...details, status: 'open' };
    const personId = r.person_id as Crm.PersonId;
    return r.state === 'pending'
      ? { ...details, status: 'pending', personId }
      : { ...details, status: 'filled', personId };
  },
});

const personColumns = {
  state: { type: 'enum' },
  person_uid: { type: 'text' },
  name: { type: 'text' },
  email: { type: 'text', nullable: true },
  linkedin_url: { type: 'text', nullable: true },
  validation_status: { type: 'text' },
  archived_at: { type: 'instant', nullable: true },
  created_at: { type: 'instant' },
  updated_at: { type: 'instant', nullable: true },
} as const;

/**
 * The `person` aggregate's state table, `<prefix>people` (migration 0008), the home of the CRM's personal
 * data (name, e-mail, LinkedIn URL); `email` normalised and unique when present. `updated_at` (migration
 * 2026_12_06_0931) is the latest instant the state records: the archival, else the creation.
 *
 * @example
 * ```ts
 * await uow.run((scope) => scope.aggregate(aggregateOf(peopleTable)).load(personId));
 * ```
 */
export const peopleTable: StateTable<Crm.PersonState, typeof personColumns> = defineStateTable({
  streamType: 'person',
  table: 'people',
  columns: personColumns,
  initialState: (): Crm.PersonState => ({ status: 'absent' }),
  toRow: (s) => {
    if (s.status === 'absent') throw new TypeError('peopleTable.toRow: an absent person has no row');
    return {
      state: s.status,
      person_uid: s.personUid,
      name: s.name,
      email: s.email,
      linkedin_url: s.linkedinUrl,
      validation_status: s.validationStatus,
      archived_at: s.status === 'archived' ? s.archivedAt : null,
      created_at: s.createdAt,
      updated_at: s.status === 'archived' ? s.archivedAt : s.createdAt,
    };
  },
  fromRow: (r, id) => {
    const details = {
      personId: id as Crm.PersonId,
      personUid: r.person_uid as Crm.PersonUid,
      createdAt: r.created_at as Instant,
      name: r.name,
      email: r.email as Crm.NormalizedEmail | null,
      linkedinUrl: r.linkedin_url,
      validationStatus: r.validation_status as Crm.ValidationStatus,
    };
    return r.state === 'archived'
      ? { ...details, status: 'archived', archivedAt: (r.archived_at ?? r.created_at) as Instant }
      : { ...details, status: 'active' };
  },
});

/**
 * The CRM's state tables (companies, company slots, people), for a unit of work's `tables` or
 * `checkStateTables`. The per-day uid counters (`uid_sequences`) are no aggregate: `createCrmRepository`
 * allocates from them inside the unit's transaction.
 *
 * @example
 * ```ts
 * createUnitOfWork({ dialect, prefix, events, tables: CRM_TABLES });
 * ```
 */
export const CRM_TABLES: readonly [typeof companiesTable, typeof companySlotsTable, typeof peopleTable] = [
  companiesTable,
  companySlotsTable,
  peopleTable,
];
