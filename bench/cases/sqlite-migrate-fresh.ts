// sqlite-migrate-fresh: an empty database file → head, in seconds (goal < 1 s), the mean of `size` runs,
// each on a new file, opening and closing included on both sides.
// lib: `migrate()` (named lock, journal probe, checksums, one transaction per migration with its journal
// row); raw: the same statements (`compileSqlite` over `@pet-ops/migrations`' list) executed with
// node:sqlite in one transaction, no journal.
import { createRequire } from 'node:module';
import { compileSqlite, openSqlite } from '@pet-ops/adapters-sqlite';
import { migrate } from '@pet-ops/sql';
import { emit, peakRssMb, timedCpuSeconds } from '../common.js';
import { parseSqliteArgs, rawOpen, removeSqliteFile } from '../sqlite.js';

type Operation = Parameters<typeof compileSqlite>[0];

const args = parseSqliteArgs(process.argv);
const rounds = Math.max(1, args.size);
let statements: readonly string[] = [];
if (args.mode === 'raw') {
  // `@pet-ops/migrations` is the adapter's dependency, not the workspace root's: resolve it from there.
  const fromAdapter = createRequire(import.meta.resolve('@pet-ops/adapters-sqlite'));
  const { migrations, schemaBeforeEach } = fromAdapter('@pet-ops/migrations') as {
    migrations: readonly { readonly operations: readonly Operation[] }[];
    schemaBeforeEach: (
      list: readonly { readonly operations: readonly Operation[] }[],
    ) => Parameters<typeof compileSqlite>[2][][];
  };
  // An enum widened on SQLite rebuilds its table: its compiler needs the schema before the operation.
  const before = schemaBeforeEach(migrations);
  statements = migrations.flatMap((m, i) =>
    m.operations.flatMap((op, j) => compileSqlite(op, '', before[i]?.[j])),
  );
}
let total = 0;
let cpu = 0;
let tables = 0;
for (let r = 0; r < rounds; r++) {
  removeSqliteFile(args.path);
  const c0 = process.cpuUsage();
  if (args.mode === 'lib') {
    const t0 = performance.now();
    const { db, dialect, close } = openSqlite({ path: args.path });
    await migrate(db, dialect, { prefix: '' });
    await close();
    total += (performance.now() - t0) / 1000;
  } else {
    const t0 = performance.now();
    const db = rawOpen(args.path);
    db.exec('BEGIN IMMEDIATE');
    for (const s of statements) db.exec(s);
    db.exec('COMMIT');
    db.close();
    total += (performance.now() - t0) / 1000;
  }
  cpu += timedCpuSeconds(c0);
  const check = rawOpen(args.path);
  tables = Number(
    (
      check
        .prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .get() as { n: number }
    ).n,
  );
  check.close();
}
removeSqliteFile(args.path);
emit({
  value: total / rounds,
  unit: 's',
  rssPeakMb: peakRssMb(),
  extra: { tables, timedCpuSeconds: cpu / rounds },
});
