/**
 * Model-based test: random sequences of lead, qualification and opportunity commands, run through the
 * deciders the way the workflows combine them (completing a qualification decides its lead in the same
 * step; an opportunity needs the lead qualified — or already converted — and the customer present, and
 * the first one converts the lead in the same step). Every command carries the next instant of a clock.
 * A tiny model predicts which commands succeed; the invariants are checked after every step.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { BasisPoints, Money } from '../kernel/index.js';
import { type LeadState, leadDecider } from './lead/decider.js';
import type { OpportunityClass } from './lead/events.js';
import { at, companyId, EUR, leadId, opportunityId, qualificationId } from './lead-pipeline-support.test.js';
import { type OpportunityState, opportunityDecider } from './opportunity/decider.js';
import type { OpportunityStage } from './opportunity/events.js';
import { type QualificationState, qualificationDecider } from './qualification/decider.js';

interface Real {
  leads: Map<number, LeadState>;
  quals: Map<number, QualificationState>;
  opps: Map<number, OpportunityState>;
  /** Every stage each opportunity ever had, in order. */
  stages: Map<number, OpportunityStage[]>;
  /** The clock: minutes of the next command's instant. */
  clock: { now: number };
}
const tick = (r: Real) => at(r.clock.now++);
interface Model {
  leads: Map<number, 'created' | 'qualified' | 'converted' | 'disqualified' | 'archived'>;
  leadClass: Map<number, OpportunityClass>;
  quals: Map<number, { lead: number; status: 'started' | 'completed' }>;
  opps: Map<number, { lead: number; stage: OpportunityStage }>;
}
type Cmd = fc.Command<Model, Real>;

function step<S, C, E, F>(
  decider: { decide: (c: C, s: S, f: F) => { ok: boolean; value?: readonly E[] }; evolve: (s: S, e: E) => S },
  state: S,
  command: C,
  facts: F,
): S | null {
  const r = decider.decide(command, state, facts) as { ok: true; value: readonly E[] } | { ok: false };
  return r.ok ? r.value.reduce(decider.evolve, state) : null;
}

function invariants(real: Real): void {
  for (const [n, opp] of real.opps) {
    if (opp.status === 'absent') continue;
    // The class was inherited from a qualified lead.
    const leadN = [...real.leads.entries()].find(([, l]) => l.status !== 'absent' && l.leadId === opp.leadId);
    const l = leadN?.[1];
    expect(
      l !== undefined &&
        l.status !== 'absent' &&
        l.qualificationId !== null &&
        l.disqualificationReason === null,
    ).toBe(true);
    const stages = real.stages.get(n) ?? [];
    const lostAt = stages.indexOf('lost');
    if (lostAt >= 0) expect(stages.slice(lostAt)).not.toContain('won');
    const final = stages.findIndex((s) => s === 'won' || s === 'lost');
    if (final >= 0) expect(new Set(stages.slice(final)).size).toBe(1);
  }
  for (const l of real.leads.values()) {
    if (l.status === 'absent') continue;
    if (l.status === 'qualified' || l.status === 'converted') expect(l.opportunityClass).not.toBeNull();
    if (l.status === 'disqualified') expect(l.disqualificationReason).not.toBeNull();
    // Converted exactly when an opportunity exists for it; the instant recorded, never after the last change.
    const hasOpportunity = [...real.opps.values()].some(
      (o) => o.status !== 'absent' && o.leadId === l.leadId,
    );
    expect(l.status === 'converted').toBe(hasOpportunity);
    expect(l.convertedAt !== null).toBe(l.status === 'converted');
    expect(l.updatedAt).not.toBeNull();
    if (l.convertedAt !== null) expect(String(l.updatedAt) >= l.convertedAt).toBe(true);
  }
}

