import { writeFile } from 'node:fs/promises';
import { isPetError } from '@pet-ops/core';
import { catalogueV1, catalogueV2, type KpiDefinitionVersion, renderKpiReportHtml } from '@pet-ops/kpi';
import { uplotChartLibrary } from '@pet-ops/kpi/node';
import { createKpiRunner, type KpiRunner, type KpiRunnerStatus } from '@pet-ops/sql';
import { type Command, InvalidArgumentError } from 'commander';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { CliFailure } from '../failure.js';
import { table } from '../io.js';
import { createProgress } from '../progress.js';
import { lastPosition, type OpenedTarget, withDatabaseOf } from '../target.js';
import type { CommandContext, Session } from './context.js';

interface KpiOptions {
  readonly currency: string;
  /** As given; the default is the zone the active results were built in (UTC before the first rebuild). */
  readonly timeZone?: string;
  /** Rebuild in `--time-zone` although the active results were built in another one. */
  readonly replaceZone?: boolean;
}

/** The zone the active result set was built in, as the database records it (null: none recorded). */
async function storedZone({ db, dialect, target }: OpenedTarget): Promise<string | null> {
  try {
    const row = await db
      .selectFrom(`${target.prefix}kpi_result_sets`)
      .select('org_time_zone')
      .where('state', '=', 'active')
      .executeTakeFirst();
    return row?.org_time_zone === null || row?.org_time_zone === undefined ? null : String(row.org_time_zone);
  } catch (e) {
    throw dialect.classifyError(e, 'read the KPI result sets');
  }
}

/**
 * The organisation's zone lives in the database: without `--time-zone` the stored one is used; a
 * different `--time-zone` would silently replace every result, so it is refused unless `--replace-zone`
 * (rebuild and catch-up only) says that is the point.
 */
async function zoneFor(opened: OpenedTarget, o: KpiOptions, canReplace: boolean): Promise<string> {
  const stored = await storedZone(opened);
  if (o.timeZone === undefined) return stored ?? 'UTC';
  if (stored === null || stored === o.timeZone || (canReplace && o.replaceZone === true)) return o.timeZone;
  throw new CliFailure(
    'ZONE_MISMATCH',
    `the active KPI results were computed in ${stored}, not ${o.timeZone}: omit --time-zone (or pass ${stored})` +
      (canReplace ? `, or add --replace-zone to rebuild every result in ${o.timeZone}` : ''),
    EXIT.usage,
  );
}

/**
 * The KPI definitions every `pet kpi` command computes and reads with: catalogue v1 (the sales dashboard,
 * org and team scope, money in `currency`) and catalogue v2 (executive, delivery, support, people and
 * knowledge, in every scope a result row holds), by calendar month. A database whose active results were
 * computed with another set (catalogue v1 alone, before pet computed v2) is not current: `catch-up`
 * rebuilds it, the stored definition versions of v1 are kept as they are.
 *
 * @example
 * ```ts
 * const definitions = kpiDefinitions('EUR'); // what `pet kpi rebuild` folds with
 * definitions.some((d) => d.key === 'support.sla-compliance'); // true
 * ```
 */
export function kpiDefinitions(currency: string): KpiDefinitionVersion[] {
  return [...catalogueV1({ currency }), ...catalogueV2()];
}

/** What a read command says when the active results were computed with another definition set. */
const STALE =
  'these results were computed with other KPI definitions or org structure versions than this pet uses (catalogues v1 + v2); `pet kpi catch-up` recomputes them';
const stale = (s: KpiRunnerStatus): boolean => s.resultSetId !== null && !s.current;

async function runnerFor(
  opened: OpenedTarget,
  ctx: CommandContext,
  o: KpiOptions,
  onCommit?: (w: bigint) => void,
  canReplace = false,
): Promise<KpiRunner> {
  return createKpiRunner({
    db: opened.db,
    dialect: opened.dialect,
    prefix: ctx.target.prefix,
    definitions: kpiDefinitions(o.currency),
    orgTimeZone: await zoneFor(opened, o, canReplace),
    // One run per process: nothing to keep, and a catch-up of a few events restores only what they read.
    keepState: false,
    ...(onCommit === undefined ? {} : { onCommit }),
  });
}

