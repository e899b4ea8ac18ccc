/**
 * The CRM context's persistence contract, written once and run against every database (not a test file
 * itself: each adapter's CRM runner calls {@link describeCrmContract}). Companies, slots and people go
 * through `createCrmCommands` and `crmRepository` on the generic unit of work.
 */
import { fc } from '@fast-check/vitest';
import {
  type CommandRuntime,
  Crm,
  createPetRegistry,
  type EventRegistry,
  type Instant,
  runWorkflow,
  type UnitOfWork,
} from '@pet-ops/core';
import { fixedClock } from '@pet-ops/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmCommands, createCrmCommands, crmBindings, crmRepository } from '../contexts/crm.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore } from '../event-store/event-store.js';
import { defaultRetryPolicy } from '../retry.js';
import { STATE_TABLES } from '../tables/index.js';
import { createUnitOfWork } from '../unit-of-work.js';
import { caught, newId } from './event-store-contract.test.js';

/** One connection (or pool) to the database under test. */
export interface SeamClient {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  readonly close: () => Promise<void>;
}

/**
 * One database under test, migrated with `prefix`. `client()` opens a further client of the same database
 * on its own connection(s) — concurrent writers in the tests are real clients, not calls on one connection.
 */
export interface SeamTarget extends SeamClient {
  readonly prefix: string;
  readonly client: () => SeamClient;
}

/** A unit of work over every declared table on `client`. */
export function unitOfWorkOn(client: SeamClient, prefix: string): UnitOfWork {
  const events = createEventStore({ db: client.db, dialect: client.dialect, prefix });
  return createUnitOfWork({ dialect: client.dialect, prefix, events, tables: STATE_TABLES });
}

/** Every context's events, as a host registers them. */
export const registry: EventRegistry = createPetRegistry();

/** A command runtime on `unitOfWork` with its own clock (stepping 1 µs per event) and random ids. */
export function runtimeOn(unitOfWork: UnitOfWork, start = '2026-11-22T10:00:00.000000Z'): CommandRuntime {
  return {
    unitOfWork,
    registry,
    clock: fixedClock(start, 1),
    ids: { next: newId },
    retry: { ...defaultRetryPolicy, maxAttempts: 20 },
  };
}

/** Rows of `table` (with `column` = `value` when given), counted on the target. */
export async function countWhere(
  t: SeamTarget,
  table: string,
  where?: readonly [column: string, value: unknown],
): Promise<number> {
  let q = t.db.selectFrom(`${t.prefix}${table}`).select(sql<number>`count(*)`.as('n'));
  if (where !== undefined) q = q.where(where[0], '=', where[1]);
  const row = (await q.executeTakeFirstOrThrow()) as { n: unknown };
  return Number(row.n);
}

function expectOk<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.value;
}

const meta = { actor: { type: 'employee' as const, id: 'emp-1' } };

/**
 * A company written through the company binding alone (as a host may), so it has no slots yet: what a
 * company that "lost" its slots looked like before the database refused DELETE.
 */
export async function companyWithoutSlots(
  uow: UnitOfWork,
  name: string,
  website: string,
): Promise<{ companyId: Crm.CompanyId; companyUid: Crm.CompanyUid }> {
  const runtime = runtimeOn(uow);
  const companyId = newId() as string as Crm.CompanyId;
  const r = await runWorkflow(runtime, meta, async (w) => {
    const createdAt = runtime.clock.now();
    const companyUid = await crmRepository.allocateCompanyUid(w.scope, createdAt);
    return w.execute(crmBindings.company, {
      streamId: companyId,
      command: {
        type: 'create',
        companyId,
        companyUid,
        createdAt,
        name,
        website,
        externalId: null,
        einRaw: null,
      },
    });
  });
  if (!r.ok) throw new Error(r.error.code);
  if (!('value' in r.value)) throw new Error('a duplicate of an earlier insert');
  const state = r.value.value.state;
  if (state.status === 'absent') throw new Error('not created');
  return { companyId, companyUid: state.companyUid };
}

