import type { PeriodGrid } from './calendar.js';
import type { KpiDefinitionVersion, ScopeType, TicketMeasure } from './definition.js';

/** Options of {@link catalogueV2}. */
export interface CatalogueV2Options {
  /**
   * Scopes to compute each KPI for, among those its dashboard names (spec §4). Default: every named
   * scope that a `kpi_results` row can hold today (`employee`, `team`, `department`, `customer`,
   * `project`, `org`); `sla_tier` and `ticket` only when asked for. Non-org keys get a `.by-<scope>` suffix (`sla_tier` → `.by-sla-tier`).
   */
  readonly scopes?: readonly ScopeType[];
  /** Period grid (default: month). */
  readonly period?: PeriodGrid;
}

/** The dashboards of spec §4 that catalogue v2 covers. */
export type Dashboard = 'executive' | 'sales' | 'delivery' | 'support' | 'people' | 'knowledge';

/**
 * Base keys of catalogue v2 by dashboard (spec §4): the KPIs whose events exist in the delivery, time,
 * support and knowledge contexts.
 *
 * @example `CATALOGUE_V2_KEYS.support.includes('support.sla-breach-rate')` → `true`
 */
export const CATALOGUE_V2_KEYS: Readonly<Record<Dashboard, readonly string[]>> = {
  executive: ['delivery.efficiency', 'support.sla-compliance', 'delivery.variance-trend'],
  sales: ['sales.presales-minutes-per-win'],
  delivery: ['delivery.planned-vs-actual', 'delivery.open-variances', 'delivery.estimate-accuracy'],
  support: [
    'support.open-tickets',
    'support.open-tickets.low',
    'support.open-tickets.medium',
    'support.open-tickets.high',
    'support.open-tickets.critical',
    'support.sla-breach-rate',
    'support.mttr',
    'support.mttr.low',
    'support.mttr.medium',
    'support.mttr.high',
    'support.mttr.critical',
    'support.hours-by-customer',
    'support.response-compliance',
    'support.resolution-compliance',
    'support.breach-count',
    'support.escalation-count',
  ],
  people: ['people.team-load-spread'],
  knowledge: ['knowledge.reuse', 'knowledge.resolution-acceleration'],
};

/**
 * KPIs of spec §4 that catalogue v2 cannot compute yet, and why: no event carries what they need.
 *
 * @example `CATALOGUE_V2_MISSING['executive.revenue-vs-capacity']`
 */
export const CATALOGUE_V2_MISSING: Readonly<Record<string, string>> = {
  'executive.revenue-vs-capacity':
    'effective capacity (calendar, leave, overrides) is a fact the application loads, not an event',
  'executive.utilisation':
    'effective capacity is not an event; scheduled minutes exist (resource_allocation.planned) but the divisor does not',
  'people.utilisation': 'as executive.utilisation (team scope)',
  'people.overtime-trend': 'minutes beyond effective capacity need capacity events',
  'people.leave-impact': 'leave is capacity input, not an event (no leave.approved)',
  'knowledge.support-deflection': 'no event records a ticket avoided by an article',
};

/** The scopes a `kpi_results` row holds today (its `scope_type` enum). */
const STORABLE: readonly ScopeType[] = ['employee', 'team', 'department', 'customer', 'project', 'org'];

type Base = Omit<KpiDefinitionVersion, 'key' | 'version' | 'scope' | 'period'> & {
  readonly key: string;
  /** The scopes spec §4 names for it. */
  readonly scopes: readonly ScopeType[];
};

const ticket = (
  key: string,
  name: string,
  description: string,
  measure: Omit<TicketMeasure, 'kind'>,
  rest: Pick<Base, 'unit' | 'aggregation' | 'target' | 'thresholds' | 'scopes'>,
): Base => ({ key, name, description, measure: { kind: 'ticket', ...measure }, ...rest });

const compliance = { direction: 'higher_is_better', good: 9500, warning: 9000 } as const;
const fewer = { direction: 'lower_is_better', good: 0, warning: 2 } as const;

function openTickets(priority: 'low' | 'medium' | 'high' | 'critical' | null): Base {
  return ticket(
    priority === null ? 'support.open-tickets' : `support.open-tickets.${priority}`,
    priority === null ? 'Open tickets' : `Open tickets (${priority})`,
    `tickets created and not resolved, closed or archived at the period's end${priority === null ? '' : `, of current priority ${priority}`}`,
    priority === null ? { metric: 'open-tickets' } : { metric: 'open-tickets', priority },
    {
      unit: 'count',
      aggregation: 'sum',
      target: null,
      thresholds: null,
      scopes: ['org', 'team', 'customer'],
    },
  );
}