async function runMode(ctx: CommandContext, mode: 'rebuild' | 'catch-up', o: KpiOptions): Promise<ExitCode> {
  const { out, target } = ctx;
  const bar = createProgress(out);
  const { summary, before } = await withDatabaseOf(target, async (opened) => {
    const last = out.interactive ? await lastPosition(target) : 0n;
    bar.start(Number(last), 'events');
    try {
      const runner = await runnerFor(opened, ctx, o, (w) => bar.update(Number(w), 'events'), true);
      const before = await runner.status();
      return { summary: mode === 'rebuild' ? await runner.rebuild() : await runner.catchUp(), before };
    } catch (e) {
      // The catalogue's money definitions hold the currency, and a stored definition version never
      // changes: another --currency than the stored one is refused as IMMUTABLE_ROW naming the definition
      // — the user's option, not a bug in pet (the argv fuzz saw `kpi rebuild --currency USD` exit 1).
      const named = isPetError(e, 'IMMUTABLE_ROW') ? e.details['definition'] : undefined;
      if (isPetError(e) && named !== undefined) {
        const money = kpiDefinitions(o.currency).some(
          (d) => `${d.key}@${d.version}` === named && d.unit === 'money_minor',
        );
        throw new CliFailure(
          'DEFINITION_MISMATCH',
          `${e.message.replace(/: publish a new version$/, '')}: ${
            money
              ? `were the KPIs of this database computed with another --currency than ${o.currency}? pass that one`
              : 'this database holds another content under that definition version (written by another pet or host)'
          }`,
          EXIT.usage,
        );
      }
      throw e;
    } finally {
      bar.stop();
    }
  });
  out.data(summary);
  // A catch-up over results of another definition set (an older pet's catalogue v1) rebuilds: say why.
  const why =
    mode === 'catch-up' && summary.mode === 'rebuild' && stale(before)
      ? ' — the active results were computed with other KPI definitions or org structure versions, so every event was folded again'
      : '';
  out.line(
    `${summary.mode === 'rebuild' ? 'rebuilt' : 'caught up'}: ${summary.eventsRead} event(s) read, ${summary.resultsWritten} result(s) written, watermark #${summary.watermark} (result set ${summary.resultSetId}) in ${seconds(summary.durationMs)} (reading and folding ${seconds(summary.foldMs)}, writing ${seconds(summary.writeMs)})${why}`,
  );
  return EXIT.ok;
}

/** Milliseconds as seconds with one decimal (`1234` → `1.2 s`). */
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function runResults(ctx: CommandContext, o: KpiOptions & { readonly key?: string }): Promise<ExitCode> {
  const { out, target } = ctx;
  const { results, status } = await withDatabaseOf(target, async (opened) => {
    const runner = await runnerFor(opened, ctx, o);
    return {
      results: await runner.results(o.key === undefined ? {} : { definitionKey: o.key }),
      status: await runner.status(),
    };
  });
  out.data(results);
  if (results.length === 0) {
    out.line('no KPI results (run `pet kpi rebuild` first, or check --prefix)');
    return EXIT.ok;
  }
  if (stale(status)) out.line(`note: ${STALE}`);
  out.line(
    table(
      ['result id', 'value', 'unit', 'target', 'classification'],
      results.map((r) => [
        r.id,
        String(r.value),
        r.unit,
        r.target === null ? '' : String(r.target),
        r.classification,
      ]),
    ).join('\n'),
  );
  return EXIT.ok;
}

/** `pet kpi report --html <file>`: the active results as one self-contained page (no CDN, no server). */
async function runReport(ctx: CommandContext, o: KpiOptions & { readonly html: string }): Promise<ExitCode> {
  const { out, target } = ctx;
  const { results, definitions, status } = await withDatabaseOf(target, async (opened) => {
    const runner = await runnerFor(opened, ctx, o);
    return {
      results: await runner.results(),
      definitions: kpiDefinitions(o.currency),
      status: await runner.status(),
    };
  });
  const html = renderKpiReportHtml({
    title: `PET KPIs — ${target.database}${target.prefix === '' ? '' : ` (${target.prefix})`}`,
    definitions,
    results,
    chartLibrary: uplotChartLibrary(),
    note: `${results.length} result(s) of result set ${status.resultSetId ?? '—'}, watermark #${status.watermark ?? 0}, periods in ${status.orgTimeZone ?? 'UTC'}${stale(status) ? `. Note: ${STALE}` : ''}`,
  });
  try {
    await writeFile(o.html, html, 'utf8');
  } catch (e) {
    throw new CliFailure(
      'FILE_NOT_WRITTEN',
      `cannot write ${o.html} (${(e as NodeJS.ErrnoException).code ?? String(e)}); pass a writable path`,
      EXIT.notFound,
    );
  }
  out.data({
    file: o.html,
    results: results.length,
    bytes: Buffer.byteLength(html),
    current: !stale(status),
  });
  out.line(
    results.length === 0
      ? `wrote ${o.html}: no KPI results yet (run \`pet kpi rebuild\` first)`
      : `wrote ${o.html}: ${results.length} result(s), one page, no network needed to open it`,
  );
  if (results.length > 0 && stale(status)) out.line(`note: ${STALE}`);
  return EXIT.ok;
}

