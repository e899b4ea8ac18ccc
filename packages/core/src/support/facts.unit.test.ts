import { describe, expect, it } from 'vitest';
import type { AggregateDefinition, EventDraft, Uuid } from '../kernel/index.js';
import { fixedClock } from '../testing/clock.js';
import { sequentialIds } from '../testing/ids.js';
import { createInMemoryEventStore, createInMemoryUnitOfWork } from '../testing/in-memory-event-store.js';
import {
  parentTicketFactOf,
  slaBindFactsLoader,
  slaDefinitionFactsLoader,
  slaVersionFactOf,
  ticketFactsLoader,
} from './facts.js';
import { initialSlaAssignmentState, type SlaAssignmentState } from './sla-assignment/state.js';
import { initialSlaDefinitionState, type SlaDefinitionState } from './sla-definition/state.js';
import { customer, goldTerms, iso, london, slaId, team, ticket } from './test-support.test.js';
import { initialTicketState, type TicketState } from './ticket/state.js';

const identity = <S>(streamType: string, initialState: () => S): AggregateDefinition<S> => ({
  streamType,
  initialState,
  encode: (s) => s,
  decode: (s) => s as S,
});
const definitions = {
  ticket: identity<TicketState>('ticket', initialTicketState),
  slaDefinition: identity<SlaDefinitionState>('sla_definition', initialSlaDefinitionState),
  slaAssignment: identity<SlaAssignmentState>('sla_assignment', initialSlaAssignmentState),
};

const at = iso('2026-03-02T09:00Z');
const ids = sequentialIds(11);
const draft = (streamType: string): EventDraft => ({
  eventId: ids.next(),
  type: 'test.saved',
  schemaVersion: 1,
  streamType,
  occurredAt: at,
  actor: { type: 'system', id: null },
  context: {},
  correlationId: null,
  causationId: null,
  payload: {},
});

const gold: SlaDefinitionState = {
  status: 'published',
  slaDefinitionId: slaId(1),
  versionNumber: 3,
  terms: goldTerms,
  publishedAt: at,
  archivedAt: null,
};
const children = [
  { ticketId: ticket(2), subject: 'A', soldMinutes: 40 },
  { ticketId: ticket(3), subject: 'B', soldMinutes: 60 },
];
const parent: TicketState = {
  ticketId: ticket(1),
  owner: 'support',
  status: 'open',
  customerId: customer(1),
  siteId: null,
  projectId: null,
  subject: 'Parent',
  priority: 'medium',
  kind: 'work',
  soldMinutes: 100,
  sla: { mode: 'inherit' },
  parentTicketId: null,
  rootTicketId: ticket(1),
  isRollup: true,
  children,
  assignmentMode: null,
  preferredAssigneeId: null,
  assignedTeamId: null,
  assignedEmployeeId: null,
  links: [],
  createdAt: at,
  openedAt: at,
  respondedAt: null,
  resolvedAt: null,
  closedAt: null,
  archivedAt: null,
};

async function seeded() {
  const uow = createInMemoryUnitOfWork(createInMemoryEventStore({ clock: fixedClock(at) }));
  await uow.run(async (scope) => {
    await scope
      .aggregate(definitions.slaDefinition)
      .save(slaId(1) as Uuid, 0, gold, [draft('sla_definition')]);
    await scope.aggregate(definitions.ticket).save(ticket(1) as Uuid, 0, parent, [draft('ticket')]);
  });
  return uow;
}

describe('support facts loaders', () => {
  const clock = { state: initialSlaAssignmentState(), version: 0 };

  it('given a stored SLA version, when a bind loads its facts, then the version fact and the calendar; an unknown version leaves the SLA out', async () => {
    const uow = await seeded();
    const facts = await uow.run((s) => slaBindFactsLoader(definitions, slaId(1), london)(s, clock));
    expect(facts).toEqual({
      sla: { slaDefinitionId: slaId(1), versionNumber: 3, status: 'published', terms: goldTerms },
      calendar: london,
    });
    const unknown = await uow.run((s) => slaBindFactsLoader(definitions, slaId(9), london)(s, clock));
    expect(unknown).toEqual({ calendar: london });
    expect(slaVersionFactOf(initialSlaDefinitionState())).toBeUndefined();
  });

  it('given a new name, then latest = null; given the previous version of the same name, its number; of another name or unknown, no fact', async () => {
    const uow = await seeded();
    const loaded = { state: initialSlaDefinitionState(), version: 0 };
    const run = (name: string, previousVersionId: ReturnType<typeof slaId> | null) =>
      uow.run((s) => slaDefinitionFactsLoader(definitions, { name, previousVersionId })(s, loaded));
    expect(await run('Gold', null)).toEqual({ latestVersionNumber: null });
    expect(await run('Gold', slaId(1))).toEqual({ latestVersionNumber: 3 });
    expect(await run('Silver', slaId(1))).toEqual({});
    expect(await run('Gold', slaId(9))).toEqual({});
  });

  it('given a split parent, when a child loads its facts, then the parent fact; passed-through facts stay as given; an unknown parent is left out', async () => {
    const uow = await seeded();
    const loaded = { state: initialTicketState(), version: 0 };
    const child = await uow.run((s) =>
      ticketFactsLoader(definitions, { parentTicketId: ticket(1), loggedMinutes: 0 })(s, loaded),
    );
    expect(child).toEqual({
      parent: { ticketId: ticket(1), rootTicketId: ticket(1), children },
      loggedMinutes: 0,
    });
    const pull = await uow.run((s) =>
      ticketFactsLoader(definitions, { parentTicketId: ticket(9), pullerTeamIds: [team(1)] })(s, loaded),
    );
    expect(pull).toEqual({ pullerTeamIds: [team(1)] });
    expect(parentTicketFactOf(initialTicketState())).toBeUndefined();
  });
});
