import { fc } from '@fast-check/vitest';
import {
  type CommandRuntime,
  Crm,
  createCommandHandler,
  type EventStore,
  type Instant,
  isPetError,
  type UnitOfWork,
  type UnitOfWorkScope,
  type Uuid,
} from '@pet-ops/core';
import {
  createInMemoryEventStore,
  createInMemoryUnitOfWork,
  fixedClock,
  sequentialIds,
} from '@pet-ops/core/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createMysqlEventStore } from '../event-store/event-store.js';
import { companyBinding, companySlotBinding, personBinding } from './bindings.js';
import { companyDefinition, companySlotDefinition, personDefinition } from './definitions.js';
import { ACTOR, type CrmFixture, openCrmFixture, PREFIX, registry } from './fixtures.test.js';

let fx: CrmFixture;
let mysqlStore: EventStore;

beforeAll(async () => {
  fx = await openCrmFixture(inject('mysqlUrl'));
  mysqlStore = createMysqlEventStore({ pool: fx.pool, prefix: PREFIX });
});
afterAll(async () => {
  await fx?.close();
});

/** A command on the small universe of 2 companies, 2 people and their 6 slots, by index. */
type Op =
  | { readonly kind: 'createCompany'; readonly c: number }
  | { readonly kind: 'renameCompany'; readonly c: number; readonly name: string }
  | { readonly kind: 'archiveCompany'; readonly c: number }
  | { readonly kind: 'createPerson'; readonly p: number }
  | { readonly kind: 'updatePerson'; readonly p: number; readonly linkedin: boolean }
  | { readonly kind: 'validatePerson'; readonly p: number }
  | { readonly kind: 'archivePerson'; readonly p: number }
  | { readonly kind: 'openSlot'; readonly s: number }
  | { readonly kind: 'link' | 'propose'; readonly s: number; readonly p: number }
  | { readonly kind: 'vacate'; readonly s: number };

const c = fc.integer({ min: 0, max: 1 });
const p = fc.integer({ min: 0, max: 1 });
const s = fc.integer({ min: 0, max: 5 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('createCompany' as const), c }),
  fc.record({ kind: fc.constant('renameCompany' as const), c, name: fc.constantFrom('Acme', 'Beta', ' ') }),
  fc.record({ kind: fc.constant('archiveCompany' as const), c }),
  fc.record({ kind: fc.constant('createPerson' as const), p }),
  fc.record({ kind: fc.constant('updatePerson' as const), p, linkedin: fc.boolean() }),
  fc.record({ kind: fc.constant('validatePerson' as const), p }),
  fc.record({ kind: fc.constant('archivePerson' as const), p }),
  fc.record({ kind: fc.constant('openSlot' as const), s }),
  fc.record({ kind: fc.constantFrom('link' as const, 'propose' as const), s, p }),
  fc.record({ kind: fc.constant('vacate' as const), s }),
);

/** The universe of one run: ids, uids and keys unique per run (the MySQL tables are shared). */
function universe(run: number) {
  const ids = sequentialIds(2000 + run);
  const day = new Date(Date.UTC(2030, 0, 1 + run)).toISOString().slice(0, 10);
  const createdAt = `${day}T09:00:00.000000Z` as Instant;
  const companies = [0, 1].map((i) => ({
    id: ids.next() as unknown as Crm.CompanyId,
    uid: Crm.formatCompanyUid(createdAt, i + 1),
    website: `r${run}-c${i}.example`,
  }));
  const people = [0, 1].map((i) => ({
    id: ids.next() as unknown as Crm.PersonId,
    uid: Crm.formatPersonUid(createdAt, i + 1),
    email: `r${run}-p${i}@example.com`,
  }));
  const slots = [0, 1, 2, 3, 4, 5].map((i) => ({
    id: ids.next() as unknown as Crm.CompanySlotId,
    company: companies[Math.floor(i / 3)] as (typeof companies)[number],
    role: Crm.SLOT_ROLES[i % 3] as Crm.SlotRole,
  }));
  return { createdAt, companies, people, slots };
}

type Universe = ReturnType<typeof universe>;