function mttr(priority: 'low' | 'medium' | 'high' | 'critical' | null): Base {
  return ticket(
    priority === null ? 'support.mttr' : `support.mttr.${priority}`,
    priority === null ? 'Mean time to resolution' : `Mean time to resolution (${priority})`,
    `mean minutes from ticket.created to its first resolution${priority === null ? '' : ` of tickets of priority ${priority} at resolution`}: business minutes of the bound SLA calendar snapshot, wall minutes when not SLA-bound`,
    priority === null ? { metric: 'resolution-time' } : { metric: 'resolution-time', priority },
    {
      unit: 'minutes',
      aggregation: 'avg',
      target: 480,
      thresholds: { direction: 'lower_is_better', good: 480, warning: 2 * 480 },
      scopes: ['org', 'team', 'customer'],
    },
  );
}

/**
 * Catalogue v2: the KPIs of the executive, delivery, support, people and knowledge dashboards (spec §4)
 * over the delivery, time, support and knowledge events — pre-sales time per win, delivery efficiency, SLA compliance, project
 * variance trend; planned vs actual hours, open variances, estimate accuracy; open tickets (by
 * priority), SLA breach rate, mean time to resolution (business minutes of the bound SLA calendar; also
 * by priority),
 * support hours by customer, response/resolution compliance, breach and escalation counts; team load
 * distribution; article reuse and resolution acceleration. {@link CATALOGUE_V2_MISSING} lists those
 * whose events do not exist yet.
 *
 * @example
 * ```ts
 * const definitions = [...catalogueV1({ currency: 'EUR' }), ...catalogueV2({ period: 'month' })];
 * const engine = createKpiEngine({ definitions, orgTimeZone: 'Europe/London', orgVersions });
 * ```
 */
