import { writeFile } from 'node:fs/promises';
import { renderKpiReportHtml } from '@pet-ops/kpi';
import { uplotChartLibrary } from '@pet-ops/kpi/node';
import { type Agency, openAgency } from './agency.js';
import { importCustomers } from './companies.js';
import { byDashboard, type DashboardRow, dashboardRows, formatValue, renderTable } from './dashboard.js';
import { runDelivery } from './delivery.js';
import { explainUtilisation } from './explain-utilisation.js';
import { type ExplainedResult, explainResult, rebuildKpis } from './kpis.js';
import { buildOrganisation } from './organisation.js';
import { runPipeline } from './pipeline.js';
import { createProgress } from './progress.js';
import { generateScenario, ORG_TIME_ZONE } from './scenario.js';
import { localTime, runSupport } from './support.js';
import { type TimeSummary, teamUtilisation } from './time.js';

/** Options of {@link runAgency}. */
export interface RunOptions {
  /** `sqlite:<file>` or `mysql://user@host:3306/<database>`; the example re-creates that database. */
  readonly url: string;
  readonly prefix: string;
  readonly size: number;
  readonly seed: number;
  /** Print one JSON document on `out` (dashboard, explanation, import and pipeline summaries), no progress. */
  readonly json: boolean;
  /** Where to write the HTML report of every dashboard (one self-contained page), or null for none. */
  readonly html: string | null;
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

/** The SLA compliance result the example explains too: the org's month with the most tickets. */
function pickSlaExplained(rows: readonly DashboardRow[]): DashboardRow | undefined {
  return [...rows]
    .filter((r) => r.kpi === 'support.sla-compliance' && r.scopeType === 'org' && r.denominator !== 0)
    .sort((a, b) => b.contributingEvents - a.contributingEvents)[0];
}

/**
 * The whole example: migrate, simulate the quarter, rebuild the KPIs, print the dashboard, explain a win
 * rate, an SLA compliance and a utilisation result down to their events.
 *
 * @example
 * ```ts
 * await runAgency({ url: 'sqlite:agency.db', prefix: 'agency_', size: 1, seed: 1, json: false, html: 'agency-report.html', out: process.stdout, err: process.stderr });
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
    `${applied} applied to ${agency.kind === 'sqlite' ? 'the SQLite file' : agency.kind === 'postgres' ? 'the PostgreSQL database' : 'the MySQL database'} ${agency.database} (prefix ${agency.prefix})`,
  );
  try {
    const org = await buildOrganisation(agency, scenario, progress);
    const customers = await importCustomers(agency, scenario, org.directorId, progress);
    const sales = await runPipeline(
      agency,
      scenario,
      { employeeIds: org.employeeIds, companyIds: customers.companyIds },
      progress,
    );
    const pipeline = sales.summary;
    if (pipeline.doubleAccept !== null) {
      progress.note(
        `  double accept of ${pipeline.doubleAccept.quoteNumber}: one sale, the other client got ${pipeline.doubleAccept.loserCode}`,
      );
    }
    const delivered = await runDelivery(
      agency,
      scenario,
      { employeeIds: org.employeeIds, pipeline: sales },
      progress,
    );
    const delivery = delivered.summary;
    const logged = await teamUtilisation(agency, scenario, org.employeeIds);
    const time: TimeSummary = {
      entries: logged.entries,
      submittedMinutes: logged.submittedMinutes,
      netMinutes: logged.netMinutes,
      adjustments: delivered.adjustments,
      refusedEdit: delivered.refusedEdit,
      utilisation: logged.rows,
    };
    // The utilisation explained: the team the org change moves someone out of (its days split by date).
    const explainedTeam = scenario.teams.find((t) => t.key === scenario.orgChange.fromTeamKey)!;
    const utilisationRow = time.utilisation.find((u) => u.team === explainedTeam.name)!;
    const explainedUtilisation = await explainUtilisation(
      agency,
      scenario,
      org.employeeIds,
      explainedTeam.key,
      utilisationRow,
    );
    const support = await runSupport(
      agency,
      scenario,
      { directorId: org.directorId, companyIds: customers.companyIds },
      progress,
    );
    const kpis = await rebuildKpis(agency, progress);
    const teamNames = new Map(scenario.teams.map((t) => [org.teamIds.get(t.key)! as string, t.name]));
    const rows = dashboardRows(kpis.results, { names: kpis.names, teamNames, timeZone: ORG_TIME_ZONE });
    const chosen = pickExplained(rows);
    const explained = chosen === undefined ? null : await explainResult(agency, kpis, chosen.resultId);
    const chosenSla = pickSlaExplained(rows);
    const explainedSla =
      chosenSla === undefined ? null : await explainResult(agency, kpis, chosenSla.resultId);
    if (options.html !== null) {
      const explanations = new Map(
        [explained, explainedSla].flatMap((x) => (x === null ? [] : [[x.resultId, x.report] as const])),
      );
      const html = renderKpiReportHtml({
        title: `Agency — Q3 2026 (seed ${scenario.seed}, size ${scenario.size})`,
        definitions: kpis.definitions,
        results: kpis.results,
        explanations,
        chartLibrary: uplotChartLibrary(),
        note: `${kpis.results.length} results rebuilt from ${kpis.summary.eventsRead} events (watermark #${kpis.summary.watermark}); calendar months in ${ORG_TIME_ZONE}`,
      });
      await writeFile(options.html, html, 'utf8');
    }
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
            delivery,
            time,
            support,
            kpi: { eventsRead: kpis.summary.eventsRead, watermark: String(kpis.summary.watermark) },
            dashboard: rows,
            explained: explained === null ? null : withoutReport(explained),
            explainedSla: explainedSla === null ? null : withoutReport(explainedSla),
            explainedUtilisation,
            report: options.html,
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
    const hours = (minutes: number): string => `${(minutes / 60).toFixed(minutes % 60 === 0 ? 0 : 1)} h`;
    const details = (d: unknown): string => {
      const x = d as Record<string, unknown>;
      const parts = ['sold', 'planned', 'observed', 'delta']
        .filter((k) => typeof x[k] === 'number')
        .map((k) => `${k} ${hours(x[k] as number)}`);
      return [...parts, `baseline v${String(x['baselineVersion'])}`].join(', ');
    };
    write();
    write('Delivery — what was sold, held to what is delivered');
    const st = delivery.states;
    write(
      `  ${delivery.projects} projects from ${pipeline.sales} sales: ${st.completed} completed, ${st.active} active, ${st.planned} planned, ${st.created} not yet planned; ${delivery.tasks} tasks, each with its ticket`,
    );
    if (delivery.refusedPlan !== null)
      write(
        `  a plan beyond sold was refused: [${delivery.refusedPlan.code}] ${details(delivery.refusedPlan.details)}`,
      );
    for (const v of delivery.variances) {
      write(
        `  variance on ${v.quoteNumber}: ${v.varianceType}, sold ${hours(v.sold)}, ${v.varianceType.startsWith('planned') ? 'planned' : 'actual'} ${hours(v.observed)} (+${hours(v.delta)}) against baseline v${v.baselineVersion} → ${v.resolution.replace('_', ' ')}${v.changeOrderQuoteNumber === null ? '' : ` ${v.changeOrderQuoteNumber} (baseline v${v.newBaselineVersion})`}: ${v.cause}`,
      );
    }
    if (delivery.changeOrder !== null) {
      const c = delivery.changeOrder;
      write(
        `  change order ${c.quoteNumber} references ${c.originalQuoteNumber}: +${hours(c.addedMinutes)}; sold by baseline version ${c.soldMinutesByVersion.map((m, i) => `v${i + 1} ${hours(m)}`).join(', ')} (v1 kept)`,
      );
    }
    if (delivery.refusedCompletion !== null)
      write(
        `  completion was refused while that variance was open: [${delivery.refusedCompletion.code}] ${details(delivery.refusedCompletion.details)}`,
      );
    write();
    write('Time — attested, corrected only by adjustments');
    write(
      `  ${time.entries} entries submitted: ${hours(time.submittedMinutes)} attested, ${hours(time.netMinutes)} net after ${time.adjustments.length} adjustments`,
    );
    for (const a of time.adjustments)
      write(
        `  adjustment on ${a.employee}'s ${a.date} entry: ${a.change} — “${a.reason}” (net ${a.netMinutes} min)`,
      );
    if (time.refusedEdit !== null)
      write(
        `  editing a submitted entry was refused: [${time.refusedEdit.code}] ${time.refusedEdit.message}`,
      );
    write('  utilisation (net minutes logged ÷ capacity: Mon–Fri 09:00–17:00 Berlin, minus approved leave):');
    for (const u of time.utilisation) {
      write(
        `    ${u.team.padEnd(12)} ${hours(u.loggedMinutes).padStart(9)} of ${hours(u.capacityMinutes).padStart(8)}  ${u.utilisationBp === null ? '—' : `${(u.utilisationBp / 100).toFixed(1)} %`}`,
      );
    }
    write();
    write(
      `Support — “${support.sla.name}” v${support.sla.version}, business hours in ${support.sla.timeZone}`,
    );
    write(
      `  response ${support.sla.responseTargetMinutes} min, resolution ${support.sla.resolutionTargetMinutes} business min; warning at ${support.sla.warningThresholdBp / 100} %, escalation at ${support.sla.escalationThresholdBp / 100} %`,
    );
    write(
      `  ${support.tickets} tickets, ${support.resolvedInTime} resolved without an SLA event; ${support.evaluations} hourly scheduler runs evaluated ${support.clocksEvaluated} due clocks`,
    );
    if (support.acrossDst !== null)
      write(
        `  “${support.acrossDst.ticket}”: opened ${support.acrossDst.opened}, resolved ${support.acrossDst.resolved} — its clock ran across the DST change:`,
      );
    for (const e of support.events) {
      write(
        `  ${e.type.padEnd(13)} “${e.ticket}” (${e.target}${e.stage === null ? '' : `, stage ${e.stage}`}): ${e.elapsedBusinessMinutes} of ${e.targetMinutes} business min; crossed ${e.dueLocal} (${e.dueAt.slice(0, 16)}Z), fired by the run at ${localTime(support.sla.timeZone, e.firedAt)}`,
      );
    }
    write();
    write(
      `Dashboards — Q3 2026, calendar months in ${ORG_TIME_ZONE} (organisation-wide; per team in --json${options.html === null ? '' : ` and ${options.html}`})`,
    );
    for (const d of byDashboard(rows.filter((r) => r.scopeType === 'org'))) {
      write();
      write(`${d.title}`);
      write(renderTable(d.rows));
    }
    const contributing = (events: ExplainedResult['events']): void => {
      write(`  contributing events (${events.length}):`);
      for (const e of events) {
        write(
          `    #${e.position.padEnd(6)} ${e.occurredAt}  ${e.role.padEnd(11)} ${e.type.padEnd(20)} ${e.detail}`,
        );
      }
    };
    const explain = (row: DashboardRow | undefined, x: ExplainedResult | null): void => {
      if (row === undefined || x === null) return;
      write();
      write(
        `Why is “${row.name}” for ${row.scope}, ${row.period}, ${formatValue(row.unit, row.value)} (${row.classification})?`,
      );
      write(`  result ${x.resultId}`);
      write(`  ${x.why}`);
      contributing(x.events);
    };
    explain(chosen, explained);
    explain(chosenSla, explainedSla);
    const u = explainedUtilisation;
    write();
    write(
      `Why is ${u.team}'s utilisation for ${u.period} ${u.utilisationBp === null ? '—' : `${(u.utilisationBp / 100).toFixed(1)} %`}?`,
    );
    write(`  ${u.why}`);
    contributing(u.events);
    write(
      `  capacity, the divisor (${u.capacity.length} part(s); not events: the office calendar minus approved leave):`,
    );
    for (const c of u.capacity) write(`    ${c.employee.padEnd(18)} ${c.detail}`);
    if (options.html !== null) {
      write();
      write(`HTML report of every dashboard: ${options.html} (one page, opens without a network)`);
    }
    write();
    progress.note(`done in ${seconds.toFixed(1)} s`);
  } finally {
    await agency.close();
  }
}

/** The explanation as JSON prints it: the report's copy of the same facts left out. */
function withoutReport(x: ExplainedResult): Omit<ExplainedResult, 'report'> {
  const { report: _report, ...rest } = x;
  return rest;
}