/** Slot facts from aggregate loads only, so both units of work answer them the same way. */
async function slotFacts(
  scope: UnitOfWorkScope,
  personId: Crm.PersonId,
  slot: Crm.CompanySlotState,
): Promise<Crm.CompanySlotFacts | undefined> {
  if (slot.status === 'absent') return undefined;
  const person = (await scope.aggregate(personDefinition).load(personId as unknown as Uuid)).state;
  const company = (await scope.aggregate(companyDefinition).load(slot.companyId as unknown as Uuid)).state;
  if (person.status === 'absent' || company.status === 'absent') return undefined;
  return {
    person: { personId, status: person.status },
    company: { companyId: slot.companyId, status: company.status },
  };
}

/** Runs the ops through the command handler on one unit of work; returns every outcome, comparable. */
async function play(
  unitOfWork: UnitOfWork,
  u: Universe,
  ops: readonly Op[],
  run: number,
): Promise<unknown[]> {
  const runtime: CommandRuntime = {
    unitOfWork,
    registry,
    clock: fixedClock(u.createdAt, 1),
    ids: sequentialIds(3000 + run),
  };
  const companies = createCommandHandler(runtime, companyBinding);
  const people = createCommandHandler(runtime, personBinding);
  const slots = createCommandHandler(runtime, companySlotBinding);
  const meta = { actor: ACTOR };
  const at = u.createdAt;
  const out: unknown[] = [];
  const sid = (x: string) => x as unknown as Uuid;
  for (const op of ops) {
    try {
      out.push(await one(op));
    } catch (e) {
      // Bad input throws (a ValidationError) on both sides alike.
      out.push({ thrown: isPetError(e) ? e.code : String(e) });
    }
  }
  async function one(op: Op): Promise<unknown> {
    let r: { ok: boolean; value?: unknown; error?: { code: string } };
    switch (op.kind) {
      case 'createCompany': {
        const co = u.companies[op.c] as Universe['companies'][number];
        r = await companies({
          streamId: sid(co.id),
          command: {
            type: 'create',
            companyId: co.id,
            companyUid: co.uid,
            createdAt: at,
            name: `Co ${op.c}`,
            website: `https://www.${co.website}/`,
            externalId: null,
            einRaw: null,
          },
          metadata: meta,
        });
        break;
      }
      case 'renameCompany':
        r = await companies({
          streamId: sid(u.companies[op.c]?.id ?? ''),
          command: { type: 'update', changes: { name: op.name } },
          metadata: meta,
        });
        break;
      case 'archiveCompany':
        r = await companies({
          streamId: sid(u.companies[op.c]?.id ?? ''),
          command: { type: 'archive', at },
          metadata: meta,
        });
        break;
      case 'createPerson': {
        const pe = u.people[op.p] as Universe['people'][number];
        r = await people({
          streamId: sid(pe.id),
          command: {
            type: 'create',
            personId: pe.id,
            personUid: pe.uid,
            createdAt: at,
            name: `P ${op.p}`,
            email: pe.email,
            linkedinUrl: null,
          },
          metadata: meta,
        });
        break;
      }
      case 'updatePerson':
        r = await people({
          streamId: sid(u.people[op.p]?.id ?? ''),
          command: {
            type: 'update',
            changes: { linkedinUrl: op.linkedin ? `https://www.linkedin.com/in/p${op.p}` : null },
          },
          metadata: meta,
        });
        break;
      case 'validatePerson':
        r = await people({
          streamId: sid(u.people[op.p]?.id ?? ''),
          command: { type: 'setValidationStatus', validationStatus: 'verified' },
          metadata: meta,
        });
        break;
      case 'archivePerson': {
        const personId = u.people[op.p]?.id as Crm.PersonId;
        r = await people({
          streamId: sid(personId),
          command: { type: 'archive', at },
          loadFacts: async (scope) => {
            const occupied: Crm.CompanySlotId[] = [];
            for (const sl of u.slots) {
              const st = (await scope.aggregate(companySlotDefinition).load(sid(sl.id))).state;
              if ((st.status === 'pending' || st.status === 'filled') && st.personId === personId)
                occupied.push(sl.id);
            }
            return { occupiedSlotIds: occupied };
          },
          metadata: meta,
        });
        break;
      }
      case 'openSlot': {
        const sl = u.slots[op.s] as Universe['slots'][number];
        r = await slots({
          streamId: sid(sl.id),
          command: {
            type: 'open',
            slotId: sl.id,
            companyId: sl.company.id,
            companyUid: sl.company.uid,
            role: sl.role,
          },
          metadata: meta,
        });
        break;
      }
      case 'link':
      case 'propose': {
        const personId = u.people[op.p]?.id as Crm.PersonId;
        r = await slots({
          streamId: sid(u.slots[op.s]?.id ?? ''),
          command: { type: op.kind, personId },
          loadFacts: (scope, loaded) => slotFacts(scope, personId, loaded.state),
          metadata: meta,
        });
        break;
      }
      case 'vacate':
        r = await slots({
          streamId: sid(u.slots[op.s]?.id ?? ''),
          command: { type: 'vacate' },
          metadata: meta,
        });
        break;
    }
    if (!r.ok) return { ok: false, code: r.error?.code };
    // Global positions differ between the stores (MySQL's count the migration events too).
    const { positions: _positions, ...value } = r.value as { positions: unknown };
    return { ok: true, value };
  }
  // The final state of every aggregate of the universe.
  out.push(
    await unitOfWork.run(async (scope) => ({
      companies: await Promise.all(
        u.companies.map((x) => scope.aggregate(companyDefinition).load(sid(x.id))),
      ),
      people: await Promise.all(u.people.map((x) => scope.aggregate(personDefinition).load(sid(x.id)))),
      slots: await Promise.all(u.slots.map((x) => scope.aggregate(companySlotDefinition).load(sid(x.id)))),
    })),
  );
  return out;
}

