import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { companyDecider } from './company/decider.js';
import type { CompanyState } from './company/state.js';
import { companySlotDecider } from './company-slot/decider.js';
import type { CompanySlotState } from './company-slot/state.js';
import type { CompanyId, CompanySlotId } from './ids.js';
import {
  type CompanyIntake,
  type CompanyIntakeRow,
  companyCreationCommands,
  type ExistingCompany,
  inFileDuplicates,
  missingSlotRoles,
  planCompanyIntake,
  slotOpenCommands,
  validateCompanyIntakeRow,
  validatePersonIntakeRow,
} from './intake.js';
import { at, company, uuid } from './test-support.test.js';
import { type CompanyUid, formatCompanyUid, SLOT_ROLES, type SlotRole } from './uids.js';
import type { NormalizedWebsite } from './values.js';

const intake = (row: CompanyIntakeRow): CompanyIntake => {
  const r = validateCompanyIntakeRow(row);
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
};

describe('intake row validation', () => {
  test('a valid row is trimmed and normalised; empty optional fields become null', () => {
    expect(
      validateCompanyIntakeRow({
        name: ' Acme ',
        website: 'HTTP://www.acme.com/',
        externalId: ' 77 ',
        ein: ' 12-3 ',
      }),
    ).toEqual({
      ok: true,
      value: { name: 'Acme', website: 'acme.com', externalId: '77', einRaw: '12-3' },
    });
    expect(validateCompanyIntakeRow({ name: 'Acme', website: '', externalId: '9', ein: ' ' })).toEqual({
      ok: true,
      value: { name: 'Acme', website: null, externalId: '9', einRaw: null },
    });
  });

  test.each([
    [{ website: 'acme.com' }, 'MISSING_NAME'],
    [{ name: '  ', website: 'acme.com' }, 'MISSING_NAME'],
    [{ name: 'Acme', website: 'acme' }, 'MALFORMED_WEBSITE'],
    [{ name: 'Acme', website: 'sales@acme.com' }, 'MALFORMED_WEBSITE'],
    [{ name: 'Acme', website: ' ', externalId: '' }, 'MISSING_KEY'],
    [{ name: 'A'.repeat(256), website: 'a.com' }, 'FIELD_TOO_LONG'],
    [{ name: 'Acme', externalId: 'x'.repeat(129) }, 'FIELD_TOO_LONG'],
    [{ name: 'Acme', website: 'a.com', ein: '9'.repeat(65) }, 'FIELD_TOO_LONG'],
  ] as const)('%j is dead-lettered as %s', (row, code) => {
    const r = validateCompanyIntakeRow(row);
    expect(r.ok ? 'accepted' : r.error.code).toBe(code);
  });
});

describe('duplicates within one file', () => {
  test('a later row with the same normalised website or external id names the first row', () => {
    const dups = inFileDuplicates();
    expect(dups.check(intake({ name: 'A', website: 'acme.com' }), 2)).toBeNull();
    expect(dups.check(intake({ name: 'B', externalId: 'x1' }), 3)).toBeNull();
    expect(dups.check(intake({ name: 'A again', website: 'https://WWW.acme.com/' }), 4)).toBe(2);
    expect(dups.check(intake({ name: 'Gamma', website: 'https://Gamma.com/x' }), 5)).toBeNull();
    expect(dups.check(intake({ name: 'Gamma 2', website: 'gamma.com' }), 6)).toBe(5);
    expect(dups.check(intake({ name: 'Gamma 3', website: 'http://www.GAMMA.com/?q=1' }), 7)).toBe(5);
    expect(dups.check(intake({ name: 'C', website: 'c.com', externalId: 'x1' }), 5)).toBe(3);
  });
});

describe('planCompanyIntake', () => {
  const acme: ExistingCompany = {
    companyId: company(1),
    companyUid: 'CO-20261122-000001' as CompanyUid,
    slotRoles: ['CEO', 'CFO', 'HR'],
  };
  const other: ExistingCompany = {
    companyId: company(2),
    companyUid: 'CO-20261122-000002' as CompanyUid,
    slotRoles: ['CFO'],
  };
  const row = intake({ name: 'Acme', website: 'acme.com', externalId: 'x1' });

  test('no match: create', () => {
    expect(planCompanyIntake(row, { byWebsite: null, byExternalId: null })).toEqual({
      kind: 'create',
      intake: row,
    });
  });

  test('the website wins over the external id; the plan lists the slots to ensure', () => {
    expect(planCompanyIntake(row, { byWebsite: acme, byExternalId: other })).toEqual({
      kind: 'exists',
      companyId: company(1),
      companyUid: acme.companyUid,
      matchedBy: 'website',
      missingSlotRoles: [],
    });
    expect(planCompanyIntake(row, { byWebsite: null, byExternalId: other })).toMatchObject({
      matchedBy: 'externalId',
      missingSlotRoles: ['CEO', 'HR'],
    });
  });

  test('matches are ignored for keys the row does not have', () => {
    const noSite = intake({ name: 'Acme', externalId: 'x1' });
    expect(planCompanyIntake(noSite, { byWebsite: acme, byExternalId: null }).kind).toBe('create');
  });

  test('creation commands: the company and its three slots, in canonical role order', () => {
    const { company: c, slots } = companyCreationCommands(row, {
      companyId: company(3),
      companyUid: 'CO-20261122-000003' as CompanyUid,
      createdAt: at(0),
      slotId: (role) => uuid(SLOT_ROLES.indexOf(role) + 1) as CompanySlotId,
    });
    expect(c).toMatchObject({
      type: 'create',
      companyId: company(3),
      name: 'Acme',
      website: 'acme.com',
      externalId: 'x1',
    });
    expect(slots.map((s) => s.role)).toEqual(['CEO', 'CFO', 'HR']);
    expect(missingSlotRoles(['HR', 'CEO'])).toEqual(['CFO']);
  });
});

