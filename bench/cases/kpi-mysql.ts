// The MySQL side of the kpi-* cases' data: the commercial events of kpi-shared.ts written to MariaDB.
import { connectionOptions } from '@pet-ops/adapters-mysql';
import { createConnection as createPromiseConnection } from 'mysql2/promise';
import { insertSql, rowParams } from '../rows.js';
import { commercialStreams } from './kpi-shared.js';

/** Writes `count` commercial events after event number `first`, 1000 per stream and statement. */
export async function writeCommercialEvents(url: string, count: number, first: number): Promise<void> {
  const conn = await createPromiseConnection(connectionOptions(url));
  for (const s of commercialStreams(count, first))
    await conn.execute(insertSql('domain_events', s.events.length), rowParams(s.streamId, 1, s.events));
  await conn.end();
}
