import { fc } from '@fast-check/vitest';
import { Crm, isPetError } from '@pet-ops/core';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { caught, countRows } from '../event-store/fixtures.test.js';
import { ACTOR, type CrmFixture, companyWithoutSlots, openCrmFixture, PREFIX } from './fixtures.test.js';
import { type CrmCommands, createCrmCommands } from './workflows.js';

let fx: CrmFixture;
let crm: CrmCommands;
let seed = 1;
const meta = { actor: ACTOR };

/** Commands on a fresh runtime (own id range) so concurrent callers never share ids. */
function commands(start?: string): CrmCommands {
  return createCrmCommands({ runtime: fx.runtime(seed++, start), prefix: PREFIX });
}

async function companyCount(where = '1=1', values: unknown[] = []): Promise<number> {
  const [rows] = await fx.pool.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${PREFIX}companies WHERE ${where}`,
    values,
  );
  return Number(rows[0]?.['n']);
}

async function slotsOf(companyUid: string): Promise<string[]> {
  const [rows] = await fx.pool.query<RowDataPacket[]>(
    `SELECT slot_uid FROM ${PREFIX}company_slots WHERE company_uid = ? ORDER BY slot_uid`,
    [companyUid],
  );
  return rows.map((r) => String(r['slot_uid']));
}

function expectOk<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.value;
}

beforeAll(async () => {
  fx = await openCrmFixture(inject('mysqlUrl'), 20);
  crm = commands();
});
afterAll(async () => {
  await fx?.close();
});

describe('insertCompanyWithSlots', () => {
  it('given no company, when inserting, then the company and its three slots are created with dated uids', async () => {
    const r = expectOk(
      await crm.insertCompanyWithSlots(
        { name: ' Acme ', website: 'https://www.Acme.com/', externalId: 'ap-1', ein: '12-3' },
        meta,
      ),
    );
    expect(r.result).toBe('created');
    expect(r.companyUid).toMatch(/^CO-20261122-\d{6}$/);
    expect(r.openedSlotRoles).toEqual(['CEO', 'CFO', 'HR']);
    expect(await slotsOf(r.companyUid)).toEqual(
      ['CEO', 'CFO', 'HR'].map((role) => `SL-${r.companyUid}-${role}`),
    );
    const found = await fx.unitOfWork.run((s) => crm.repository.companyByUid(s, r.companyUid));
    expect(found).toMatchObject({
      status: 'active',
      companyId: r.companyId,
      name: 'Acme',
      website: 'acme.com',
      externalId: 'ap-1',
      einRaw: '12-3',
      version: 1,
    });
  });

  it('given a company, when inserting it again by another spelling of its website or by its external id, then exists with the same uid and nothing new', async () => {
    const first = expectOk(
      await crm.insertCompanyWithSlots({ name: 'Beta', website: 'beta.io', externalId: 'ap-2' }, meta),
    );
    const companies = await companyCount();
    const slots = await countRows(fx.pool, `${PREFIX}company_slots`);
    const byWebsite = expectOk(
      await crm.insertCompanyWithSlots({ name: 'Beta Inc', website: 'HTTP://WWW.beta.io/' }, meta),
    );
    expect(byWebsite).toMatchObject({ result: 'exists', companyUid: first.companyUid, matchedBy: 'website' });
    const byExternal = expectOk(await crm.insertCompanyWithSlots({ name: 'B', externalId: ' ap-2 ' }, meta));
    expect(byExternal).toMatchObject({
      result: 'exists',
      companyUid: first.companyUid,
      matchedBy: 'externalId',
    });
    expect(byExternal.openedSlotRoles).toEqual([]);
    expect(await companyCount()).toBe(companies);
    expect(await countRows(fx.pool, `${PREFIX}company_slots`)).toBe(slots);
  });

  it('given a bad row, when inserting, then the intake rejection and nothing is written', async () => {
    const before = await companyCount();
    const events = await countRows(fx.pool, `${PREFIX}domain_events`);
    for (const [input, code] of [
      [{ name: '  ', website: 'x.com' }, 'MISSING_NAME'],
      [{ name: 'X', website: 'not a url' }, 'MALFORMED_WEBSITE'],
      [{ name: 'X' }, 'MISSING_KEY'],
    ] as const) {
      const r = await crm.insertCompanyWithSlots(input, meta);
      expect(r.ok ? 'ok' : r.error.code).toBe(code);
    }
    expect(await companyCount()).toBe(before);
    expect(await countRows(fx.pool, `${PREFIX}domain_events`)).toBe(events);
  });

  it('given a company without slot rows, when inserting it again, then the missing slots are opened (exists)', async () => {
    const uid = await companyWithoutSlots(fx.runtime(seed++), 'Gamma', 'gamma.dev');
    expect(await slotsOf(uid)).toHaveLength(0);
    const again = expectOk(await crm.insertCompanyWithSlots({ name: 'Gamma', website: 'gamma.dev' }, meta));
    expect(again).toMatchObject({ result: 'exists', companyUid: uid, openedSlotRoles: ['CEO', 'CFO', 'HR'] });
    expect(await slotsOf(uid)).toHaveLength(3);
  });

  it('given a company stored with a legacy website key (with a path), when inserting its host in any spelling, then exists and the key is kept', async () => {
    const old = expectOk(await crm.insertCompanyWithSlots({ name: 'Legacy', website: 'legacy.dev' }, meta));
    await fx.pool.query(`UPDATE ${PREFIX}companies SET website = ? WHERE company_uid = ?`, [
      'legacy.dev/about',
      old.companyUid,
    ]);
    for (const website of ['https://www.Legacy.dev/x?q=1', 'legacy.dev']) {
      const again = expectOk(await crm.insertCompanyWithSlots({ name: 'Legacy', website }, meta));
      expect(again).toMatchObject({ result: 'exists', companyUid: old.companyUid, matchedBy: 'website' });
    }
    const [rows] = await fx.pool.query<RowDataPacket[]>(
      `SELECT website FROM ${PREFIX}companies WHERE company_uid = ?`,
      [old.companyUid],
    );
    expect(rows[0]?.['website']).toBe('legacy.dev/about');
  });

  it('given the same idempotency key twice, when inserting, then the second call reports the first company', async () => {
    const m = { actor: ACTOR, idempotencyKey: 'intake-delta' };
    const a = expectOk(await crm.insertCompanyWithSlots({ name: 'Delta', website: 'delta.dev' }, m));
    const b = expectOk(await crm.insertCompanyWithSlots({ name: 'Delta', website: 'delta.dev' }, m));
    expect(b).toMatchObject({ result: 'exists', companyUid: a.companyUid });
  });

  it('property: any sequence of repeated inserts of one company yields one company with exactly three slots', async () => {
    let n = 0;
    const spellings = (host: string) =>
      fc.constantFrom(host, `https://${host}`, `http://www.${host}/`, ` HTTPS://WWW.${host.toUpperCase()}/ `);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ site: fc.boolean(), ext: fc.boolean(), variant: fc.nat(3) }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (steps) => {
          n++;
          const host = `prop${n}.example`;
          const spelled = fc.sample(spellings(host), { numRuns: 4, seed: n });
          let uid: string | undefined;
          for (const [i, step] of steps.entries()) {
            // The first insert carries both keys so later ones can match either.
            const useSite = i === 0 || step.site || !step.ext;
            const r = expectOk(
              await crm.insertCompanyWithSlots(
                {
                  name: `Prop ${n}`,
                  website: useSite ? (spelled[step.variant] ?? host) : null,
                  externalId: i === 0 || step.ext ? `prop-${n}` : null,
                },
                meta,
              ),
            );
            expect(r.result).toBe(i === 0 ? 'created' : 'exists');
            uid ??= r.companyUid;
            expect(r.companyUid).toBe(uid);
          }
          expect(await companyCount('website = ?', [host])).toBe(1);
          expect(await slotsOf(uid ?? '')).toHaveLength(3);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('given 16 concurrent inserts of distinct companies, then 16 distinct uids, dense and ordered within the day', async () => {
    const day = '2026-11-23T08:00:00.000000Z';
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        commands(day).insertCompanyWithSlots({ name: `Conc ${i}`, website: `conc${i}.example` }, meta),
      ),
    );
    const uids = results.map((r) => expectOk(r).companyUid).sort(Crm.compareUids);
    expect(new Set(uids).size).toBe(16);
    expect(uids).toEqual(
      Array.from({ length: 16 }, (_, i) => `CO-20261123-${String(i + 1).padStart(6, '0')}`),
    );
  });

  it('given 16 concurrent inserts of the same company, then they converge on one company with three slots', async () => {
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        commands().insertCompanyWithSlots(
          {
            name: 'Same',
            website: i % 2 === 0 ? 'same.example' : 'https://www.same.example/',
            externalId: 'same-1',
          },
          meta,
        ),
      ),
    );
    const values = results.map(expectOk);
    expect(values.filter((v) => v.result === 'created')).toHaveLength(1);
    expect(new Set(values.map((v) => v.companyUid)).size).toBe(1);
    expect(await companyCount('website = ?', ['same.example'])).toBe(1);
    expect(await slotsOf(values[0]?.companyUid ?? '')).toHaveLength(3);
  });
});

