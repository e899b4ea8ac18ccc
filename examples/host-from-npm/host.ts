// A host application on the published packages, nothing else: the embedded SQLite database (no server),
// migrated; one registry for every context's events; one employee, its id made by a typed factory (no
// cast), decided by the identity context's decider and saved with its event in one transaction; the event
// log read back. `node host.ts` runs it (Node ≥ 22.18 strips the types).
import { randomBytes } from 'node:crypto';
import { openSqlite } from '@pet-ops/adapters-sqlite';
import {
  createPetRegistry,
  type EventDraft,
  Identity,
  type IdGenerator,
  instantFromEpochMs,
  uuidV7Schema,
} from '@pet-ops/core';
import { aggregateOf, createEventStore, createUnitOfWork, employeesTable, migrate } from '@pet-ops/sql';

/** A new UUIDv7 (time-ordered, the format of every PET id): 48 bits of milliseconds, then random bits. */
function uuidV7(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x70, 6); // version 7
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8); // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Where PET's ids come from: every call a new UUIDv7, checked once by the kernel's schema. */
const ids: IdGenerator = { next: () => uuidV7Schema.parse(uuidV7()) };
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
        occurredAt: instantFromEpochMs(Date.now()),
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
