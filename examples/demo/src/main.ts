// The demo: migrate a database, append events through the public API, read them back.
//   MYSQL_URL (default mysql://root@127.0.0.1:3306) names the server; the demo uses database `pet_demo`.
import {
  assertSchemaCurrent,
  connect,
  connectionOptions,
  createMysqlEventStore,
  migrate,
  redactUrl,
  systemClock,
  uuidV7Ids,
  withDatabase,
} from '@pet-ops/adapters-mysql';
import { type EventDraft, isPetError, type Uuid } from '@pet-ops/core';
import { createConnection } from 'mysql2/promise';

const serverUrl = process.env['MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306';
const database = 'pet_demo';
const prefix = 'demo_';

function draft(type: string, payload: Record<string, unknown>, quoteId: Uuid): EventDraft {
  return {
    eventId: uuidV7Ids.next(),
    type,
    schemaVersion: 1,
    streamType: 'demo_quote',
    occurredAt: systemClock.now(),
    actor: { type: 'system', id: 'demo' },
    context: { quoteId },
    correlationId: null,
    causationId: null,
    payload,
  };
}

async function main(): Promise<void> {
  // Creating the demo's own database is the host's job, not the library's.
  const admin = await createConnection(connectionOptions(serverUrl)).catch((e: unknown) => {
    throw new Error(
      `cannot connect to ${redactUrl(serverUrl)} (${(e as Error).message}); run scripts/db.sh or set MYSQL_URL`,
    );
  });
  await admin.query(
    `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await admin.end();

  const pool = await connect({ url: withDatabase(serverUrl, database) });
  try {
    const report = await migrate(pool, { prefix });
    console.log(
      `migrations: ${report.applied.length} applied now, ${report.alreadyApplied.length} already applied`,
    );
    await assertSchemaCurrent(pool, { prefix });

    const store = createMysqlEventStore({ pool, prefix });
    const quoteId = uuidV7Ids.next();
    const first = await store.append(quoteId, 'no_stream', [
      draft(
        'demo.quote_drafted',
        { quoteNumber: 'Q-DEMO-1', totalMinor: 1_250_000, currency: 'EUR' },
        quoteId,
      ),
      draft('demo.quote_sent', { to: 'customer' }, quoteId),
    ]);
    const second = await store.append(quoteId, first.nextExpectedVersion, [
      draft('demo.quote_accepted', { acceptedBy: 'customer' }, quoteId),
    ]);
    console.log(`appended 3 events to stream ${quoteId}, now at version ${second.nextExpectedVersion}`);

    console.log('stream, in version order:');
    for (const e of await store.readStream(quoteId)) {
      console.log(
        `  v${e.streamVersion}  #${e.position}  ${e.occurredAt}  ${e.type}  ${JSON.stringify(e.payload)}`,
      );
    }
    const checkpoint = (first.positions[0] ?? 1n) - 1n;
    let n = 0;
    for await (const e of store.readAll({ after: checkpoint })) {
      if (e.streamId === quoteId) n++;
    }
    console.log(`readAll after position ${checkpoint}: ${n} events of this stream, in position order`);
  } finally {
    await pool.end();
  }
}

main().catch((e: unknown) => {
  // One clear line, no stack trace: the message names the problem and the fix.
  console.error(`demo failed: ${isPetError(e) ? `[${e.code}] ${e.message}` : (e as Error).message}`);
  process.exitCode = 1;
});
