// migrate-fresh: an empty database → head, in seconds (goal < 3 s).
// lib: `migrate` (lock, checksums, journal, idempotency probes, events); raw: the same compiled DDL
// statements sent one after another with nothing around them.
import { connectionOptions, migrate, plan } from '@pet-ops/adapters-mysql';
import { createConnection } from 'mysql2/promise';
import { dropDatabase, emit, freshDatabase, parseCaseArgs, peakRssMb } from '../harness.js';

const args = parseCaseArgs(process.argv);
const rounds = Math.max(1, args.size);
let total = 0;
for (let r = 0; r < rounds; r++) {
  const url = await freshDatabase(args.url, args.database);
  if (args.mode === 'lib') {
    const t0 = performance.now();
    await migrate(url);
    total += (performance.now() - t0) / 1000;
  } else {
    const statements = await plan(url);
    const scratch = `${args.database}_raw`;
    const rawUrl = await freshDatabase(args.url, scratch);
    const conn = await createConnection(connectionOptions(rawUrl));
    const t0 = performance.now();
    for (const s of statements) await conn.query(s.sql);
    total += (performance.now() - t0) / 1000;
    await conn.end();
    await dropDatabase(args.url, scratch);
  }
}
emit({ value: total / rounds, unit: 's', rssPeakMb: peakRssMb() });
