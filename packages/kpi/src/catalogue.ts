import type { PeriodGrid } from './calendar.js';
import type { KpiDefinitionVersion, ScopeType } from './definition.js';

/** Options of {@link catalogueV1}. */
export interface CatalogueOptions {
  /** ISO 4217 currency the money KPIs are counted in (money is never converted). */
  readonly currency: string;
  /** Scopes to compute each KPI for (default: org and team). Non-org keys get a `.by-<scope>` suffix. */
  readonly scopes?: readonly ScopeType[];
  /** Period grid (default: month). */
  readonly period?: PeriodGrid;
}

/**
 * Base keys of the commercial catalogue, version 1.
 *
 * @example `catalogueV1({ currency: 'EUR', scopes: ['org'] }).map((d) => d.key)` → `CATALOGUE_V1_KEYS`
 */
export const CATALOGUE_V1_KEYS: readonly string[] = [
  'sales.lead-conversion',
  'sales.time-to-qualification',
  'sales.disqualification-rate',
  'sales.win-rate',
  'sales.win-rate.gold',
  'sales.win-rate.silver',
  'sales.win-rate.bronze',
  'sales.time-to-quote',
  'sales.time-to-acceptance',
  'sales.weighted-pipeline',
  'sales.sold-value',
];

const DAY_MIN = 1440;
const YEAR = 366;

type Base = Omit<KpiDefinitionVersion, 'key' | 'version' | 'scope' | 'period'> & { readonly key: string };

function winRate(cls: 'gold' | 'silver' | 'bronze' | null): Base {
  return {
    key: cls === null ? 'sales.win-rate' : `sales.win-rate.${cls}`,
    name: cls === null ? 'Win rate' : `Win rate (${cls})`,
    description: `won ÷ (won + lost) opportunities${cls === null ? '' : ` of class ${cls}`}, by decision date`,
    unit: 'basis_points',
    aggregation: 'ratio',
    measure: {
      kind: 'ratio',
      eventTypes: ['opportunity.won', 'opportunity.lost'],
      ...(cls === null ? {} : { where: [{ path: 'payload.opportunityClass', equals: cls }] }),
      numerator: { where: [{ path: 'type', equals: 'opportunity.won' }] },
    },
    target: 4000,
    thresholds: { direction: 'higher_is_better', good: 4000, warning: 2500 },
  };
}

/**
 * Version 1 of PET's commercial KPIs over the commercial event contract (spec §4, Sales): lead →
 * opportunity conversion, time to qualification, disqualification rate, win rate (overall and per
 * class), average time to quote, time to acceptance, probability-weighted pipeline value and sold value.
 * Money KPIs have no thresholds in version 1 (they depend on the company's size): publish a version 2
 * with a target and thresholds.
 *
 * @example
 * ```ts
 * const definitions = catalogueV1({ currency: 'EUR', scopes: ['org', 'team'], period: 'month' });
 * const engine = createKpiEngine({ definitions, orgTimeZone: 'Europe/Berlin', orgVersions });
 * ```
 */
