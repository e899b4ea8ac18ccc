import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  assertEvolveNeverThrows,
  assertReplayDeterministic,
  DeciderSpecification,
} from '../../testing/index.js';
import type { CompanyId, PersonId } from '../ids.js';
import { company, person, slot } from '../test-support.test.js';
import { type CompanyUid, SLOT_ROLES, type SlotRole, type SlotUid } from '../uids.js';
import {
  type CompanySlotCommand,
  type CompanySlotFacts,
  companySlotCommandSchema,
  type OpenSlot,
} from './commands.js';
import { companySlotDecider } from './decider.js';
import type { CompanySlotEvent } from './events.js';
import { COMPANY_SLOT_REJECTION_CODES } from './rejections.js';
import type { CompanySlotState } from './state.js';

const seen = new Set<string>();
const spec = DeciderSpecification.for({
  ...companySlotDecider,
  decide: (c, s, f) => {
    const r = companySlotDecider.decide(c, s, f);
    if (!r.ok) seen.add(r.error.code);
    return r;
  },
} satisfies typeof companySlotDecider);

const companyUid = 'CO-20261122-000001' as CompanyUid;
const open: OpenSlot = { type: 'open', slotId: slot(1), companyId: company(1), companyUid, role: 'CFO' };
const ref = { slotId: slot(1), companyId: company(1), role: 'CFO' as const };
const opened: CompanySlotEvent = {
  type: 'company_slot.opened',
  payload: { ...ref, slotUid: 'SL-CO-20261122-000001-CFO' as SlotUid, companyUid },
};
const ada = person(1);
const bob = person(2);
const facts = (
  personId: PersonId,
  status: 'active' | 'archived' = 'active',
  companyStatus: 'active' | 'archived' = 'active',
): CompanySlotFacts => ({
  person: { personId, status },
  company: { companyId: company(1), status: companyStatus },
});
const proposed = (personId: PersonId): CompanySlotEvent => ({
  type: 'company_slot.person_proposed',
  payload: { ...ref, personId },
});
const filled = (personId: PersonId): CompanySlotEvent => ({
  type: 'company_slot.filled',
  payload: { ...ref, personId },
});
const vacated = (personId: PersonId): CompanySlotEvent => ({
  type: 'company_slot.vacated',
  payload: { ...ref, personId },
});

describe('company slot', () => {
  test('given nothing, when opened, then company_slot.opened with uid SL-<company_uid>-<ROLE>', () => {
    spec.given([]).when(open).then([opened]);
    spec
      .given([])
      .when(open)
      .thenState({ status: 'open', ...opened.payload } as never);
  });

  test('open → filled by link; open → pending by propose → filled by link (any person)', () => {
    spec
      .given([opened])
      .when({ type: 'link', personId: ada }, facts(ada))
      .then([filled(ada)]);
    spec
      .given([opened])
      .when({ type: 'propose', personId: ada }, facts(ada))
      .then([proposed(ada)]);
    spec
      .given([opened, proposed(ada)])
      .when({ type: 'link', personId: bob }, facts(bob))
      .then([filled(bob)]);
    spec
      .given([opened, proposed(ada)])
      .when({ type: 'link', personId: ada }, facts(ada))
      .thenState({ status: 'filled', ...opened.payload, personId: ada } as never);
  });

  test('pending | filled → open by vacate (the event names who left)', () => {
    spec
      .given([opened, filled(ada)])
      .when({ type: 'vacate' })
      .then([vacated(ada)]);
    spec
      .given([opened, proposed(bob)])
      .when({ type: 'vacate' })
      .then([vacated(bob)]);
    spec
      .given([opened, filled(ada), vacated(ada)])
      .when({ type: 'link', personId: bob }, facts(bob))
      .then([filled(bob)]);
  });

  test('a filled slot must be vacated first: SLOT_ALREADY_FILLED; the same person again is a no-op', () => {
    spec
      .given([opened, filled(ada)])
      .when({ type: 'link', personId: bob }, facts(bob))
      .thenRejects('SLOT_ALREADY_FILLED');
    spec
      .given([opened, filled(ada)])
      .when({ type: 'propose', personId: bob }, facts(bob))
      .thenRejects('SLOT_ALREADY_FILLED');
    spec
      .given([opened, filled(ada)])
      .when({ type: 'link', personId: ada }, facts(ada))
      .then([]);
    spec
      .given([opened, proposed(ada)])
      .when({ type: 'propose', personId: ada }, facts(ada))
      .then([]);
  });

  test('a second candidate is SLOT_NOT_OPEN; vacating an empty slot SLOT_ALREADY_OPEN', () => {
    spec
      .given([opened, proposed(ada)])
      .when({ type: 'propose', personId: bob }, facts(bob))
      .thenRejects('SLOT_NOT_OPEN');
    spec.given([opened]).when({ type: 'vacate' }).thenRejects('SLOT_ALREADY_OPEN');
  });

  test('archived people and companies cannot take part; facts are required', () => {
    spec
      .given([opened])
      .when({ type: 'link', personId: ada }, facts(ada, 'archived'))
      .thenRejects('SLOT_PERSON_NOT_ACTIVE');
    spec
      .given([opened])
      .when({ type: 'propose', personId: ada }, facts(ada, 'active', 'archived'))
      .thenRejects('SLOT_COMPANY_NOT_ACTIVE');
    spec.given([opened]).when({ type: 'link', personId: ada }).thenRejects('SLOT_FACTS_MISSING');
    spec.given([opened]).when({ type: 'link', personId: ada }, facts(bob)).thenRejects('SLOT_FACTS_MISSING');
  });

  test('SLOT_ALREADY_EXISTS and SLOT_NOT_FOUND', () => {
    spec.given([opened]).when(open).thenRejects('SLOT_ALREADY_EXISTS');
    spec.given([]).when({ type: 'vacate' }).thenRejects('SLOT_NOT_FOUND');
  });

  test('the command schema checks roles and uids', () => {
    expect(companySlotCommandSchema.safeParse({ ...open, role: 'COO' }).success).toBe(false);
    expect(companySlotCommandSchema.safeParse({ ...open, companyUid: 'CO-x' }).success).toBe(false);
    expect(companySlotCommandSchema.parse({ type: 'vacate' })).toEqual({ type: 'vacate' });
  });

  test('every slot rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...COMPANY_SLOT_REJECTION_CODES].sort());
  });
});

