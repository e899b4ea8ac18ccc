import { divideRounded, ValidationError } from '@pet-ops/core';
import { type Classification, classify } from './classify.js';
import { type KpiDefinitionVersion, versionId } from './definition.js';
import type { KpiEngine, KpiResult } from './engine.js';

/** The dashboard windows of spec §4: they never change a definition, they combine its daily results. */
export type KpiWindow = 'today' | 'mtd' | 'qtd' | 'ytd' | 'rolling-30' | 'rolling-90';

/** One definition's value for one scope over a window ending on `to`, from its daily results. */
export interface KpiWindowResult {
  readonly definitionKey: string;
  readonly definitionVersion: number;
  readonly scopeType: KpiResult['scopeType'];
  readonly scopeId: string;
  readonly window: KpiWindow;
  /** First and last local day of the window, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly value: number;
  readonly numerator: number;
  readonly denominator: number | null;
  readonly target: number | null;
  readonly classification: Classification;
  readonly classificationReason: string;
  readonly contributingEventCount: number;
  readonly watermark: bigint;
  /** The daily results combined (running levels: the last one on or before `to`). */
  readonly resultIds: readonly string[];
}

const DAY_MS = 86_400_000;
const dayMs = (date: string): number =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The first local day of a window that ends on `to` (inclusive).
 *
 * @example `windowStart('qtd', '2026-05-14')` → `'2026-04-01'`
 */
export function windowStart(window: KpiWindow, to: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(to) || Number.isNaN(dayMs(to))) {
    throw new ValidationError('KPI window', [{ field: 'to', rule: 'must be a date YYYY-MM-DD' }]);
  }
  const y = to.slice(0, 4);
  switch (window) {
    case 'today':
      return to;
    case 'mtd':
      return `${to.slice(0, 7)}-01`;
    case 'qtd': {
      const q = Math.floor((Number(to.slice(5, 7)) - 1) / 3) * 3 + 1;
      return `${y}-${String(q).padStart(2, '0')}-01`;
    }
    case 'ytd':
      return `${y}-01-01`;
    case 'rolling-30':
      return isoDay(dayMs(to) - 29 * DAY_MS);
    case 'rolling-90':
      return isoDay(dayMs(to) - 89 * DAY_MS);
  }
}

/**
 * Combines a definition's daily results (its `day` grid) into one window's result per scope: counts and
 * sums add up; ratios and averages are Σ numerator ÷ Σ denominator again (never an average of daily
 * values); running levels take the last day on or before `to`. A measure whose daily values do not
 * combine (percentiles, spreads, differences of means) is refused.
 *
 * @throws ValidationError when the definition is not the engine's, not on the day grid, or does not combine.
 * @example
 * ```ts
 * const daily = engine.results(state).filter((r) => r.definitionKey === 'support.sla-compliance');
 * const last30 = windowResults(engine, 'support.sla-compliance@1', daily, 'rolling-30', '2026-03-31');
 * ```
 */
export function windowResults(
  engine: KpiEngine,
  definitionVersionId: string,
  results: readonly KpiResult[],
  window: KpiWindow,
  to: string,
): KpiWindowResult[] {
  const def = engine.definitions.find((d) => versionId(d) === definitionVersionId);
  const refuse = (rule: string) => new ValidationError('KPI window', [{ field: 'definition', rule }]);
  if (def === undefined) throw refuse(`must be one of the engine's definitions (${definitionVersionId})`);
  if (def.period !== 'day') throw refuse('must be computed on the day grid (windows combine days)');
  const combine = combination(def);
  if (combine === null) throw refuse(`its ${def.aggregation} values do not combine across days`);
  const running = engine.carriesForward(definitionVersionId);
  const from = windowStart(window, to);
  const byScope = new Map<string, KpiResult[]>();
  for (const r of results) {
    if (`${r.definitionKey}@${r.definitionVersion}` !== definitionVersionId) continue;
    if (r.periodStart > to || (!running && r.periodStart < from)) continue;
    const list = byScope.get(r.scopeId) ?? [];
    list.push(r);
    byScope.set(r.scopeId, list);
  }
  const out: KpiWindowResult[] = [];
  for (const scopeId of [...byScope.keys()].sort()) {
    const days = (byScope.get(scopeId) as KpiResult[]).sort((a, b) =>
      a.periodStart < b.periodStart ? -1 : 1,
    );
    const used = running ? days.slice(-1) : days;
    const last = used[used.length - 1];
    if (last === undefined) continue;
    let n = 0;
    let d = 0;
    let c = 0;
    let w = 0n;
    for (const r of used) {
      n += r.numerator;
      d += r.denominator ?? 0;
      c += r.contributingEventCount;
      if (r.watermark > w) w = r.watermark;
    }
    if (running) c = last.contributingEventCount;
    const numbers = running
      ? { value: last.value, numerator: last.numerator, denominator: last.denominator }
      : combine(n, d);
    if (numbers === null) continue;
    const { classification, reason } = classify(numbers.value, def);
    out.push({
      definitionKey: def.key,
      definitionVersion: def.version,
      scopeType: def.scope,
      scopeId,
      window,
      from,
      to,
      ...numbers,
      target: def.target,
      classification,
      classificationReason: reason,
      contributingEventCount: c,
      watermark: w,
      resultIds: used.map((r) => r.id),
    });
  }
  return out;
}

type Combine = (
  n: number,
  d: number,
) => { value: number; numerator: number; denominator: number | null } | null;

function combination(def: KpiDefinitionVersion): Combine | null {
  const m = def.measure;
  if (def.aggregation === 'percentile' || m.kind === 'spread') return null;
  if (m.kind === 'ticket' && m.metric === 'resolution-acceleration') return null;
  if (m.kind.startsWith('plugin:')) return null;
  switch (def.aggregation) {
    case 'count':
    case 'sum':
      return (n) => ({ value: n, numerator: n, denominator: null });
    case 'avg':
      return (n, d) =>
        d === 0 ? null : { value: Number(divideRounded(BigInt(n), BigInt(d))), numerator: n, denominator: d };
    case 'ratio': {
      const complement = m.kind === 'sum-ratio' && m.complement === true;
      return (n, d) => {
        if (d === 0) return null;
        const bp = Number(divideRounded(BigInt(n) * 10_000n, BigInt(d)));
        return { value: complement ? Math.max(0, 10_000 - bp) : bp, numerator: n, denominator: d };
      };
    }
    default:
      return null;
  }
}
