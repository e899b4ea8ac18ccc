// A host application on the published packages, nothing else: the embedded SQLite database (no server),
// migrated; one registry for every context's events; one employee, its id made by a typed factory (no
// cast; `uuidV7Ids` makes time-ordered UUIDv7s), decided by the identity context's decider and saved
// with its event in one transaction; the event log read back. `node host.ts` runs it (Node ≥ 22.18 strips the types).
import { openSqlite } from '@pet-ops/adapters-sqlite';
import { createPetRegistry, type EventDraft, Identity } from '@pet-ops/core';
import {
  aggregateOf,
  createEventStore,
  createUnitOfWork,
  employeesTable,
  uuidV7Ids as ids,
  migrate,
  systemClock,
} from '@pet-ops/sql';

/** Every bounded context's event definitions (identity, CRM, commercial, delivery, …) in one registry. */
const registry = createPetRegistry();
const prefix = 'pet_';
const { db, dialect, close } = openSqlite({ path: ':memory:' });
try {
  const migrated = await migrate(db, dialect, { prefix });
  const events = createEventStore({ db, dialect, prefix });
  const uow = createUnitOfWork({ dialect, prefix, events, tables: [employeesTable] });
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
  for await (const event of events.readAll()) {
    console.log(`event #${event.position}: ${event.type} v${event.schemaVersion} on ${event.streamType}`);
  }
} finally {
  await close();
}