/**
 * A pure model of `insertCompanyWithSlots` over the deciders and the planner: unique keys on website,
 * external id and (company, role), and a per-day uid sequence, as the MySQL tables will have them.
 * `dropRoles` simulates companies that exist with fewer slots (older data), which "ensure" must repair.
 */
function crmModel() {
  const companies = new Map<CompanyId, CompanyState>();
  const slots = new Map<string, CompanySlotState>();
  const byWebsite = new Map<NormalizedWebsite, CompanyId>();
  const byExternal = new Map<string, CompanyId>();
  const rolesOf = (id: CompanyId): SlotRole[] => SLOT_ROLES.filter((r) => slots.has(`${id}/${r}`));
  let sequence = 0;
  let nextId = 0;
  const existing = (id: CompanyId | undefined): ExistingCompany | null => {
    const s = id === undefined ? undefined : companies.get(id);
    return s === undefined || s.status === 'absent'
      ? null
      : { companyId: s.companyId, companyUid: s.companyUid, slotRoles: rolesOf(s.companyId) };
  };
  const openSlots = (id: CompanyId, uid: CompanyUid, roles: readonly SlotRole[]) => {
    for (const cmd of slotOpenCommands(id, uid, roles, () => uuid(0x700000 + ++nextId) as CompanySlotId)) {
      const key = `${id}/${cmd.role}`;
      if (slots.has(key)) throw new Error(`duplicate key (company, role) ${key}`);
      const r = companySlotDecider.decide(cmd, companySlotDecider.initialState(), undefined);
      if (!r.ok) throw new Error(r.error.code);
      slots.set(key, r.value.reduce(companySlotDecider.evolve, companySlotDecider.initialState()));
    }
  };
  return {
    companies,
    slots,
    rolesOf,
    insert(
      row: CompanyIntakeRow,
      dropRoles: readonly SlotRole[] = [],
    ): { outcome: 'created' | 'exists' | 'rejected'; uid?: CompanyUid } {
      const v = validateCompanyIntakeRow(row);
      if (!v.ok) return { outcome: 'rejected' };
      const plan = planCompanyIntake(v.value, {
        byWebsite: v.value.website === null ? null : existing(byWebsite.get(v.value.website)),
        byExternalId: v.value.externalId === null ? null : existing(byExternal.get(v.value.externalId)),
      });
      if (plan.kind === 'exists') {
        openSlots(plan.companyId, plan.companyUid, plan.missingSlotRoles);
        return { outcome: 'exists', uid: plan.companyUid };
      }
      const companyId = uuid(0x800000 + ++nextId) as CompanyId;
      const createdAt = at(sequence);
      const { company: cmd } = companyCreationCommands(plan.intake, {
        companyId,
        companyUid: formatCompanyUid(createdAt, ++sequence),
        createdAt,
        slotId: () => uuid(0) as CompanySlotId,
      });
      const r = companyDecider.decide(cmd, companyDecider.initialState(), undefined);
      if (!r.ok) throw new Error(r.error.code);
      const state = r.value.reduce(companyDecider.evolve, companyDecider.initialState());
      if (state.status === 'absent') throw new Error('not created');
      if (state.website !== null && byWebsite.has(state.website)) throw new Error('duplicate key website');
      if (state.externalId !== null && byExternal.has(state.externalId))
        throw new Error('duplicate key external id');
      companies.set(companyId, state);
      if (state.website !== null) byWebsite.set(state.website, companyId);
      if (state.externalId !== null) byExternal.set(state.externalId, companyId);
      openSlots(
        companyId,
        state.companyUid,
        SLOT_ROLES.filter((role) => !dropRoles.includes(role)),
      );
      return { outcome: 'created', uid: state.companyUid };
    },
  };
}

