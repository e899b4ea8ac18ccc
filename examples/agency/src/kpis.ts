// The KPIs: catalogue v1 rebuilt from the event log by the KPI runner, then read and explained.
import type { StoredEvent } from '@pet-ops/core';
import { catalogueV1, type Explanation, type KpiDefinitionVersion, type KpiResult } from '@pet-ops/kpi';
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
 * Rebuilds catalogue v1 (org and team scope, calendar months in the organisation's time zone) from every
 * event; the runner reads the org-structure versions itself, so team results follow the version valid
 * at each event's time.
 *
 * @example
 * ```ts
 * const kpis = await rebuildKpis(agency, progress);
 * ```
 */
export async function rebuildKpis(agency: Agency, progress: Progress): Promise<Kpis> {
  const definitions = catalogueV1({ currency: CURRENCY, scopes: ['org', 'team'], period: 'month' });
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
  readonly events: readonly {
    readonly position: string;
    readonly role: string;
    readonly type: string;
    readonly occurredAt: string;
    readonly detail: string;
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
  for await (const c of explanation.contributing) {
    const [event] = await readAt(agency, c.position);
    if (event === undefined) throw new Error(`event #${c.position} not found`);
    events.push({
      position: String(c.position),
      role: c.role,
      type: event.type,
      occurredAt: event.occurredAt,
      detail: detail(event),
    });
  }
  return { resultId, why: explanation.why, events };
}

async function readAt(agency: Agency, position: bigint): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of agency.events.readAll({ after: position - 1n, limit: 1 })) out.push(e);
  return out;
}