// Two companies × three roles; four people (one archived); random commands on random slots.
type Step = { slot: number; command: CompanySlotCommand };
const P = 4;
const slotOf = (n: number) => ({
  companyId: company(n % 2),
  role: SLOT_ROLES[Math.floor(n / 2) % 3] as SlotRole,
});
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.nat(5).map((n) => ({
    slot: n,
    command: {
      type: 'open',
      slotId: slot(n),
      companyUid: `CO-20261122-00000${(n % 2) + 1}` as CompanyUid,
      ...slotOf(n),
    } as CompanySlotCommand,
  })),
  fc.record({ slot: fc.nat(5), p: fc.nat(P - 1) }).map(({ slot: s, p }) => ({
    slot: s,
    command: { type: 'propose', personId: person(p) } as CompanySlotCommand,
  })),
  fc.record({ slot: fc.nat(5), p: fc.nat(P - 1) }).map(({ slot: s, p }) => ({
    slot: s,
    command: { type: 'link', personId: person(p) } as CompanySlotCommand,
  })),
  fc.nat(5).map((n) => ({ slot: n, command: { type: 'vacate' } as CompanySlotCommand })),
);

describe('slot invariants under random command sequences', () => {
  test.prop([fc.array(stepArb, { minLength: 10, maxLength: 80 })])(
    'status matches the person link; a filled slot changes person only through vacate; archived people never join; state = replay',
    (steps) => {
      const slots = new Map<string, { state: CompanySlotState; events: CompanySlotEvent[] }>();
      for (const step of steps) {
        const key = String(step.slot);
        const current = slots.get(key) ?? { state: companySlotDecider.initialState(), events: [] };
        const personId =
          step.command.type === 'link' || step.command.type === 'propose' ? step.command.personId : person(0);
        const companyId: CompanyId = current.state.status === 'absent' ? company(0) : current.state.companyId;
        const r = companySlotDecider.decide(step.command, current.state, {
          person: { personId, status: personId === person(P - 1) ? 'archived' : 'active' },
          company: { companyId, status: 'active' },
        });
        if (!r.ok) continue;
        const next = r.value.reduce(companySlotDecider.evolve, current.state);
        if (current.state.status === 'filled' && next.status !== 'absent' && next.status !== 'open') {
          expect(next).toEqual(current.state); // only vacate moves a filled slot
        }
        for (const e of r.value) {
          if (e.type === 'company_slot.filled' || e.type === 'company_slot.person_proposed')
            expect(e.payload.personId).not.toBe(person(P - 1));
        }
        slots.set(key, { state: next, events: [...current.events, ...r.value] });
      }
      for (const { state, events } of slots.values()) {
        expect(events.reduce(companySlotDecider.evolve, companySlotDecider.initialState())).toEqual(state);
        if (state.status === 'absent') continue;
        expect(state.slotUid).toBe(`SL-${state.companyUid}-${state.role}`);
        expect('personId' in state).toBe(state.status === 'pending' || state.status === 'filled');
      }
    },
  );

  test('given one active person, when linked to slots at two companies, then both slots are filled by them', () => {
    const filledAt = [0, 1].map((c) => {
      const command = {
        type: 'open',
        slotId: slot(c),
        companyUid: `CO-20261122-00000${c + 1}` as CompanyUid,
        companyId: company(c),
        role: 'CEO',
      } as CompanySlotCommand;
      const f = {
        person: { personId: person(0), status: 'active' },
        company: { companyId: company(c), status: 'active' },
      } as const;
      let state = companySlotDecider.initialState();
      for (const cmd of [command, { type: 'link', personId: person(0) } as CompanySlotCommand]) {
        const r = companySlotDecider.decide(cmd, state, f);
        if (!r.ok) throw new Error(r.error.code);
        state = r.value.reduce(companySlotDecider.evolve, state);
      }
      return state;
    });
    expect(filledAt.map((st) => [st.status, 'personId' in st ? st.personId : null])).toEqual([
      ['filled', person(0)],
      ['filled', person(0)],
    ]);
  });

  test('laws: evolve never throws, replay is deterministic', () => {
    const eventArb = fc.constantFrom<CompanySlotEvent>(
      opened,
      proposed(ada),
      filled(ada),
      filled(bob),
      vacated(ada),
    );
    assertEvolveNeverThrows(companySlotDecider, fc.array(eventArb, { maxLength: 12 }));
    assertReplayDeterministic(companySlotDecider, fc.array(eventArb, { maxLength: 12 }));
  });
});