// Rows from a small pool so that repeats and overlaps are frequent; websites in several spellings.
const rowArb: fc.Arbitrary<CompanyIntakeRow> = fc.record({
  name: fc.constantFrom('Acme', 'Globex', ' Initech ', ''),
  website: fc.constantFrom(
    undefined,
    'acme.com',
    'https://www.ACME.com/',
    'globex.io',
    'http://globex.io//',
    'bad site',
  ),
  externalId: fc.constantFrom(undefined, 'a1', 'g7', ' a1 '),
  ein: fc.constantFrom(undefined, '12-345'),
});

describe('insertCompanyWithSlots (pure model)', () => {
  test.prop([
    fc.array(fc.tuple(rowArb, fc.subarray([...SLOT_ROLES])), { minLength: 1, maxLength: 30 }),
    fc.nat(),
  ])(
    'any sequence of repeated inserts leaves every company with exactly three slots, and re-running it creates nothing',
    (rows, shuffleSeed) => {
      const db = crmModel();
      const first = rows.map(([row, drop]) => db.insert(row, drop));
      const companiesAfterFirst = db.companies.size;
      // Re-run in another order, twice: only `exists` (with the uid of the first run) or `rejected`.
      const again = [...rows].sort(
        (a, b) =>
          ((JSON.stringify(a).length * 31 + shuffleSeed) % 7) -
          ((JSON.stringify(b).length * 31 + shuffleSeed) % 7),
      );
      for (const [row] of [...again, ...again]) {
        const r = db.insert(row);
        expect(r.outcome).not.toBe('created');
        const firstTime = first[rows.findIndex(([x]) => x === row)];
        if (firstTime?.outcome !== 'rejected') expect(r.outcome).toBe('exists');
      }
      expect(db.companies.size).toBe(companiesAfterFirst);
      const uids = [...db.companies.values()].map((c) => (c.status === 'absent' ? '' : c.companyUid));
      expect(new Set(uids).size).toBe(uids.length);
      expect([...uids].sort()).toEqual(uids); // allocation order = uid order
      for (const [id, c] of db.companies) {
        expect(db.rolesOf(id)).toEqual(['CEO', 'CFO', 'HR']);
        for (const role of SLOT_ROLES) {
          const s = db.slots.get(`${id}/${role}`);
          expect(s?.status).toBe('open');
          if (s?.status === 'open' && c.status !== 'absent')
            expect(s.slotUid).toBe(`SL-${c.companyUid}-${role}`);
        }
      }
      expect(db.slots.size).toBe(3 * db.companies.size);
    },
  );

  test.prop([rowArb.filter((r) => validateCompanyIntakeRow(r).ok), fc.integer({ min: 2, max: 10 })])(
    'the same row inserted n times gives one company, created once and then reported as existing with the same uid',
    (row, n) => {
      const db = crmModel();
      const results = Array.from({ length: n }, () => db.insert(row));
      expect(results.map((r) => r.outcome)).toEqual(['created', ...Array(n - 1).fill('exists')]);
      expect(new Set(results.map((r) => r.uid)).size).toBe(1);
      expect(db.companies.size).toBe(1);
      expect(db.slots.size).toBe(3);
    },
  );
});

describe('people intake row validation', () => {
  test('given a row with a name and an e-mail, when validated, then it is trimmed and the e-mail normalised', () => {
    expect(
      validatePersonIntakeRow({
        name: ' Ada ',
        email: ' Ada@Example.COM ',
        linkedinUrl: 'https://www.linkedin.com/in/ada',
      }),
    ).toEqual({
      ok: true,
      value: { name: 'Ada', email: 'ada@example.com', linkedinUrl: 'https://www.linkedin.com/in/ada' },
    });
  });

  test.each([
    [{ email: 'ada@example.com' }, 'MISSING_NAME'],
    [{ name: 'Ada' }, 'MISSING_KEY'],
    [{ name: 'Ada', email: ' ' }, 'MISSING_KEY'],
    [{ name: 'Ada', email: 'ada@@example' }, 'MALFORMED_EMAIL'],
    [{ name: 'Ada', email: 'ada@example.com', linkedinUrl: 'https://evil.io/ada' }, 'MALFORMED_LINKEDIN_URL'],
    [{ name: 'A'.repeat(256), email: 'ada@example.com' }, 'FIELD_TOO_LONG'],
  ] as const)('given %j, when validated, then it is dead-lettered as %s', (row, code) => {
    const r = validatePersonIntakeRow(row);
    expect(r.ok ? 'accepted' : r.error.code).toBe(code);
  });

  test('given a malformed e-mail, when rejected, then the message does not echo the address', () => {
    const r = validatePersonIntakeRow({ name: 'Ada', email: 'ada.secret@@x' });
    expect(r.ok ? '' : r.error.message).not.toContain('secret');
  });

  test('given a wrongly typed field, when validated, then a ValidationError names it', () => {
    expect(() => validatePersonIntakeRow({ name: 'Ada', email: 42 } as never)).toThrow(/email/);
  });
});
