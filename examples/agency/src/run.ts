import { type Agency, openAgency } from './agency.js';
import { importCustomers } from './companies.js';
import { buildOrganisation } from './organisation.js';
import { runPipeline } from './pipeline.js';
import { createProgress } from './progress.js';
import { generateScenario } from './scenario.js';

/** Options of {@link runAgency}. */
export interface RunOptions {
  readonly serverUrl: string;
  readonly database: string;
  readonly prefix: string;
  readonly size: number;
  readonly seed: number;
  /** Print the dashboard as JSON on `out` and no progress. */
  readonly json: boolean;
  readonly out: NodeJS.WriteStream;
  readonly err: NodeJS.WriteStream;
}

/**
 * The whole example: migrate, simulate the quarter, rebuild the KPIs, print the dashboard, explain one.
 *
 * @example
 * ```ts
 * await runAgency({ serverUrl, database: 'pet_agency', prefix: 'agency_', size: 1, seed: 1, json: false, out: process.stdout, err: process.stderr });
 * ```
 */
export async function runAgency(options: RunOptions): Promise<void> {
  const started = performance.now();
  const progress = createProgress({ stream: options.err, quiet: options.json });
  const scenario = generateScenario({ seed: options.seed, size: options.size });
  progress.note(
    `PET-ops agency example — seed ${scenario.seed}, size ${scenario.size}: ${scenario.employees.length} employees, ` +
      `${scenario.companyRows.length} CSV rows, ${scenario.leads.length} leads over Q3 2026`,
  );
  const migrations = progress.phase('migrations', 1);
  let applied = 0;
  const agency: Agency = await openAgency({
    serverUrl: options.serverUrl,
    database: options.database,
    prefix: options.prefix,
    onMigration: () => {
      applied++;
    },
  });
  migrations.done(`${applied} applied to \`${agency.database}\` (prefix ${agency.prefix})`);
  try {
    const org = await buildOrganisation(agency, scenario, progress);
    const customers = await importCustomers(agency, scenario, org.directorId, progress);
    const pipeline = await runPipeline(
      agency,
      scenario,
      { employeeIds: org.employeeIds, companyIds: customers.companyIds },
      progress,
    );
    if (pipeline.doubleAccept !== null) {
      progress.note(
        `  double accept of ${pipeline.doubleAccept.quoteNumber}: one sale, the other client got ${pipeline.doubleAccept.loserCode}`,
      );
    }
  } finally {
    await agency.close();
  }
  progress.note(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
