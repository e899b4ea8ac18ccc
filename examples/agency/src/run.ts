import { type Agency, openAgency } from './agency.js';
import { importCustomers } from './companies.js';
import { type DashboardRow, dashboardRows, formatValue, renderTable } from './dashboard.js';
import { explainResult, rebuildKpis } from './kpis.js';
import { buildOrganisation } from './organisation.js';
import { runPipeline } from './pipeline.js';
import { createProgress } from './progress.js';
import { generateScenario, ORG_TIME_ZONE } from './scenario.js';

/** Options of {@link runAgency}. */
export interface RunOptions {
  /** `sqlite:<file>` or `mysql://user@host:3306/<database>`; the example re-creates that database. */
  readonly url: string;
  readonly prefix: string;
  readonly size: number;
  readonly seed: number;
  /** Print one JSON document on `out` (dashboard, explanation, import and pipeline summaries), no progress. */
  readonly json: boolean;
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WriteStream;
}

/** The result the example explains: the org's win rate in August, else the busiest org result. */
function pickExplained(rows: readonly DashboardRow[]): DashboardRow | undefined {
  return (
    rows.find((r) => r.kpi === 'sales.win-rate' && r.scopeType === 'org' && r.period === '2026-08') ??
    [...rows]
      .filter((r) => r.scopeType === 'org')
      .sort((a, b) => b.contributingEvents - a.contributingEvents)[0]
  );
}

/**
 * The whole example: migrate, simulate the quarter, rebuild the KPIs, print the dashboard, explain one.
 *
 * @example
 * ```ts
 * await runAgency({ url: 'sqlite:agency.db', prefix: 'agency_', size: 1, seed: 1, json: false, out: process.stdout, err: process.stderr });
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
    url: options.url,
    prefix: options.prefix,
    onMigration: () => {
      applied++;
    },
  });
  migrations.done(
    `${applied} applied to ${agency.kind === 'sqlite' ? 'the SQLite file' : 'the MySQL database'} ${agency.database} (prefix ${agency.prefix})`,
  );
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
    const kpis = await rebuildKpis(agency, progress);
    const teamNames = new Map(scenario.teams.map((t) => [org.teamIds.get(t.key)! as string, t.name]));
    const rows = dashboardRows(kpis.results, { names: kpis.names, teamNames, timeZone: ORG_TIME_ZONE });
    const chosen = pickExplained(rows);
    const explained = chosen === undefined ? null : await explainResult(agency, kpis, chosen.resultId);
    const seconds = (performance.now() - started) / 1000;

    if (options.json) {
      const { report } = customers;
      options.out.write(
        `${JSON.stringify(
          {
            seed: scenario.seed,
            size: scenario.size,
            database: agency.database,
            import: {
              rows: report.rows,
              created: report.created,
              exists: report.exists,
              rejected: report.rejected,
              rejections: report.rejections,
            },
            pipeline,
            kpi: { eventsRead: kpis.summary.eventsRead, watermark: String(kpis.summary.watermark) },
            dashboard: rows,
            explained,
            seconds,
          },
          null,
          2,
        )}\n`,
      );
      return;
    }
    const write = (line = ''): void => {
      options.out.write(`${line}\n`);
    };
    write();
    write(`Dashboard — Q3 2026, calendar months in ${ORG_TIME_ZONE}`);
    write();
    write(renderTable(rows));
    if (chosen !== undefined && explained !== null) {
      write();
      write(
        `Why is “${chosen.name}” for ${chosen.scope}, ${chosen.period}, ${formatValue(chosen.unit, chosen.value)} (${chosen.classification})?`,
      );
      write(`  result ${explained.resultId}`);
      write(`  ${explained.why}`);
      write(`  contributing events (${explained.events.length}):`);
      for (const e of explained.events) {
        write(
          `    #${e.position.padEnd(6)} ${e.occurredAt}  ${e.role.padEnd(11)} ${e.type.padEnd(18)} ${e.detail}`,
        );
      }
    }
    write();
    progress.note(`done in ${seconds.toFixed(1)} s`);
  } finally {
    await agency.close();
  }
}