export function catalogueV1(options: CatalogueOptions): KpiDefinitionVersion[] {
  const currency = options.currency;
  const bases: Base[] = [
    {
      key: 'sales.lead-conversion',
      name: 'Lead → opportunity conversion',
      description:
        'leads created in the period (cohort) that reached an opportunity within a year ÷ leads created',
      unit: 'basis_points',
      aggregation: 'ratio',
      measure: {
        kind: 'conversion',
        start: { eventType: 'lead.created', key: 'payload.leadId' },
        end: { eventType: 'opportunity.created', key: 'payload.leadId' },
        windowDays: YEAR,
      },
      target: 3000,
      thresholds: { direction: 'higher_is_better', good: 3000, warning: 1500 },
    },
    {
      key: 'sales.time-to-qualification',
      name: 'Time to qualification',
      description: 'mean minutes from lead.created to lead.qualified, in the qualification period',
      unit: 'minutes',
      aggregation: 'avg',
      measure: {
        kind: 'span',
        start: { eventType: 'lead.created', key: 'payload.leadId' },
        end: { eventType: 'lead.qualified', key: 'payload.leadId' },
        firstStartOnly: true,
        windowDays: YEAR,
      },
      target: 5 * DAY_MIN,
      thresholds: { direction: 'lower_is_better', good: 5 * DAY_MIN, warning: 10 * DAY_MIN },
    },
    {
      key: 'sales.disqualification-rate',
      name: 'Disqualification rate',
      description: 'disqualified ÷ (qualified + disqualified) leads, by decision date',
      unit: 'basis_points',
      aggregation: 'ratio',
      measure: {
        kind: 'ratio',
        eventTypes: ['lead.qualified', 'lead.disqualified'],
        numerator: { where: [{ path: 'type', equals: 'lead.disqualified' }] },
      },
      target: 5000,
      thresholds: { direction: 'lower_is_better', good: 5000, warning: 7000 },
    },
    winRate(null),
    winRate('gold'),
    winRate('silver'),
    winRate('bronze'),
    {
      key: 'sales.time-to-quote',
      name: 'Average time to quote',
      description: 'mean minutes from opportunity.created to its first quote.sent, in the sending period',
      unit: 'minutes',
      aggregation: 'avg',
      measure: {
        kind: 'span',
        start: { eventType: 'opportunity.created', key: 'payload.opportunityId' },
        end: { eventType: 'quote.sent', key: 'payload.opportunityId' },
        firstStartOnly: true,
        windowDays: YEAR,
      },
      target: 5 * DAY_MIN,
      thresholds: { direction: 'lower_is_better', good: 5 * DAY_MIN, warning: 10 * DAY_MIN },
    },
    {
      key: 'sales.time-to-acceptance',
      name: 'Time to acceptance',
      description:
        'mean minutes from the first quote.sent of a quote to its quote.accepted, in the acceptance period',
      unit: 'minutes',
      aggregation: 'avg',
      measure: {
        kind: 'span',
        start: { eventType: 'quote.sent', key: 'payload.quoteId' },
        end: { eventType: 'quote.accepted', key: 'payload.quoteId' },
        firstStartOnly: true,
        windowDays: YEAR,
      },
      target: 14 * DAY_MIN,
      thresholds: { direction: 'lower_is_better', good: 14 * DAY_MIN, warning: 30 * DAY_MIN },
    },
    {
      key: 'sales.weighted-pipeline',
      name: 'Probability-weighted pipeline value',
      description: `Σ estimatedValue × probability of open opportunities at period end, in ${currency} minor units`,
      unit: 'money_minor',
      aggregation: 'sum',
      measure: {
        kind: 'level',
        key: 'payload.opportunityId',
        currency,
        set: [
          {
            eventType: 'opportunity.created',
            amount: 'payload.estimatedValue',
            weightBp: 'payload.probabilityBp',
          },
          { eventType: 'opportunity.probability_changed', weightBp: 'payload.probabilityBp' },
          { eventType: 'opportunity.value_changed', amount: 'payload.estimatedValue' },
        ],
        closeEventTypes: ['opportunity.won', 'opportunity.lost'],
      },
      target: null,
      thresholds: null,
    },
    {
      key: 'sales.sold-value',
      name: 'Sold value',
      description: `Σ quote.accepted totalSell in the period, in ${currency} minor units`,
      unit: 'money_minor',
      aggregation: 'sum',
      measure: {
        kind: 'events',
        eventTypes: ['quote.accepted'],
        value: { path: 'payload.totalSell', currency },
      },
      target: null,
      thresholds: null,
    },
  ];
  const scopes = options.scopes ?? ['org', 'team'];
  const period = options.period ?? 'month';
  return scopes.flatMap((scope) =>
    bases.map((b) => ({
      ...b,
      key: scope === 'org' ? b.key : `${b.key}.by-${scope}`,
      version: 1,
      scope,
      period,
    })),
  );
}
