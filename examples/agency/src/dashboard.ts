// The dashboard: KPI results as rows (for JSON) and as a plain-text table (for people).
import { DEFAULT_DASHBOARDS, formatDuration } from '@pet-ops/kpi';

/** The fields of a KPI result the dashboard shows (a `KpiResult` of `@pet-ops/kpi` has them all). */
export interface ResultLike {
  readonly id: string;
  readonly definitionKey: string;
  readonly definitionVersion: number;
  readonly unit: string;
  readonly scopeType: string;
  readonly scopeId: string;
  readonly periodStart: string;
  readonly value: number;
  readonly numerator: number;
  readonly denominator: number | null;
  readonly target: number | null;
  readonly classification: string;
  readonly contributingEventCount: number;
}

/** One dashboard line. */
export interface DashboardRow {
  readonly resultId: string;
  readonly kpi: string;
  readonly name: string;
  /** `org` or the team's name. */
  readonly scope: string;
  readonly scopeType: string;
  /** The calendar month in the organisation's time zone, `YYYY-MM`. */
  readonly period: string;
  readonly unit: string;
  readonly value: number;
  readonly numerator: number;
  readonly denominator: number | null;
  readonly target: number | null;
  readonly classification: string;
  readonly definitionVersion: number;
  readonly contributingEvents: number;
}

/** The month an instant falls in, in `timeZone` (`YYYY-MM`). */
export function monthIn(timeZone: string, at: string | number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '??';
  return `${get('year')}-${get('month')}`;
}

/**
 * Dashboard rows: org first, then teams by name, each by KPI and month.
 *
 * @example
 * ```ts
 * const rows = dashboardRows(results, { names, teamNames, timeZone: 'Europe/Berlin' });
 * ```
 */
export function dashboardRows(
  results: readonly ResultLike[],
  options: {
    readonly names: ReadonlyMap<string, string>;
    readonly teamNames: ReadonlyMap<string, string>;
    readonly timeZone: string;
  },
): DashboardRow[] {
  const rows = results.map(
    (r): DashboardRow => ({
      resultId: r.id,
      kpi: r.definitionKey,
      name: options.names.get(r.definitionKey) ?? r.definitionKey,
      scope:
        r.scopeType === 'org' ? 'org' : (options.teamNames.get(r.scopeId) ?? `${r.scopeType}:${r.scopeId}`),
      scopeType: r.scopeType,
      period: monthIn(options.timeZone, r.periodStart),
      unit: r.unit,
      value: r.value,
      numerator: r.numerator,
      denominator: r.denominator,
      target: r.target,
      classification: r.classification,
      definitionVersion: r.definitionVersion,
      contributingEvents: r.contributingEventCount,
    }),
  );
  const rank = (row: DashboardRow): string => (row.scopeType === 'org' ? '0' : `1${row.scope}`);
  return rows.sort(
    (a, b) =>
      rank(a).localeCompare(rank(b)) || a.kpi.localeCompare(b.kpi) || a.period.localeCompare(b.period),
  );
}

const money = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 0, maximumFractionDigits: 0 });

/** A value in its unit: basis points as a percentage, minutes as days/hours, money in whole units. */
export function formatValue(unit: string, value: number | null): string {
  if (value === null) return '—';
  switch (unit) {
    case 'basis_points':
      return `${(value / 100).toFixed(1)} %`;
    case 'minutes':
      // Rounded to the hour before it is split: 10 079 minutes are `7 d 0 h`, never `6 d 24 h`.
      return formatDuration(value);
    case 'money_minor':
    case 'money':
      return `€ ${money.format(value / 100)}`;
    default:
      return String(value);
  }
}

/**
 * The rows as an aligned text table.
 *
 * @example
 * ```ts
 * console.log(renderTable(rows));
 * ```
 */
export function renderTable(rows: readonly DashboardRow[]): string {
  const header = ['KPI', 'scope', 'period', 'value', 'target', 'classification', 'definition'];
  const body = rows.map((r) => [
    r.name,
    r.scope,
    r.period,
    formatValue(r.unit, r.value),
    formatValue(r.unit, r.target),
    r.classification,
    `${r.kpi} v${r.definitionVersion}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const numeric = new Set([3, 4]);
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  // A blank line between scopes (org, then each team) keeps the table scannable.
  const lines: string[] = [line(header), widths.map((w) => '─'.repeat(w)).join('  ')];
  body.forEach((cells, i) => {
    if (i > 0 && rows[i]!.scope !== rows[i - 1]!.scope) lines.push('');
    lines.push(line(cells));
  });
  return lines.join('\n');
}

/**
 * The rows by the dashboards of spec §4 (Executive, Sales, Delivery, Support, People, Knowledge), in
 * their order; a KPI no dashboard names goes under "Other".
 *
 * @example
 * ```ts
 * for (const d of byDashboard(rows)) console.log(d.title, d.rows.length);
 * ```
 */
export function byDashboard(
  rows: readonly DashboardRow[],
): { readonly title: string; readonly rows: readonly DashboardRow[] }[] {
  const base = (key: string): string => key.replace(/\.by-[a-z-]+$/, '');
  const titleOf = new Map<string, string>();
  for (const d of DEFAULT_DASHBOARDS) for (const k of d.keys) if (!titleOf.has(k)) titleOf.set(k, d.title);
  const out = new Map<string, DashboardRow[]>(DEFAULT_DASHBOARDS.map((d) => [d.title, []]));
  for (const r of rows) {
    const title = titleOf.get(base(r.kpi)) ?? 'Other';
    const list = out.get(title) ?? [];
    list.push(r);
    out.set(title, list);
  }
  return [...out].filter(([, list]) => list.length > 0).map(([title, list]) => ({ title, rows: list }));
}