describe('uid allocation', () => {
  it('property: 16 concurrent allocations of one kind and day never repeat and fill a contiguous range', async () => {
    const repo = crm.repository;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('CO' as const, 'PE' as const),
        fc.integer({ min: 1, max: 28 }),
        async (kind, d) => {
          const at =
            `2027-02-${String(d).padStart(2, '0')}T12:00:00.000000Z` as Crm.CompanyDetails['createdAt'];
          const got = await Promise.all(
            Array.from({ length: 16 }, () => fx.unitOfWork.run((s) => repo.allocateSequence(s, kind, at))),
          );
          const sorted = [...got].sort((a, b) => a - b);
          expect(new Set(got).size).toBe(16);
          expect(sorted.at(-1)! - sorted[0]! + 1).toBe(16);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('allocates a block of n and gives numbers back when the transaction rolls back', async () => {
    const at = '2027-03-01T00:00:00.000000Z' as Crm.CompanyDetails['createdAt'];
    expect(await fx.unitOfWork.run((s) => crm.repository.allocateSequence(s, 'CO', at, 5))).toBe(1);
    await expect(
      fx.unitOfWork.run(async (s) => {
        await crm.repository.allocateSequence(s, 'CO', at, 3);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await fx.unitOfWork.run((s) => crm.repository.allocateCompanyUid(s, at))).toBe(
      'CO-20270301-000006',
    );
    const e = await caught(fx.unitOfWork.run((s) => crm.repository.allocateSequence(s, 'CO', at, 0)));
    expect(e.code).toBe('VALIDATION_FAILED');
  });
});

describe('people and slots', () => {
  it('link, refuse a second person while filled, vacate, link again; one person fills slots at two companies', async () => {
    const a = expectOk(await crm.insertCompanyWithSlots({ name: 'Slot A', website: 'slot-a.example' }, meta));
    const b = expectOk(await crm.insertCompanyWithSlots({ name: 'Slot B', website: 'slot-b.example' }, meta));
    const ids = fx.runtime(900).ids;
    const ada = ids.next() as unknown as Crm.PersonId;
    const bob = ids.next() as unknown as Crm.PersonId;
    const pa = expectOk(
      await crm.createPerson(ada, { name: 'Ada', email: ' Ada@Example.COM ', linkedinUrl: null }, meta),
    );
    expect(pa.state).toMatchObject({ status: 'active', email: 'ada@example.com' });
    expectOk(await crm.createPerson(bob, { name: 'Bob', email: 'bob@example.com' }, meta));
    const found = await fx.unitOfWork.run(async (s) => ({
      byEmail: await crm.repository.personByEmail(s, 'ADA@example.com'),
      slotsA: await crm.repository.slotsOfCompany(s, a.companyId),
      slotsB: await crm.repository.slotsOfCompany(s, b.companyId),
    }));
    expect(found.byEmail).toMatchObject({ personId: ada, name: 'Ada' });
    const more = await fx.unitOfWork.run(async (s) => ({
      byUid: await crm.repository.personByUid(s, pa.state.status === 'absent' ? '' : pa.state.personUid),
      byId: await crm.repository.personById(s, bob),
      company: await crm.repository.companyById(s, a.companyId),
      slot: await crm.repository.slotById(s, found.slotsA[2]?.slotId as Crm.CompanySlotId),
      unknownSite: await crm.repository.companyByWebsite(s, 'nowhere.example'),
      malformedSite: await crm.repository.companyByWebsite(s, 'not a site'),
      malformedEmail: await crm.repository.personByEmail(s, 'nobody'),
    }));
    expect(more.byUid).toMatchObject({
      personId: ada,
      personUid: expect.stringMatching(/^PE-20261122-\d{6}$/),
    });
    expect(more.byId).toMatchObject({
      name: 'Bob',
      email: 'bob@example.com',
      validationStatus: 'unverified',
    });
    expect(more.company).toMatchObject({ companyUid: a.companyUid, website: 'slot-a.example' });
    expect(more.slot).toMatchObject({ role: 'HR', status: 'open', slotUid: `SL-${a.companyUid}-HR` });
    expect([more.unknownSite, more.malformedSite, more.malformedEmail]).toEqual([null, null, null]);
    const ceoA = found.slotsA[0]!;
    const cfoB = found.slotsB[1]!;
    expect(ceoA.role).toBe('CEO');
    expect(expectOk(await crm.linkPersonToSlot(ceoA.slotId, ada, meta)).state.status).toBe('filled');
    const refused = await crm.linkPersonToSlot(ceoA.slotId, bob, meta);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('SLOT_ALREADY_FILLED');
    expect(expectOk(await crm.linkPersonToSlot(cfoB.slotId, ada, meta)).state.status).toBe('filled');
    const slotsOfAda = await fx.unitOfWork.run((s) => crm.repository.slotsOfPerson(s, ada));
    expect(slotsOfAda.map((s) => s.role).sort()).toEqual(['CEO', 'CFO']);
    expect(expectOk(await crm.vacateSlot(ceoA.slotId, meta)).state.status).toBe('open');
    const again = await crm.vacateSlot(ceoA.slotId, meta);
    expect(again.ok ? 'ok' : again.error.code).toBe('SLOT_ALREADY_OPEN');
    expect(expectOk(await crm.proposePersonForSlot(ceoA.slotId, bob, meta)).state.status).toBe('pending');
    const linked = expectOk(await crm.linkPersonToSlot(ceoA.slotId, bob, meta));
    expect(linked.state).toMatchObject({ status: 'filled', personId: bob });
    const missing = await crm.linkPersonToSlot(ceoA.slotId, ids.next() as unknown as Crm.PersonId, meta);
    expect(missing.ok ? 'ok' : missing.error.code).toBe('SLOT_ALREADY_FILLED');
    const stored = await fx.unitOfWork.run((s) => crm.repository.slotByUid(s, ceoA.slotUid));
    // opened, filled (Ada), vacated, proposed (Bob), filled (Bob)
    expect(stored).toMatchObject({ status: 'filled', personId: bob, version: 5 });
  });

  it('refuses a duplicate e-mail by the unique key (typed DUPLICATE_KEY) and writes nothing', async () => {
    const ids = fx.runtime(901).ids;
    expectOk(
      await crm.createPerson(
        ids.next() as unknown as Crm.PersonId,
        { name: 'C', email: 'c@example.com' },
        meta,
      ),
    );
    const people = await countRows(fx.pool, `${PREFIX}people`);
    const e = await caught(
      crm.createPerson(ids.next() as unknown as Crm.PersonId, { name: 'C2', email: 'C@example.com' }, meta),
    );
    expect(isPetError(e) && e.code).toBe('DUPLICATE_KEY');
    expect(e.details?.['key']).toBe('uq_email');
    expect(await countRows(fx.pool, `${PREFIX}people`)).toBe(people);
  });
});