/** A stream as comparable data (positions differ between stores and are left out). */
async function streams(store: EventStore, u: Universe): Promise<unknown[]> {
  const all = [...u.companies, ...u.people, ...u.slots];
  return Promise.all(
    all.map(async (x) =>
      (await store.readStream(x.id as unknown as Uuid)).map((e) => ({
        eventId: e.eventId,
        type: e.type,
        streamType: e.streamType,
        streamVersion: e.streamVersion,
        occurredAt: e.occurredAt,
        payload: e.payload,
      })),
    ),
  );
}

describe('in-memory and MySQL units of work', () => {
  it('property: the same random CRM command sequence gives the same outcomes, events and states', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
        run++;
        const u = universe(run);
        const memoryStore = createInMemoryEventStore();
        const memory = await play(createInMemoryUnitOfWork(memoryStore), u, ops, run);
        const mysql = await play(fx.unitOfWork, u, ops, run);
        expect(mysql).toEqual(memory);
        expect(await streams(mysqlStore, u)).toEqual(await streams(memoryStore, u));
      }),
      { numRuns: 25 },
    );
  });

  it('a fixed sequence exercises every slot transition on both (not vacuous)', async () => {
    const u = universe(500);
    const ops: Op[] = [
      { kind: 'createCompany', c: 0 },
      { kind: 'createPerson', p: 0 },
      { kind: 'openSlot', s: 0 },
      { kind: 'propose', s: 0, p: 0 },
      { kind: 'link', s: 0, p: 0 },
      { kind: 'link', s: 0, p: 1 },
      { kind: 'archivePerson', p: 0 },
      { kind: 'vacate', s: 0 },
      { kind: 'archivePerson', p: 0 },
    ];
    const memory = await play(createInMemoryUnitOfWork(createInMemoryEventStore()), u, ops, 500);
    const mysql = await play(fx.unitOfWork, u, ops, 500);
    expect(mysql).toEqual(memory);
    const codes = mysql
      .slice(0, ops.length)
      .map((o) => ((o as { ok: boolean }).ok ? 'ok' : (o as { code: string }).code));
    expect(codes).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'SLOT_ALREADY_FILLED',
      'PERSON_OCCUPIES_SLOTS',
      'ok',
      'ok',
    ]);
  });
});
