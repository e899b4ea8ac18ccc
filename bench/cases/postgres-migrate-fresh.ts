// postgres-migrate-fresh: an empty schema → head, in seconds (goal < 3 s), averaged over `size` runs.
// lib: `migrate` (advisory lock, checksums, one transaction per migration with its journal row); raw: the
// same compiled statements sent one after another in one transaction, with nothing around them.
import { createRequire } from 'node:module';
import { compilePostgres, createDatabase } from '@pet-ops/adapters-postgres';
import { migrate } from '@pet-ops/sql';
import { emit, peakRssMb } from '../common.js';
import { dropPostgresDatabase, openLib, parsePostgresArgs, rawClient } from '../postgres.js';

const args = parsePostgresArgs(process.argv);
const rounds = Math.max(1, args.size);
let total = 0;
// `@pet-ops/migrations` is the adapter's dependency, not the workspace root's: resolve it from there.
const fromAdapter = createRequire(import.meta.resolve('@pet-ops/adapters-postgres'));
const { migrations } = fromAdapter('@pet-ops/migrations') as {
  migrations: readonly { readonly operations: readonly Parameters<typeof compilePostgres>[0][] }[];
};
const statements = migrations.flatMap((m) => m.operations.flatMap((op) => compilePostgres(op, '')));
for (let r = 0; r < rounds; r++) {
  await dropPostgresDatabase(args.url);
  await createDatabase({ url: args.url });
  if (args.mode === 'lib') {
    const o = await openLib(args.url);
    const t0 = performance.now();
    await migrate(o.db, o.dialect, { prefix: '' });
    total += (performance.now() - t0) / 1000;
    await o.close();
  } else {
    const c = await rawClient(args.url);
    const t0 = performance.now();
    await c.query('BEGIN');
    for (const s of statements) await c.query(s);
    await c.query('COMMIT');
    total += (performance.now() - t0) / 1000;
    await c.end();
  }
}
emit({ value: total / rounds, unit: 's', rssPeakMb: peakRssMb() });