const createLead = (n: number): Cmd => ({
  check: () => true,
  run: (m, r) => {
    const next = step(
      leadDecider,
      r.leads.get(n) ?? leadDecider.initialState(),
      {
        type: 'create',
        leadId: leadId(n),
        source: 'web',
        subject: `Lead ${n}`,
        description: null,
        customerId: null,
        ownerEmployeeId: null,
        teamId: null,
        schemaVersion: null,
        data: {},
        at: tick(r),
      },
      {},
    );
    expect(next !== null).toBe(!m.leads.has(n));
    if (next !== null) {
      r.leads.set(n, next);
      m.leads.set(n, 'created');
    }
    invariants(r);
  },
  toString: () => `createLead(${n})`,
});

const startQual = (q: number, n: number): Cmd => ({
  check: () => true,
  run: (m, r) => {
    const lead = r.leads.get(n) ?? leadDecider.initialState();
    const next = step(
      qualificationDecider,
      r.quals.get(q) ?? qualificationDecider.initialState(),
      {
        type: 'start',
        qualificationId: qualificationId(q),
        leadId: leadId(n),
        schemaVersion: null,
        data: {},
      },
      { leadStatus: lead.status },
    );
    expect(next !== null).toBe(!m.quals.has(q) && m.leads.get(n) === 'created');
    if (next !== null) {
      r.quals.set(q, next);
      m.quals.set(q, { lead: n, status: 'started' });
    }
    invariants(r);
  },
  toString: () => `startQual(${q}, lead ${n})`,
});

/** The completeQualification workflow: both aggregates change, or neither. */
const completeQual = (q: number, cls: OpportunityClass | null): Cmd => ({
  check: () => true,
  run: (m, r) => {
    const qs = r.quals.get(q) ?? qualificationDecider.initialState();
    const complete =
      cls === null
        ? {
            type: 'complete' as const,
            outcome: 'disqualified' as const,
            opportunityClass: null,
            reason: 'no budget',
          }
        : { type: 'complete' as const, outcome: 'qualified' as const, opportunityClass: cls, reason: null };
    const when = tick(r);
    const nextQ = step(qualificationDecider, qs, { ...complete, at: when }, {});
    const mq = m.quals.get(q);
    const leadOpen = mq !== undefined && m.leads.get(mq.lead) === 'created';
    let ok = false;
    if (nextQ !== null && qs.status !== 'absent') {
      const n = mq?.lead ?? -1;
      const lead = r.leads.get(n) ?? leadDecider.initialState();
      const nextL = step(
        leadDecider,
        lead,
        cls === null
          ? { type: 'disqualify', qualificationId: qualificationId(q), reason: 'no budget', at: when }
          : { type: 'qualify', qualificationId: qualificationId(q), opportunityClass: cls, at: when },
        {},
      );
      const archivedL =
        nextL !== null && cls === null ? step(leadDecider, nextL, { type: 'archive', at: when }, {}) : nextL;
      if (archivedL !== null) {
        ok = true;
        r.quals.set(q, nextQ);
        r.leads.set(n, archivedL);
      }
    }
    expect(ok).toBe(mq?.status === 'started' && leadOpen);
    if (ok && mq !== undefined) {
      m.quals.set(q, { ...mq, status: 'completed' });
      m.leads.set(mq.lead, cls === null ? 'archived' : 'qualified');
      if (cls !== null) m.leadClass.set(mq.lead, cls);
    }
    invariants(r);
  },
  toString: () => `completeQual(${q}, ${cls})`,
});