export function catalogueV2(options: CatalogueV2Options = {}): KpiDefinitionVersion[] {
  const bases: Base[] = [
    {
      key: 'delivery.efficiency',
      name: 'Delivery efficiency',
      description: 'Σ sold minutes ÷ Σ actual minutes of the milestones completed in the period',
      unit: 'basis_points',
      aggregation: 'ratio',
      measure: {
        kind: 'sum-ratio',
        eventTypes: ['delivery.milestone_completed'],
        numerator: { path: 'payload.soldMinutes' },
        denominator: { path: 'payload.actualMinutes' },
      },
      target: 10_000,
      thresholds: { direction: 'higher_is_better', good: 9500, warning: 8000 },
      scopes: ['org', 'team', 'project'],
    },
    ticket(
      'support.sla-compliance',
      'SLA compliance rate',
      'SLA-bound tickets resolved with no breach ÷ SLA-bound tickets resolved (first sla.resolved), in the resolution period',
      { metric: 'sla-compliance' },
      {
        unit: 'basis_points',
        aggregation: 'ratio',
        target: 9500,
        thresholds: compliance,
        scopes: ['org', 'team', 'customer', 'sla_tier'],
      },
    ),
    {
      key: 'delivery.variance-trend',
      name: 'Project variance trend',
      description: 'project.variance_detected per period (compare with the periods before)',
      unit: 'count',
      aggregation: 'count',
      measure: { kind: 'events', eventTypes: ['project.variance_detected'] },
      target: null,
      thresholds: null,
      scopes: ['org', 'team'],
    },
    {
      key: 'sales.presales-minutes-per-win',
      name: 'Pre-sales hours per win',
      description:
        'Σ net minutes of time on pre-sales projects ÷ opportunities won, per period (whole minutes)',
      unit: 'minutes',
      aggregation: 'avg',
      measure: { kind: 'presales-per-win' },
      target: 16 * 60,
      thresholds: { direction: 'lower_is_better', good: 16 * 60, warning: 32 * 60 },
      scopes: ['org', 'team'],
    },
    {
      key: 'delivery.planned-vs-actual',
      name: 'Planned vs actual hours',
      description:
        'to date: Σ net actual minutes on the project ÷ Σ planned task minutes (estimates and re-estimates)',
      unit: 'basis_points',
      aggregation: 'ratio',
      measure: { kind: 'planned-actual' },
      target: 10_000,
      thresholds: { direction: 'lower_is_better', good: 10_000, warning: 11_000 },
      scopes: ['project'],
    },
    {
      key: 'delivery.open-variances',
      name: 'Open project variances',
      description: 'variances detected and not yet resolved at the period end',
      unit: 'count',
      aggregation: 'sum',
      measure: {
        kind: 'open-count',
        open: { eventType: 'project.variance_detected', key: 'payload.varianceId' },
        close: [{ eventType: 'project.variance_resolved', key: 'payload.varianceId' }],
      },
      target: 0,
      thresholds: fewer,
      scopes: ['project', 'team'],
    },
    {
      key: 'delivery.estimate-accuracy',
      name: 'Estimate accuracy',
      description:
        '1 − Σ |actual − sold| ÷ Σ sold minutes of the milestones completed in the period (never below 0)',
      unit: 'basis_points',
      aggregation: 'ratio',
      measure: {
        kind: 'sum-ratio',
        eventTypes: ['delivery.milestone_completed'],
        numerator: { absDiff: ['payload.actualMinutes', 'payload.soldMinutes'] },
        denominator: { path: 'payload.soldMinutes' },
        complement: true,
      },
      target: 9000,
      thresholds: { direction: 'higher_is_better', good: 9000, warning: 8000 },
      scopes: ['org', 'team', 'project'],
    },
    openTickets(null),
    openTickets('low'),
    openTickets('medium'),
    openTickets('high'),
    openTickets('critical'),
    ticket(
      'support.sla-breach-rate',
      'SLA breach rate',
      'SLA-bound tickets with at least one breach ÷ SLA-bound tickets, by binding period (a cohort)',
      { metric: 'sla-breach-rate' },
      {
        unit: 'basis_points',
        aggregation: 'ratio',
        target: 500,
        thresholds: { direction: 'lower_is_better', good: 500, warning: 1000 },
        scopes: ['org', 'team', 'customer', 'sla_tier'],
      },
    ),
    mttr(null),
    mttr('low'),
    mttr('medium'),
    mttr('high'),
    mttr('critical'),
    {
      key: 'support.hours-by-customer',
      name: 'Support hours by customer',
      description: 'Σ net minutes of time submitted on support-container tickets (with adjustments)',
      unit: 'minutes',
      aggregation: 'sum',
      measure: { kind: 'ticket-time', owner: 'support' },
      target: null,
      thresholds: null,
      scopes: ['customer'],
    },
    ticket(
      'support.response-compliance',
      'Response-time compliance',
      'sla.responded within the response target ÷ sla.responded (elapsed business minutes of the snapshot)',
      { metric: 'response-compliance' },
      {
        unit: 'basis_points',
        aggregation: 'ratio',
        target: 9500,
        thresholds: compliance,
        scopes: ['employee', 'team', 'org'],
      },
    ),
    ticket(
      'support.resolution-compliance',
      'Resolution-time compliance',
      'first sla.resolved within the resolution target ÷ first sla.resolved per ticket',
      { metric: 'resolution-compliance' },
      {
        unit: 'basis_points',
        aggregation: 'ratio',
        target: 9500,
        thresholds: compliance,
        scopes: ['employee', 'team', 'org'],
      },
    ),
    ticket(
      'support.breach-count',
      'SLA breach count',
      'sla.breached events (response and resolution targets), scoped by the ticket at the breach',
      { metric: 'breach-count' },
      {
        unit: 'count',
        aggregation: 'count',
        target: 0,
        thresholds: fewer,
        scopes: ['employee', 'team', 'org'],
      },
    ),
    ticket(
      'support.escalation-count',
      'Escalation count',
      'sla.escalated events (one per stage), scoped by the ticket at the escalation',
      { metric: 'escalation-count' },
      {
        unit: 'count',
        aggregation: 'count',
        target: 0,
        thresholds: fewer,
        scopes: ['employee', 'team', 'org'],
      },
    ),
    {
      key: 'people.team-load-spread',
      name: 'Team load distribution',
      description:
        'coefficient of variation (σ ÷ mean) of the minutes each member submitted in the period, across the team',
      unit: 'basis_points',
      aggregation: 'ratio',
      measure: {
        kind: 'spread',
        eventTypes: ['time_entry.submitted'],
        member: 'payload.employeeId',
        value: 'payload.minutes',
      },
      target: 2500,
      thresholds: { direction: 'lower_is_better', good: 2500, warning: 5000 },
      scopes: ['team'],
    },
    {
      key: 'knowledge.reuse',
      name: 'Article reuse',
      description: 'knowledge.linked events (articles linked to tickets, projects, tasks, customers)',
      unit: 'count',
      aggregation: 'count',
      measure: { kind: 'events', eventTypes: ['knowledge.linked'] },
      target: null,
      thresholds: null,
      scopes: ['org', 'team'],
    },
    ticket(
      'knowledge.resolution-acceleration',
      'Resolution acceleration',
      'mean resolution minutes of tickets without a linked article − with one (positive: articles speed resolution)',
      { metric: 'resolution-acceleration' },
      {
        unit: 'minutes',
        aggregation: 'avg',
        target: 60,
        thresholds: { direction: 'higher_is_better', good: 60, warning: 0 },
        scopes: ['org', 'team'],
      },
    ),
  ];
  const wanted = options.scopes ?? STORABLE;
  const period = options.period ?? 'month';
  return bases.flatMap(({ scopes, ...b }) =>
    scopes
      .filter((scope) => wanted.includes(scope))
      .map((scope) => ({
        ...b,
        key: scope === 'org' ? b.key : `${b.key}.by-${scope.replace('_', '-')}`,
        version: 1,
        scope,
        period,
      })),
  );
}
