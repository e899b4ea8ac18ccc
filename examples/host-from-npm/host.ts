// A host application on the published packages, nothing else: the embedded SQLite database (no server),
// migrated; one employee decided by the identity context's decider and saved with its event in one
// transaction; the event log read back. `node host.ts` runs it (Node ≥ 22.18 strips the types).
import { randomBytes } from 'node:crypto';
import { openSqlite } from '@pet-ops/adapters-sqlite';
import { type EventDraft, Identity, instantFromEpochMs, uuidV7Schema } from '@pet-ops/core';
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

const prefix = 'pet_';
const { db, dialect, close } = openSqlite({ path: ':memory:' });
try {
  const migrated = await migrate(db, dialect, { prefix });
  const events = createEventStore({ db, dialect, prefix });
  const uow = createUnitOfWork({ dialect, prefix, events, tables: [employeesTable] });
  const employees = aggregateOf(employeesTable);

  // Ids are parsed, not cast: the same UUID is the employee's id and its event stream's id.
  const id = uuidV7();
  const streamId = uuidV7Schema.parse(id);
  const command = Identity.employeeCommandSchema.parse({
    type: 'create',
    employeeId: Identity.employeeIdSchema.parse(id),
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'Ada.Lovelace@Example.com',
    hireDate: '2026-01-05',
  });

  const saved = await uow.run(async (scope) => {
    const store = scope.aggregate(employees);
    const { state, version } = await store.load(streamId);
    const decision = Identity.employeeDecider.decide(command, state, undefined);
    if (!decision.ok) throw new Error(`${decision.error.code}: ${decision.error.message}`);
    const next = decision.value.reduce(Identity.employeeDecider.evolve, state);
    const drafts = decision.value.map(
      (event): EventDraft => ({
        eventId: uuidV7Schema.parse(uuidV7()),
        type: event.type,
        schemaVersion: Identity.identityEventRegistry.currentVersion(event.type),
        streamType: employees.streamType,
        occurredAt: instantFromEpochMs(Date.now()),
        actor: { type: 'system', id: null },
        context: {},
        correlationId: null,
        causationId: null,
        payload: event.payload,
      }),
    );
    const appended = await store.save(streamId, version, next, drafts);
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
