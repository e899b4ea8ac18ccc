import type { AggregateDefinition, Crm } from '@pet-ops/core';
import {
  idIn,
  idOut,
  instantIn,
  instantOut,
  type Row,
  textIn,
  textInOrNull,
} from '../internal/row-values.js';

type CompanyState = Crm.CompanyState;
type CompanySlotState = Crm.CompanySlotState;
type PersonState = Crm.PersonState;

/**
 * Logical state-table names of the CRM aggregates, by stream type (prefixed at run time).
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix: 'wp_pet_', tables: { ...IDENTITY_STATE_TABLES, ...CRM_STATE_TABLES } });
 * ```
 */
export const CRM_STATE_TABLES: Readonly<Record<'company' | 'company_slot' | 'person', string>> = {
  company: 'companies',
  company_slot: 'company_slots',
  person: 'people',
};

/**
 * The `company` aggregate on `<prefix>companies`: one row per company, `website` normalised (its unique
 * key is "unique after normalisation"), `external_id` unique when present.
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix, tables: CRM_STATE_TABLES });
 * await uow.run((scope) => scope.aggregate(companyDefinition).load(companyId));
 * ```
 */
export const companyDefinition: AggregateDefinition<CompanyState> = {
  streamType: 'company',
  initialState: () => ({ status: 'absent' }),
  encode: (s) => {
    // An absent aggregate is never saved (saving needs events, and every event makes it present).
    if (s.status === 'absent') return {};
    return {
      id: s.companyId,
      state: s.status,
      company_uid: s.companyUid,
      name: s.name,
      website: s.website,
      external_id: s.externalId,
      ein_raw: s.einRaw,
      archived_at: instantOut(s.status === 'archived' ? s.archivedAt : null),
      created_at: instantOut(s.createdAt),
    };
  },
  decode: (stored) => {
    const r = stored as Row;
    const details = {
      companyId: idIn<Crm.CompanyId>(r['id']),
      companyUid: textIn<Crm.CompanyUid>(r['company_uid']),
      createdAt: instantIn(r['created_at']),
      name: textIn(r['name']),
      website: textInOrNull<Crm.NormalizedWebsite>(r['website']),
      externalId: textInOrNull(r['external_id']),
      einRaw: textInOrNull(r['ein_raw']),
    };
    return r['state'] === 'archived'
      ? { ...details, status: 'archived', archivedAt: instantIn(r['archived_at']) }
      : { ...details, status: 'active' };
  },
};

/**
 * The `company_slot` aggregate on `<prefix>company_slots` (three per company; `uq_company_role` keeps
 * one per role).
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(companySlotDefinition).load(slotId);
 * ```
 */
export const companySlotDefinition: AggregateDefinition<CompanySlotState> = {
  streamType: 'company_slot',
  initialState: () => ({ status: 'absent' }),
  encode: (s) => {
    if (s.status === 'absent') return {};
    return {
      id: s.slotId,
      state: s.status,
      slot_uid: s.slotUid,
      company_id: idOut(s.companyId),
      company_uid: s.companyUid,
      role: s.role,
      person_id: idOut(s.status === 'open' ? null : s.personId),
    };
  },
  decode: (stored) => {
    const r = stored as Row;
    const details = {
      slotId: idIn<Crm.CompanySlotId>(r['id']),
      slotUid: textIn<Crm.SlotUid>(r['slot_uid']),
      companyId: idIn<Crm.CompanyId>(r['company_id']),
      companyUid: textIn<Crm.CompanyUid>(r['company_uid']),
      role: textIn<Crm.SlotRole>(r['role']),
    };
    const state = r['state'];
    if (state === 'open') return { ...details, status: 'open' };
    const personId = idIn<Crm.PersonId>(r['person_id']);
    return state === 'pending'
      ? { ...details, status: 'pending', personId }
      : { ...details, status: 'filled', personId };
  },
};

/**
 * The `person` aggregate on `<prefix>people`, the home of the CRM's personal data (name, e-mail,
 * LinkedIn URL); `email` normalised and unique when present.
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(personDefinition).load(personId);
 * ```
 */
export const personDefinition: AggregateDefinition<PersonState> = {
  streamType: 'person',
  initialState: () => ({ status: 'absent' }),
  encode: (s) => {
    if (s.status === 'absent') return {};
    return {
      id: s.personId,
      state: s.status,
      person_uid: s.personUid,
      name: s.name,
      email: s.email,
      linkedin_url: s.linkedinUrl,
      validation_status: s.validationStatus,
      archived_at: instantOut(s.status === 'archived' ? s.archivedAt : null),
      created_at: instantOut(s.createdAt),
    };
  },
  decode: (stored) => {
    const r = stored as Row;
    const details = {
      personId: idIn<Crm.PersonId>(r['id']),
      personUid: textIn<Crm.PersonUid>(r['person_uid']),
      createdAt: instantIn(r['created_at']),
      name: textIn(r['name']),
      email: textInOrNull<Crm.NormalizedEmail>(r['email']),
      linkedinUrl: textInOrNull(r['linkedin_url']),
      validationStatus: textIn<Crm.ValidationStatus>(r['validation_status']),
    };
    return r['state'] === 'archived'
      ? { ...details, status: 'archived', archivedAt: instantIn(r['archived_at']) }
      : { ...details, status: 'active' };
  },
};
