// A host application on the published packages, nothing else: the embedded SQLite database (no server),
// migrated; one registry for every context's events; one employee, its id made by a typed factory (no
// cast; `uuidV7Ids` makes time-ordered UUIDv7s), decided by the identity context's decider and saved
// with its event in one transaction. Then the whole sales flow through the contexts' workflows: a team,
// a company, a lead qualified into an opportunity, a quote sent and accepted (the sale and the project in
// one transaction), the KPIs rebuilt from the event log and one result explained.
// `node host.ts` runs it (Node ≥ 22.18 strips the types).
import { openSqlite } from '@pet-ops/adapters-sqlite';
import {
  Commercial,
  createCommandHandler,
  createPetRegistry,
  type EventDraft,
  Identity,
} from '@pet-ops/core';
import { catalogueV1 } from '@pet-ops/kpi';
import {
  aggregateOf,
  changeLead,
  changeOpportunity,
  changeQualification,
  createCrmCommands,
  createEventStore,
  createKpiRunner,
  createQuoting,
  createUnitOfWork,
  deliveryOnAcceptance,
  employeesTable,
  identityBindings,
  uuidV7Ids as ids,
  markOpportunityWon,
  migrate,
  STATE_TABLES,
  systemClock,
} from '@pet-ops/sql';

/** Fails loudly on a refusal: every step below must succeed. */
function must<T>(step: string, r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`${step} was refused: ${r.error.code}`);
  return r.value;
}

