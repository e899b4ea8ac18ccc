// The MySQL side of the kpi-* cases' data: the events of kpi-shared.ts / kpi-execute.ts written to MariaDB.
import { connectionOptions } from '@pet-ops/adapters-mysql';
import { createConnection as createPromiseConnection } from 'mysql2/promise';
import { insertSql, rowParams } from '../rows.js';
import { mixedStreams } from './kpi-execute.js';

/** Writes `count` commercial events after event number `first`, 1000 per stream and statement. */
/** Writes `count` mixed events (commercial and Execute-context) after event number `first`, 1000 per stream. */
export async function writeMixedEvents(url: string, count: number, first: number): Promise<void> {
  const conn = await createPromiseConnection(connectionOptions(url));
  for (const s of mixedStreams(count, first))
    await conn.execute(insertSql('domain_events', s.events.length), rowParams(s.streamId, 1, s.events));
  await conn.end();
}
