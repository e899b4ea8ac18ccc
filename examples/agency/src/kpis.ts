// The KPIs: catalogues v1 and v2 (every dashboard of spec §4) rebuilt from the event log by the KPI
// runner, then read and explained.
import type { StoredEvent } from '@pet-ops/core';
import {
  catalogueV1,
  catalogueV2,
  type Explanation,
  type KpiDefinitionVersion,
  type KpiResult,
  type ReportExplanation,
} from '@pet-ops/kpi';
import { createKpiRunner, type KpiRunner, type KpiRunSummary } from '@pet-ops/sql';
import type { Agency } from './agency.js';
import type { Progress } from './progress.js';
import { CURRENCY, ORG_TIME_ZONE } from './scenario.js';

/** The rebuilt KPIs. */
export interface Kpis {
  readonly runner: KpiRunner;
  readonly definitions: readonly KpiDefinitionVersion[];
  readonly summary: KpiRunSummary;
  readonly results: readonly KpiResult[];
  /** KPI key → its human name. */
  readonly names: ReadonlyMap<string, string>;
}

/**
 * Rebuilds catalogues v1 and v2 (org and team scope, calendar months in the organisation's time zone) from every
 * event; the runner reads the org-structure versions itself, so team results follow the version valid
 * at each event's time.
 *
 * @example
 * ```ts
 * const kpis = await rebuildKpis(agency, progress);
 * ```
 */
export async function rebuildKpis(agency: Agency, progress: Progress): Promise<Kpis> {
  const definitions = [
    ...catalogueV1({ currency: CURRENCY, scopes: ['org', 'team'], period: 'month' }),
    ...catalogueV2({ scopes: ['org', 'team'], period: 'month' }),
  ];
  const runner = createKpiRunner({
    db: agency.db,
    dialect: agency.dialect,
    prefix: agency.prefix,
    definitions,
    orgTimeZone: ORG_TIME_ZONE,
  });
  const phase = progress.phase('KPI rebuild', 1);
  const summary = await runner.rebuild();
  const results = await runner.results();
  phase.tick();
  phase.done(
    `${definitions.length} definitions, ${summary.eventsRead} events read, ${results.length} results (watermark ${summary.watermark})`,
  );
  return {
    runner,
    definitions,
    summary,
    results,
    names: new Map(definitions.map((d) => [d.key, d.name])),
  };
}

/** An explained result with its contributing events read back (type, time, the payload fields that matter). */
export interface ExplainedResult {
  readonly resultId: string;
  readonly why: string;
  /** The same explanation as the HTML report draws it. */
  readonly report: ReportExplanation;
  readonly events: readonly {
    readonly position: string;
    readonly role: string;
    readonly type: string;
    readonly occurredAt: string;
    readonly detail: string;
    /** Its share of the result's numerator and denominator, where the measure kind reports shares. */
    readonly numerator?: number;
    readonly denominator?: number;
  }[];
}

/** The payload fields a reader checks against the formula. */
function detail(e: StoredEvent): string {
  const p = e.payload as Record<string, unknown>;
  const money = (m: unknown): string => {
    const v = m as { amountMinor?: number; currency?: string } | undefined;
    return v?.amountMinor === undefined ? '' : `${(v.amountMinor / 100).toFixed(2)} ${v.currency}`;
  };
  switch (e.type) {
    case 'opportunity.won':
    case 'opportunity.lost':
      return `class ${String(p['opportunityClass'])}`;
    case 'quote.accepted':
      return `version ${String(p['version'])}, totalSell ${money(p['totalSell'])}`;
    case 'quote.sent':
      return `version ${String(p['version'])}, totalSell ${money(p['totalSell'])}`;
    default:
      return '';
  }
}

/**
 * Explains one result: the formula with its numbers, the classification reason, and every
 * contributing event (found by re-folding the log up to the result's watermark), read back from the
 * event store by position.
 *
 * @example
 * ```ts
 * const x = await explainResult(agency, kpis, resultId);
 * ```
 */
export async function explainResult(agency: Agency, kpis: Kpis, resultId: string): Promise<ExplainedResult> {
  const explanation: Explanation = await kpis.runner.explain(resultId);
  const events: ExplainedResult['events'][number][] = [];
  const shares: ReportExplanation['contributing'][number][] = [];
  for await (const c of explanation.contributing) {
    const [event] = await readAt(agency, c.position);
    if (event === undefined) throw new Error(`event #${c.position} not found`);
    // A share's own arithmetic (an SLA span's business minutes) says more than the payload fields.
    const said = c.detail ?? detail(event);
    const share =
      c.numerator === undefined && c.denominator === undefined
        ? ''
        : ` (${c.numerator ?? 0} / ${c.denominator ?? 0})`;
    events.push({
      position: String(c.position),
      role: c.role,
      type: event.type,
      occurredAt: event.occurredAt,
      detail: `${said}${share}`.trim(),
      ...(c.numerator === undefined ? {} : { numerator: c.numerator }),
      ...(c.denominator === undefined ? {} : { denominator: c.denominator }),
    });
    shares.push({
      position: c.position,
      eventId: c.eventId,
      role: c.role,
      ...(c.numerator === undefined ? {} : { numerator: c.numerator }),
      ...(c.denominator === undefined ? {} : { denominator: c.denominator }),
      detail: `${event.type}${said === '' ? '' : `: ${said}`}`,
    });
  }
  return { resultId, why: explanation.why, events, report: { why: explanation.why, contributing: shares } };
}

async function readAt(agency: Agency, position: bigint): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of agency.events.readAll({ after: position - 1n, limit: 1 })) out.push(e);
  return out;
}
