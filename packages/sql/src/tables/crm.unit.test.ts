import { fc } from '@fast-check/vitest';
import { Crm, type Instant } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { companiesTable, companySlotsTable, peopleTable } from './crm.js';

const id = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
const instant = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) })
  .chain((ms) =>
    fc
      .integer({ min: 0, max: 999 })
      .map((us) => `${new Date(ms).toISOString().slice(0, 23)}${String(us).padStart(3, '0')}Z` as Instant),
  );
const text = fc.string({ minLength: 1, maxLength: 20 });
const orNull = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

describe('CRM declarations', () => {
  it('property: a company (active or archived) written to its row and read back is the same state', () => {
    fc.assert(
      fc.property(
        instant,
        text,
        orNull(text),
        orNull(text),
        fc.option(instant, { nil: undefined }),
        (createdAt, name, externalId, einRaw, archivedAt) => {
          const details = {
            companyId: id(1) as Crm.CompanyId,
            companyUid: Crm.formatCompanyUid(createdAt, 42),
            createdAt,
            name,
            website: 'acme.example' as Crm.NormalizedWebsite,
            externalId,
            einRaw,
          };
          const state: Crm.CompanyState =
            archivedAt === undefined
              ? { ...details, status: 'active' }
              : { ...details, status: 'archived', archivedAt };
          const row = companiesTable.toRow(state);
          expect(row.archived_at).toBe(archivedAt ?? null);
          expect(row.updated_at).toBe(archivedAt ?? createdAt);
          expect(companiesTable.fromRow(row, details.companyId)).toEqual(state);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('property: a slot in every status and a person written and read back are the same states', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('open', 'pending', 'filled'),
        fc.constantFrom(...Crm.SLOT_ROLES),
        instant,
        fc.boolean(),
        (status, role, createdAt, archived) => {
          const companyUid = Crm.formatCompanyUid(createdAt, 1);
          const details = {
            slotId: id(2) as Crm.CompanySlotId,
            slotUid: Crm.formatSlotUid(companyUid, role),
            companyId: id(3) as Crm.CompanyId,
            companyUid,
            role,
          };
          const slot: Crm.CompanySlotState =
            status === 'open'
              ? { ...details, status }
              : { ...details, status, personId: id(4) as Crm.PersonId };
          const row = companySlotsTable.toRow(slot);
          expect(row.person_id).toBe(status === 'open' ? null : id(4));
          expect(companySlotsTable.fromRow(row, details.slotId)).toEqual(slot);
          const person = {
            personId: id(5) as Crm.PersonId,
            personUid: Crm.formatPersonUid(createdAt, 3),
            createdAt,
            name: 'Ada',
            email: null,
            linkedinUrl: 'https://www.linkedin.com/in/ada',
            validationStatus: 'verified' as Crm.ValidationStatus,
          };
          const p: Crm.PersonState = archived
            ? { ...person, status: 'archived', archivedAt: createdAt }
            : { ...person, status: 'active' };
          expect(peopleTable.toRow(p).updated_at).toBe(createdAt);
          expect(peopleTable.fromRow(peopleTable.toRow(p), person.personId)).toEqual(p);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('given an absent aggregate, when asked for its row, then it refuses (an absent state is never saved)', () => {
    expect(() => companiesTable.toRow({ status: 'absent' })).toThrow(TypeError);
    expect(() => companySlotsTable.toRow({ status: 'absent' })).toThrow(TypeError);
    expect(() => peopleTable.toRow({ status: 'absent' })).toThrow(TypeError);
  });
});