async function runExplain(ctx: CommandContext, resultId: string, o: KpiOptions): Promise<ExitCode> {
  const { out, target } = ctx;
  await withDatabaseOf(target, async (opened) => {
    let x: Awaited<ReturnType<KpiRunner['explain']>>;
    try {
      x = await (await runnerFor(opened, ctx, o)).explain(resultId);
    } catch (e) {
      if (isPetError(e, 'NOT_FOUND')) {
        throw new CliFailure(
          'NOT_FOUND',
          `${e.message}; list the result ids with \`pet kpi results\` (after \`pet kpi rebuild\`)`,
          EXIT.notFound,
        );
      }
      throw e;
    }
    const r = x.result;
    if (out.json) {
      // One document: the contributing events are collected (a result's count is known and bounded).
      const contributing: unknown[] = [];
      for await (const c of x.contributing) contributing.push(c);
      out.data({ result: r, definition: x.definition, why: x.why, contributing });
      return;
    }
    out.line(r.id);
    out.line(
      `  ${x.definition.name} (${r.definitionKey} v${r.definitionVersion}): ${x.definition.description}`,
    );
    out.line(`  scope ${r.scopeType}:${r.scopeId}, period ${r.periodStart} … ${r.periodEnd}`);
    out.line(
      `  value ${r.value} ${r.unit}${r.target === null ? '' : `, target ${r.target}`} → ${r.classification}`,
    );
    out.line(`  why: ${x.why}`);
    out.line(`  ${r.contributingEventCount} contributing event(s) up to #${r.watermark}:`);
    // Streamed: the events are found by re-reading the log up to the watermark.
    for await (const c of x.contributing) out.line(`    #${c.position}  ${c.eventId}  ${c.role}`);
  });
  return EXIT.ok;
}

const currency = (v: string): string => {
  if (!/^[A-Z]{3}$/.test(v))
    throw new InvalidArgumentError(`--currency must be an ISO 4217 code like EUR, got '${v}'`);
  return v;
};
const timeZone = (v: string): string => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
  } catch {
    throw new InvalidArgumentError(`--time-zone must be an IANA time zone like Europe/Berlin, got '${v}'`);
  }
  return v;
};

/** `pet kpi rebuild | catch-up | results | explain <result-id>`. */
export function kpiCommand(program: Command, session: Session): void {
  const kpi = program
    .command('kpi')
    .description(
      'compute PET KPIs from the event log (catalogues v1 + v2: the sales, executive, delivery, support, people and knowledge dashboards) and explain their results',
    );
  const common = (c: Command): Command =>
    c
      .option('--currency <code>', 'currency the money KPIs count in', currency, 'EUR')
      .option(
        '--time-zone <iana>',
        'time zone of the organisation (period boundaries); default: the zone the active results were computed in, else UTC',
        timeZone,
      );
  common(kpi.command('rebuild').description('fold every event into a fresh result set and switch to it'))
    .option(
      '--replace-zone',
      'rebuild in --time-zone although the active results were computed in another zone',
    )
    .action(async (o: KpiOptions, cmd: Command) =>
      session.finish(await runMode(session.context(cmd), 'rebuild', o)),
    );
  common(
    kpi
      .command('catch-up')
      .description(
        'fold the events after the checkpoint into the active result set (a rebuild when there is none)',
      ),
  )
    .option(
      '--replace-zone',
      'rebuild in --time-zone although the active results were computed in another zone',
    )
    .addHelpText(
      'after',
      '\nResults computed with other KPI definitions (an older pet computed catalogue v1 only) or org structure\nversions are rebuilt from every event; the definition versions already stored are kept.',
    )
    .action(async (o: KpiOptions, cmd: Command) =>
      session.finish(await runMode(session.context(cmd), 'catch-up', o)),
    );
  common(
    kpi
      .command('report')
      .description(
        'write the active results as one self-contained HTML page: dashboards, a chart per KPI, each result’s numbers',
      )
      .requiredOption('--html <file>', 'where to write the page'),
  ).action(async (o: KpiOptions & { html: string }, cmd: Command) =>
    session.finish(await runReport(session.context(cmd), o)),
  );
  common(kpi.command('results').description('list the results of the active result set'))
    .option('--key <definition-key>', 'only this KPI, e.g. sales.win-rate')
    .action(async (o: KpiOptions & { key?: string }, cmd: Command) =>
      session.finish(await runResults(session.context(cmd), o)),
    );
  common(
    kpi
      .command('explain')
      .description('explain one result: formula with its numbers, classification reason, contributing events')
      .argument('<result-id>', 'a result id as `pet kpi results` lists it'),
  ).action(async (id: string, o: KpiOptions, cmd: Command) =>
    session.finish(await runExplain(session.context(cmd), id, o)),
  );
}