/** Rewrites a company's stored website key to one written before the host rule (with a path or port). */
export async function legacyWebsite(t: SeamTarget, companyUid: string, stored: string): Promise<void> {
  await t.db
    .updateTable(`${t.prefix}companies`)
    .set({ website: stored })
    .where('company_uid', '=', companyUid)
    .execute();
}

/**
 * Declares the CRM persistence contract tests for one database.
 *
 * @example
 * ```ts
 * describeCrmContract('sqlite', async () => ({ db, dialect, prefix: 'pet_', client, close }));
 * ```
 */
export function describeCrmContract(name: string, open: () => Promise<SeamTarget>): void {
  describe(`CRM persistence contract (${name})`, () => {
    let t: SeamTarget;
    let uow: UnitOfWork;
    let crm: CrmCommands;
    const clients: SeamClient[] = [];

    /** Commands on a client of its own (own connection, own clock). */
    function commandsOnNewClient(start?: string): CrmCommands {
      const c = t.client();
      clients.push(c);
      return createCrmCommands({ runtime: runtimeOn(unitOfWorkOn(c, t.prefix), start) });
    }
    const slotsOf = async (companyUid: string): Promise<string[]> =>
      (
        (await t.db
          .selectFrom(`${t.prefix}company_slots`)
          .select('slot_uid')
          .where('company_uid', '=', companyUid)
          .orderBy('slot_uid')
          .execute()) as { slot_uid: string }[]
      ).map((r) => r.slot_uid);

    beforeAll(async () => {
      t = await open();
      uow = unitOfWorkOn(t, t.prefix);
      crm = createCrmCommands({ runtime: runtimeOn(uow) });
    });
    afterAll(async () => {
      for (const c of clients) await c.close();
      await t?.close();
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
        const found = await uow.run((s) => crmRepository.companyByUid(s, r.companyUid));
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
        const companies = await countWhere(t, 'companies');
        const slots = await countWhere(t, 'company_slots');
        const byWebsite = expectOk(
          await crm.insertCompanyWithSlots({ name: 'Beta Inc', website: 'HTTP://WWW.beta.io/' }, meta),
        );
        expect(byWebsite).toMatchObject({
          result: 'exists',
          companyUid: first.companyUid,
          matchedBy: 'website',
        });
        const byExternal = expectOk(
          await crm.insertCompanyWithSlots({ name: 'B', externalId: ' ap-2 ' }, meta),
        );
        expect(byExternal).toMatchObject({
          result: 'exists',
          companyUid: first.companyUid,
          matchedBy: 'externalId',
          openedSlotRoles: [],
        });
        expect(await countWhere(t, 'companies')).toBe(companies);
        expect(await countWhere(t, 'company_slots')).toBe(slots);
      });

      it('given a bad row, when inserting, then the intake rejection code and nothing is written', async () => {
        const before = await countWhere(t, 'companies');
        const events = await countWhere(t, 'domain_events');
        for (const [input, code] of [
          [{ name: '  ', website: 'x.com' }, 'MISSING_NAME'],
          [{ name: 'X', website: 'not a url' }, 'MALFORMED_WEBSITE'],
          [{ name: 'X' }, 'MISSING_KEY'],
        ] as const) {
          const r = await crm.insertCompanyWithSlots(input, meta);
          expect(r.ok ? 'ok' : r.error.code).toBe(code);
        }
        expect(await countWhere(t, 'companies')).toBe(before);
        expect(await countWhere(t, 'domain_events')).toBe(events);
        const e = await caught(crm.insertCompanyWithSlots({ name: 42 } as never, meta));
        expect(e.code).toBe('VALIDATION_FAILED');
      });

      it('given a company without slot rows, when inserting it again, then the missing slots are opened (exists)', async () => {
        const first = await companyWithoutSlots(uow, 'Gamma', 'gamma.dev');
        expect(await slotsOf(first.companyUid)).toHaveLength(0);
        const again = expectOk(
          await crm.insertCompanyWithSlots({ name: 'Gamma', website: 'gamma.dev' }, meta),
        );
        expect(again).toMatchObject({ result: 'exists', openedSlotRoles: ['CEO', 'CFO', 'HR'] });
        expect(await slotsOf(first.companyUid)).toHaveLength(3);
      });

      it('given https://Gamma.com/x, when inserting gamma.com and http://www.GAMMA.com/?q=1, then they are one company keyed by its host', async () => {
        const first = expectOk(
          await crm.insertCompanyWithSlots({ name: 'Gamma Host', website: 'https://Gamma-host.com/x' }, meta),
        );
        expect(first.result).toBe('created');
        for (const spelling of [
          'gamma-host.com',
          'http://www.GAMMA-host.com/?q=1',
          'gamma-host.com:8443/de#a',
        ]) {
          expect(
            expectOk(await crm.insertCompanyWithSlots({ name: 'Other name', website: spelling }, meta)),
          ).toMatchObject({ result: 'exists', companyUid: first.companyUid, matchedBy: 'website' });
        }
        const stored = await uow.run((s) => crmRepository.companyById(s, first.companyId));
        expect(stored?.website).toBe('gamma-host.com');
        const other = expectOk(
          await crm.insertCompanyWithSlots({ name: 'Shop', website: 'https://shop.gamma-host.com/x' }, meta),
        );
        expect(other.result).toBe('created');
      });

      it('given a company stored before the host rule (key with a path), when looked up or inserted by its host, then it is found and its stored key is kept', async () => {
        const old = expectOk(
          await crm.insertCompanyWithSlots({ name: 'Legacy', website: 'legacy-path.dev' }, meta),
        );
        await legacyWebsite(t, old.companyUid, 'legacy-path.dev/about');
        const found = await uow.run((s) =>
          crmRepository.companyByWebsite(s, 'https://www.Legacy-Path.dev/other'),
        );
        expect(found).toMatchObject({ companyUid: old.companyUid, website: 'legacy-path.dev/about' });
        const again = expectOk(
          await crm.insertCompanyWithSlots({ name: 'Legacy', website: 'http://legacy-path.dev' }, meta),
        );
        expect(again).toMatchObject({ result: 'exists', companyUid: old.companyUid, matchedBy: 'website' });
        const stored = await uow.run((s) => crmRepository.companyById(s, old.companyId));
        expect(stored?.website).toBe('legacy-path.dev/about');
        // Two legacy keys of one host: the exact host key wins, else the oldest (lowest uid).
        const second = expectOk(
          await crm.insertCompanyWithSlots({ name: 'Legacy 2', website: 'legacy-two.dev' }, meta),
        );
        await legacyWebsite(t, second.companyUid, 'legacy-path.dev:8080/shop');
        const oldest = await uow.run((s) => crmRepository.companyByWebsite(s, 'legacy-path.dev'));
        expect(oldest?.companyUid).toBe(old.companyUid);
        // A host that only shares a prefix is another company.
        const prefixOnly = await uow.run((s) => crmRepository.companyByWebsite(s, 'legacy-path.de'));
        expect(prefixOnly).toBeNull();
      });

      it('given the same idempotency key twice, when inserting, then the second call reports the first company', async () => {
        const m = { ...meta, idempotencyKey: `intake-delta-${newId()}` };
        const a = expectOk(await crm.insertCompanyWithSlots({ name: 'Delta', website: 'delta.dev' }, m));
        const b = expectOk(await crm.insertCompanyWithSlots({ name: 'Delta', website: 'delta.dev' }, m));
        expect(b).toMatchObject({ result: 'exists', companyUid: a.companyUid });
      });

      it('property: any sequence of repeated inserts of one company yields one company with exactly three slots', async () => {
        let n = 0;
        const spellings = (host: string) => [
          host,
          `https://${host}`,
          `http://www.${host}/`,
          ` HTTPS://WWW.${host.toUpperCase()}/ `,
        ];
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.record({ site: fc.boolean(), ext: fc.boolean(), variant: fc.nat(3) }), {
              minLength: 1,
              maxLength: 5,
            }),
            async (steps) => {
              n++;
              const host = `prop${n}-${newId().slice(-6)}.example`;
              let uid: string | undefined;
              for (const [i, step] of steps.entries()) {
                const useSite = i === 0 || step.site || !step.ext;
                const r = expectOk(
                  await crm.insertCompanyWithSlots(
                    {
                      name: `Prop ${n}`,
                      website: useSite ? (spellings(host)[step.variant] ?? host) : null,
                      externalId: i === 0 || step.ext ? `prop-${host}` : null,
                    },
                    meta,
                  ),
                );
                expect(r.result).toBe(i === 0 ? 'created' : 'exists');
                uid ??= r.companyUid;
                expect(r.companyUid).toBe(uid);
              }
              expect(await countWhere(t, 'companies', ['website', host])).toBe(1);
              expect(await slotsOf(uid ?? '')).toHaveLength(3);
            },
          ),
          { numRuns: 8 },
        );
      });

      it('given 16 concurrent clients inserting distinct companies, then 16 distinct uids, dense within the day', async () => {
        const day = '2026-11-23T08:00:00.000000Z';
        const results = await Promise.all(
          Array.from({ length: 16 }, (_, i) =>
            commandsOnNewClient(day).insertCompanyWithSlots(
              { name: `Conc ${i}`, website: `conc${i}.example` },
              meta,
            ),
          ),
        );
        const uids = results.map((r) => expectOk(r).companyUid).sort(Crm.compareUids);
        expect(uids).toEqual(
          Array.from({ length: 16 }, (_, i) => `CO-20261123-${String(i + 1).padStart(6, '0')}`),
        );
      });

      it('given 16 concurrent clients inserting the same company, then they converge on one company with three slots', async () => {
        const results = await Promise.all(
          Array.from({ length: 16 }, (_, i) =>
            commandsOnNewClient().insertCompanyWithSlots(
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
        expect(await countWhere(t, 'companies', ['website', 'same.example'])).toBe(1);
        expect(await slotsOf(values[0]?.companyUid ?? '')).toHaveLength(3);
      });
    });

    describe('uid allocation', () => {
      it('property: 16 concurrent clients allocating one kind and day never repeat and fill a contiguous range', async () => {
        const units = Array.from({ length: 16 }, () => {
          const c = t.client();
          clients.push(c);
          return unitOfWorkOn(c, t.prefix);
        });
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('CO' as const, 'PE' as const),
            fc.integer({ min: 1, max: 28 }),
            async (kind, d) => {
              const at = `2027-02-${String(d).padStart(2, '0')}T12:00:00.000000Z` as Instant;
              const got = await Promise.all(
                units.map((u) => u.run((s) => crmRepository.allocateSequence(s, kind, at))),
              );
              const sorted = [...got].sort((a, b) => a - b);
              expect(new Set(got).size).toBe(16);
              expect((sorted.at(-1) ?? 0) - (sorted[0] ?? 0) + 1).toBe(16);
            },
          ),
          { numRuns: 6 },
        );
      });

      it('given a block of 5, when a unit allocating 3 more rolls back, then its numbers are given back; a count of 0 is VALIDATION_FAILED', async () => {
        const at = '2027-03-01T00:00:00.000000Z' as Instant;
        expect(await uow.run((s) => crmRepository.allocateSequence(s, 'CO', at, 5))).toBe(1);
        await expect(
          uow.run(async (s) => {
            await crmRepository.allocateSequence(s, 'CO', at, 3);
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        expect(await uow.run((s) => crmRepository.allocateCompanyUid(s, at))).toBe('CO-20270301-000006');
        expect(await uow.run((s) => crmRepository.allocatePersonUid(s, at))).toBe('PE-20270301-000001');
        const e = await caught(uow.run((s) => crmRepository.allocateSequence(s, 'CO', at, 0)));
        expect(e.code).toBe('VALIDATION_FAILED');
        const outside = await caught(crmRepository.allocateSequence({} as never, 'CO', at));
        expect(outside.code).toBe('VALIDATION_FAILED');
      });
    });

    describe('public input', () => {
      it('given wrongly typed input to any CRM entry, then VALIDATION_FAILED naming it, and nothing is written', async () => {
        const before = await countWhere(t, 'domain_events');
        const at = '2027-04-01T00:00:00.000000Z' as Instant;
        const wrong: (() => unknown)[] = [
          async () => createCrmCommands({ runtime: null } as never),
          () => crm.insertCompanyWithSlots(null as never, meta),
          () => crm.insertCompanyWithSlots({ name: 'X', website: 42 } as never, meta),
          () => crm.createPerson('nope' as Crm.PersonId, { name: 'Ada' }, meta),
          () => crm.createPerson(newId() as string as Crm.PersonId, { name: ['Ada'] } as never, meta),
          () => crm.linkPersonToSlot('nope' as Crm.CompanySlotId, newId() as string as Crm.PersonId, meta),
          () => crm.linkPersonToSlot(newId() as string as Crm.CompanySlotId, 42 as never, meta),
          () => crm.vacateSlot({} as never, meta),
          () => uow.run((s) => crmRepository.allocateSequence(s, 'XX' as never, at)),
          () => uow.run((s) => crmRepository.allocateSequence(s, 'CO', 'yesterday' as Instant)),
          () => uow.run((s) => crmRepository.allocateSequence(s, 'CO', at, 1.5)),
          () => uow.run((s) => crmRepository.slotsOfCompany(s, 7 as never)),
          () => uow.run((s) => crmRepository.slotsOfPerson(s, 'nope' as Crm.PersonId)),
          () => crmRepository.companyById({} as never, newId() as string as Crm.CompanyId),
        ];
        for (const w of wrong) {
          const e = await caught(Promise.resolve().then(w));
          expect(e.code).toBe('VALIDATION_FAILED');
          expect(e.details?.['issues']).toEqual(
            expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]),
          );
        }
        const quiet = await uow.run(async (s) => [
          await crmRepository.companyByUid(s, 42 as never),
          await crmRepository.personById(s, 'nope' as Crm.PersonId),
          await crmRepository.slotByUid(s, 'SL-nothing'),
        ]);
        expect(quiet).toEqual([null, null, null]);
        expect(await countWhere(t, 'domain_events')).toBe(before);
      });
    });

    describe('people and slots by uid', () => {
      it('given a person and a company, when linking by (person_uid, slot_uid) and vacating by slot_uid, then the slot fills and empties; unknown uids, an occupied slot and malformed uids are refused', async () => {
        const co = expectOk(
          await crm.insertCompanyWithSlots({ name: 'Uid Co', website: 'uid-co.example' }, meta),
        );
        const ada = expectOk(await crm.insertPerson({ name: 'Ada Uid', email: 'ada.uid@example.com' }, meta));
        const bob = expectOk(await crm.insertPerson({ name: 'Bob Uid', email: 'bob.uid@example.com' }, meta));
        expect(ada.result).toBe('created');
        const ceo = `SL-${co.companyUid}-CEO`;
        const linked = expectOk(await crm.linkPersonToSlotByUid(ada.personUid, ceo, meta));
        expect(linked.state).toMatchObject({ status: 'filled', personId: ada.personId, slotUid: ceo });
        // Linking the same person again changes nothing.
        expect(expectOk(await crm.linkPersonToSlotByUid(ada.personUid, ceo, meta)).events).toHaveLength(0);
        const occupied = await crm.linkPersonToSlotByUid(bob.personUid, ceo, meta);
        expect(occupied.ok ? 'ok' : occupied.error.code).toBe('SLOT_ALREADY_FILLED');
        const unknownPerson = await crm.linkPersonToSlotByUid('PE-20261122-999999', ceo, meta);
        expect(unknownPerson.ok ? 'ok' : unknownPerson.error.code).toBe('PERSON_UID_UNKNOWN');
        const unknownSlot = await crm.linkPersonToSlotByUid(ada.personUid, 'SL-CO-20261122-999999-HR', meta);
        expect(unknownSlot.ok ? 'ok' : unknownSlot.error.code).toBe('SLOT_UID_UNKNOWN');
        const events = await countWhere(t, 'domain_events');
        for (const bad of [
          crm.linkPersonToSlotByUid('ada', ceo, meta),
          crm.linkPersonToSlotByUid(ada.personUid, 'SL-nope', meta),
          crm.vacateSlotByUid('CEO', meta),
        ]) {
          const e = await caught(bad);
          expect(e.code).toBe('VALIDATION_FAILED');
        }
        expect(await countWhere(t, 'domain_events')).toBe(events);
        expect(expectOk(await crm.vacateSlotByUid(ceo, meta)).state.status).toBe('open');
        const empty = await crm.vacateSlotByUid(ceo, meta);
        expect(empty.ok ? 'ok' : empty.error.code).toBe('SLOT_ALREADY_OPEN');
        const gone = await crm.vacateSlotByUid('SL-CO-20261122-999999-CFO', meta);
        expect(gone.ok ? 'ok' : gone.error.code).toBe('SLOT_UID_UNKNOWN');
        expect(expectOk(await crm.linkPersonToSlotByUid(bob.personUid, ceo, meta)).state).toMatchObject({
          status: 'filled',
          personId: bob.personId,
        });
      });

      it('given a person with an e-mail, when inserting the same e-mail again in any spelling, then exists with the same uid; without an e-mail a new person each time', async () => {
        const first = expectOk(
          await crm.insertPerson({ name: 'Eve', email: 'eve.intake@example.com' }, meta),
        );
        const again = expectOk(
          await crm.insertPerson({ name: 'Eve B', email: ' EVE.intake@Example.com ' }, meta),
        );
        expect(again).toEqual({ result: 'exists', personId: first.personId, personUid: first.personUid });
        const a = expectOk(await crm.insertPerson({ name: 'No Mail' }, meta));
        const b = expectOk(await crm.insertPerson({ name: 'No Mail' }, meta));
        expect(a.personUid).not.toBe(b.personUid);
        const bad = await crm.insertPerson({ name: 'Bad', email: 'nope' }, meta);
        expect(bad.ok ? 'ok' : bad.error.code).toBe('PERSON_EMAIL_MALFORMED');
      });
    });

    describe('people and slots', () => {
      it('link, refuse a second person while filled, vacate, propose; one person fills slots at two companies; lookups by every key', async () => {
        const a = expectOk(
          await crm.insertCompanyWithSlots({ name: 'Slot A', website: 'slot-a.example' }, meta),
        );
        const b = expectOk(
          await crm.insertCompanyWithSlots({ name: 'Slot B', website: 'slot-b.example' }, meta),
        );
        const ada = newId() as string as Crm.PersonId;
        const bob = newId() as string as Crm.PersonId;
        const pa = expectOk(
          await crm.createPerson(ada, { name: 'Ada', email: ' Ada@Example.COM ', linkedinUrl: null }, meta),
        );
        expect(pa.state).toMatchObject({ status: 'active', email: 'ada@example.com' });
        expectOk(await crm.createPerson(bob, { name: 'Bob', email: 'bob@example.com' }, meta));
        const duplicate = await caught(
          crm.createPerson(
            newId() as string as Crm.PersonId,
            { name: 'Ada 2', email: 'ada@example.com' },
            meta,
          ),
        );
        expect(duplicate.code).toBe('DUPLICATE_KEY');
        const found = await uow.run(async (s) => ({
          byEmail: await crmRepository.personByEmail(s, 'ADA@example.com'),
          slotsA: await crmRepository.slotsOfCompany(s, a.companyId),
          slotsB: await crmRepository.slotsOfCompany(s, b.companyId),
        }));
        expect(found.byEmail).toMatchObject({ personId: ada, name: 'Ada', version: 1 });
        expect(found.slotsA.map((s) => s.role)).toEqual(['CEO', 'CFO', 'HR']);
        const more = await uow.run(async (s) => ({
          byUid: await crmRepository.personByUid(s, pa.state.status === 'absent' ? '' : pa.state.personUid),
          byId: await crmRepository.personById(s, bob),
          company: await crmRepository.companyById(s, a.companyId),
          slot: await crmRepository.slotById(s, found.slotsA[2]?.slotId as Crm.CompanySlotId),
          slotByUid: await crmRepository.slotByUid(s, `SL-${a.companyUid}-CFO`),
          unknownSite: await crmRepository.companyByWebsite(s, 'nowhere.example'),
          malformedSite: await crmRepository.companyByWebsite(s, 'not a site'),
          malformedEmail: await crmRepository.personByEmail(s, 'nobody'),
          malformedId: await crmRepository.companyById(s, 'not-a-uuid' as Crm.CompanyId),
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
        expect(more.slotByUid).toMatchObject({ role: 'CFO', companyId: a.companyId });
        expect([more.unknownSite, more.malformedSite, more.malformedEmail, more.malformedId]).toEqual([
          null,
          null,
          null,
          null,
        ]);
        const ceoA = found.slotsA[0] as NonNullable<(typeof found.slotsA)[number]>;
        const cfoB = found.slotsB[1] as NonNullable<(typeof found.slotsB)[number]>;
        expect(expectOk(await crm.linkPersonToSlot(ceoA.slotId, ada, meta)).state.status).toBe('filled');
        const refused = await crm.linkPersonToSlot(ceoA.slotId, bob, meta);
        expect(refused.ok ? 'ok' : refused.error.code).toBe('SLOT_ALREADY_FILLED');
        expect(expectOk(await crm.linkPersonToSlot(cfoB.slotId, ada, meta)).state.status).toBe('filled');
        const slotsOfAda = await uow.run((s) => crmRepository.slotsOfPerson(s, ada));
        expect(slotsOfAda.map((s) => s.role).sort()).toEqual(['CEO', 'CFO']);
        expect(expectOk(await crm.vacateSlot(ceoA.slotId, meta)).state.status).toBe('open');
        const again = await crm.vacateSlot(ceoA.slotId, meta);
        expect(again.ok ? 'ok' : again.error.code).toBe('SLOT_ALREADY_OPEN');
        expect(expectOk(await crm.proposePersonForSlot(ceoA.slotId, bob, meta)).state.status).toBe('pending');
        const nobody = await crm.linkPersonToSlot(
          found.slotsB[2]?.slotId as Crm.CompanySlotId,
          newId() as string as Crm.PersonId,
          meta,
        );
        expect(nobody.ok ? 'ok' : nobody.error.code).toBe('SLOT_FACTS_MISSING');
        const resent = { ...meta, idempotencyKey: `person-${ada}` };
        const cid = newId() as string as Crm.PersonId;
        expectOk(await crm.createPerson(cid, { name: 'Cid' }, resent));
        expect(expectOk(await crm.createPerson(cid, { name: 'Cid' }, resent))).toMatchObject({
          duplicate: true,
          state: { status: 'active', name: 'Cid' },
        });
      });
    });
  });
}