const createOpp = (o: number, n: number, customer: boolean): Cmd => ({
  check: () => true,
  run: (m, r) => {
    const lead = r.leads.get(n) ?? leadDecider.initialState();
    const next = step(
      opportunityDecider,
      r.opps.get(o) ?? opportunityDecider.initialState(),
      {
        type: 'create',
        opportunityId: opportunityId(o),
        leadId: leadId(n),
        customerId: companyId(1),
        probabilityBp: 5000 as BasisPoints,
        estimatedValue: { amountMinor: 100, currency: EUR } as Money,
        ownerEmployeeId: null,
        teamId: null,
      },
      {
        lead:
          lead.status === 'absent'
            ? { status: 'absent', opportunityClass: null, qualificationId: null }
            : {
                status: lead.status,
                opportunityClass: lead.opportunityClass,
                qualificationId: lead.qualificationId,
              },
        customerExists: customer,
      },
    );
    const leadOk = m.leads.get(n) === 'qualified' || m.leads.get(n) === 'converted';
    expect(next !== null).toBe(!m.opps.has(o) && leadOk && customer);
    if (next !== null && next.status !== 'absent') {
      expect(next.opportunityClass).toBe(m.leadClass.get(n));
      // The changeOpportunity workflow: the first opportunity converts the lead in the same step.
      if (lead.status === 'qualified') {
        const converted = step(
          leadDecider,
          lead,
          { type: 'convert', opportunityId: opportunityId(o), at: tick(r) },
          {},
        );
        expect(converted).not.toBeNull();
        if (converted !== null) r.leads.set(n, converted);
        m.leads.set(n, 'converted');
      } else {
        expect(step(leadDecider, lead, { type: 'convert', opportunityId: opportunityId(o) }, {})).toBeNull();
      }
      r.opps.set(o, next);
      r.stages.set(o, ['open']);
      m.opps.set(o, { lead: n, stage: 'open' });
    }
    invariants(r);
  },
  toString: () => `createOpp(${o}, lead ${n}, customer ${customer})`,
});

const NEXT: Partial<Record<OpportunityStage, OpportunityStage>> = {
  open: 'proposal',
  proposal: 'negotiation',
};
const moveOpp = (o: number, move: 'proposal' | 'negotiation' | 'won' | 'lost'): Cmd => ({
  check: () => true,
  run: (m, r) => {
    const command =
      move === 'won'
        ? { type: 'win' as const, quoteId: null }
        : move === 'lost'
          ? { type: 'lose' as const, reason: 'price' }
          : { type: 'advance' as const, to: move };
    const next = step(opportunityDecider, r.opps.get(o) ?? opportunityDecider.initialState(), command, {});
    const mo = m.opps.get(o);
    const open = mo !== undefined && mo.stage !== 'won' && mo.stage !== 'lost';
    const expected = open && (move === 'won' || move === 'lost' || NEXT[mo.stage] === move);
    expect(next !== null).toBe(expected);
    if (next !== null && next.status !== 'absent' && mo !== undefined) {
      r.opps.set(o, next);
      r.stages.get(o)?.push(next.stage);
      m.opps.set(o, { ...mo, stage: next.stage });
    }
    invariants(r);
  },
  toString: () => `moveOpp(${o}, ${move})`,
});

const n3 = fc.integer({ min: 1, max: 3 });
const allCommands = [
  n3.map(createLead),
  fc.tuple(n3, n3).map(([q, n]) => startQual(q, n)),
  fc
    .tuple(n3, fc.constantFrom<OpportunityClass | null>('gold', 'silver', 'bronze', null))
    .map(([q, c]) => completeQual(q, c)),
  fc.tuple(n3, n3, fc.boolean()).map(([o, n, c]) => createOpp(o, n, c)),
  fc
    .tuple(n3, fc.constantFrom('proposal' as const, 'negotiation' as const, 'won' as const, 'lost' as const))
    .map(([o, s]) => moveOpp(o, s)),
];

describe('lead pipeline model', () => {
  test.prop([fc.commands(allCommands, { maxCommands: 60 })], { numRuns: 200 })(
    'no invariant breaks over random lead/qualification/opportunity sequences',
    (cmds) => {
      fc.modelRun(
        () => ({
          model: { leads: new Map(), leadClass: new Map(), quals: new Map(), opps: new Map() },
          real: { leads: new Map(), quals: new Map(), opps: new Map(), stages: new Map(), clock: { now: 0 } },
        }),
        cmds,
      );
    },
  );
});