/** Every bounded context's event definitions (identity, CRM, commercial, delivery, …) in one registry. */
const registry = createPetRegistry();
const prefix = 'pet_';
const { db, dialect, close } = openSqlite({ path: ':memory:' });
try {
  const migrated = await migrate(db, dialect, { prefix });
  const events = createEventStore({ db, dialect, prefix });
  const uow = createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES });
  const employees = aggregateOf(employeesTable);

  // A typed id factory per aggregate, no cast: the employee's id is also its event stream's id.
  const employeeId = Identity.newEmployeeId(ids);
  const command = Identity.employeeCommandSchema.parse({
    type: 'create',
    employeeId,
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'Ada.Lovelace@Example.com',
    hireDate: '2026-01-05',
  });

  const saved = await uow.run(async (scope) => {
    const store = scope.aggregate(employees);
    const { state, version } = await store.load(employeeId);
    const decision = Identity.employeeDecider.decide(command, state, undefined);
    if (!decision.ok) throw new Error(`${decision.error.code}: ${decision.error.message}`);
    const next = decision.value.reduce(Identity.employeeDecider.evolve, state);
    const drafts = decision.value.map(
      (event): EventDraft => ({
        eventId: ids.next(),
        type: event.type,
        schemaVersion: registry.currentVersion(event.type),
        streamType: employees.streamType,
        occurredAt: systemClock.now(),
        actor: { type: 'system', id: null },
        context: {},
        correlationId: null,
        causationId: null,
        payload: event.payload,
      }),
    );
    const appended = await store.save(employeeId, version, next, drafts);
    return { state: next, version: appended.nextExpectedVersion };
  });

  console.log(migrated.applied.length > 0 ? 'schema: migrated' : 'schema: already current');
  if (saved.state.status !== 'absent') {
    const { firstName, lastName, email, status } = saved.state;
    console.log(`employee: ${firstName} ${lastName} <${email}>, ${status}, version ${saved.version}`);
  }

  // The rest through the contexts' workflows: one runtime, one call shape `(runtime, metadata, { <x>Id, command })`.
  const runtime = { unitOfWork: uow, registry, clock: systemClock, ids };
  const metadata = { actor: { type: 'employee', id: employeeId } } as const;
  const teamId = Identity.newTeamId(ids);
  const team = Identity.teamCommandSchema.parse({
    type: 'create',
    teamId,
    name: 'Consulting',
    parentTeamId: null,
    managerId: employeeId,
    escalationManagerId: employeeId,
    visual: null,
  });
  const formTeam = createCommandHandler(runtime, identityBindings.team);
  must(
    'forming the team',
    await formTeam({
      streamId: teamId,
      command: team,
      loadFacts: identityBindings.teamFacts(team, { teamIds: [] }),
      metadata,
    }),
  );

  const company = must(
    'adding the company',
    await createCrmCommands({ runtime }).insertCompanyWithSlots(
      { name: 'Acme GmbH', website: 'https://acme.example' },
      metadata,
    ),
  );
  const customerId = company.companyId;
  const leadId = Commercial.newLeadId(ids);
  const lead = Commercial.leadCommandSchema.parse({
    type: 'create',
    leadId,
    source: 'web',
    subject: 'Website relaunch',
    description: null,
    customerId,
    ownerEmployeeId: employeeId,
    teamId,
    schemaVersion: null,
    data: {},
  });
  must('capturing the lead', await changeLead(runtime, metadata, { leadId, command: lead }));
  const qualificationId = Commercial.newQualificationId(ids);
  for (const command of [
    { type: 'start', qualificationId, leadId, schemaVersion: null, data: {} },
    { type: 'complete', outcome: 'qualified', opportunityClass: 'gold', reason: null },
  ]) {
    const parsed = Commercial.qualificationCommandSchema.parse(command);
    must(
      'qualifying the lead',
      await changeQualification(runtime, metadata, { qualificationId, command: parsed }),
    );
  }
  const opportunityId = Commercial.newOpportunityId(ids);
  const opportunity = Commercial.opportunityCommandSchema.parse({
    type: 'create',
    opportunityId,
    leadId,
    customerId,
    probabilityBp: 6000,
    estimatedValue: { amountMinor: 960_00, currency: 'EUR' },
    ownerEmployeeId: employeeId,
    teamId,
  });
  must(
    'opening the opportunity',
    await changeOpportunity(runtime, metadata, { opportunityId, command: opportunity }),
  );

  // A quote of 8 hours' work at €120/h, paid in full at acceptance, sent and accepted.
  const quoting = createQuoting({
    runtime,
    acceptanceSteps: [markOpportunityWon, deliveryOnAcceptance({ ids })],
  });
  const quoteId = Commercial.newQuoteId(ids);
  must(
    'opening the quote',
    await quoting.open({ quoteId, opportunityId, customerId, currency: 'EUR', title: 'Relaunch' }, metadata),
  );
  const groupId = ids.next();
  const rate = { amountMinor: 120_00, currency: 'EUR' };
  for (const command of [
    { type: 'add_group', groupId, kind: 'implementation', title: 'Build', recurring: null },
    {
      type: 'add_line',
      groupId,
      line: {
        lineId: ids.next(),
        kind: 'labour_task',
        description: 'Design and build',
        quantity: 1,
        unitPrice: null,
        unitCost: null,
        minutes: 480,
        catalog: null,
        role: {
          roleId: ids.next(),
          name: 'Developer',
          sellRatePerHour: rate,
          costRatePerHour: { amountMinor: 60_00, currency: 'EUR' },
          recommendedSellRatePerHour: null,
        },
        milestone: { name: 'Launch', sequence: 1 },
      },
    },
    {
      type: 'define_payment_schedule',
      items: [
        {
          itemId: ids.next(),
          title: 'In full',
          amount: { amountMinor: 960_00, currency: 'EUR' },
          dueDate: null,
        },
      ],
    },
    { type: 'send' },
  ]) {
    const parsed = Commercial.quoteCommandSchema.parse(command);
    if (parsed.type === 'create' || parsed.type === 'accept') continue;
    must(`quote ${parsed.type}`, await quoting.handle({ quoteId, command: parsed }, metadata));
  }
  const accepted = must(
    'accepting the quote',
    await quoting.accept(
      {
        quoteId,
        saleId: Commercial.newSaleId(ids),
        version: 1,
        acceptedBy: 'client-signatory',
        acceptedAt: systemClock.now(),
      },
      metadata,
    ),
  );
  if (!accepted.duplicate) {
    const { total } = accepted.value.sale;
    console.log(
      `sale: ${total.amountMinor / 100} ${total.currency}; the opportunity won and its project created`,
    );
  }

  // KPIs are a fold of the event log, rebuilt and explained, never typed in.
  const kpis = createKpiRunner({
    db,
    dialect,
    prefix,
    definitions: catalogueV1({ currency: 'EUR' }),
    orgTimeZone: 'UTC',
  });
  const rebuilt = await kpis.rebuild();
  // The log starts with each applied migration's migration.started and migration.completed events.
  const types = new Map<string, number>();
  let migrationEvents = 0;
  // forEachEvent hands each event to a handler (readAll is the same read as an async iterator).
  await events.forEachEvent((event) => {
    if (event.streamType === 'migration') migrationEvents += 1;
    else types.set(event.type, (types.get(event.type) ?? 0) + 1);
  });
  const [winRate] = await kpis.results({ definitionKey: 'sales.win-rate', scopeType: 'org' });
  if (winRate !== undefined) {
    const why = await kpis.explain(winRate.id);
    const business = rebuilt.eventsRead - migrationEvents;
    console.log(`KPIs: ${business} business events folded; win rate ${winRate.value / 100} %: ${why.why}`);
  }
  const migrationLog =
    migrationEvents === 2 * migrated.applied.length
      ? "each migration's started and completed"
      : `${migrationEvents} migration events`;
  console.log(
    `event log: ${migrationLog}, then ${[...types].map(([type, n]) => `${type} ×${n}`).join(', ')}`,
  );
} finally {
  await close();
}
