import { EVENT_TYPE_PATTERN, ValidationError } from '@pet-ops/core';
import { z } from 'zod';
import type { PeriodGrid } from './calendar.js';

/** How a KPI's values are combined within a cell. */
export type Aggregation = 'count' | 'sum' | 'avg' | 'ratio' | 'percentile';

/**
 * What a result is computed for. `ticket` and `sla_tier` (the tier of the ticket's bound SLA) are the
 * support scopes; how an event resolves to the ids of each scope is data ({@link ScopeSpec}).
 */
export type ScopeType =
  | 'employee'
  | 'team'
  | 'department'
  | 'customer'
  | 'project'
  | 'ticket'
  | 'sla_tier'
  | 'org';

/** Every scope type, in a stable order. @example `SCOPE_TYPES.includes('team')` → `true` */
export const SCOPE_TYPES: readonly ScopeType[] = [
  'employee',
  'team',
  'department',
  'customer',
  'project',
  'ticket',
  'sla_tier',
  'org',
];

/** The unit a KPI's value is expressed in (never floats: minutes, minor units, basis points). */
export type KpiUnit = 'count' | 'minutes' | 'money_minor' | 'basis_points';

/**
 * A condition on an event: the value at `path` (dotted, from the event envelope, e.g.
 * `payload.opportunityClass` or `context.customerId`) equals `equals`, or is one of `in`.
 */
export interface EventFilter {
  readonly path: string;
  readonly equals?: string | number | boolean | null;
  readonly in?: readonly (string | number | boolean | null)[];
}

/** Which events a measure reads: their types and every filter they must pass. */
export interface EventSelector {
  readonly eventTypes: readonly string[];
  readonly where?: readonly EventFilter[];
}

/**
 * A numeric value read from an event: a number at `path`, or a `Money` at `path` counted in
 * `currency` only (events in another currency do not contribute — money is never converted).
 */
export interface ValueSource {
  readonly path: string;
  readonly currency?: string;
}

/** One event per contribution: counted, summed, averaged or ranked (`percentile`). */
export interface EventsMeasure extends EventSelector {
  readonly kind: 'events';
  /** Required for `sum`, `avg` and `percentile`. */
  readonly value?: ValueSource;
}

/** `ratio`: every selected event counts in the denominator, those also matching `numerator` in the numerator. */
export interface RatioMeasure extends EventSelector {
  readonly kind: 'ratio';
  readonly numerator: { readonly where: readonly EventFilter[] };
}

/** The start or end of a cross-event measure: an event type and where the entity's id is. */
export interface EntityStep {
  readonly eventType: string;
  /** Dotted path of the correlating entity id, e.g. `payload.leadId`. */
  readonly key: string;
  readonly where?: readonly EventFilter[];
}

/**
 * `avg`/`percentile` of the whole minutes between a start event and the first matching end event of
 * one entity, counted in the end event's period and the start event's scope. Per-entity state: the
 * open starts only (removed when matched or older than `windowDays` than the newest event seen).
 */
export interface SpanMeasure {
  readonly kind: 'span';
  readonly start: EntityStep;
  readonly end: EntityStep;
  /** Keep the first start when the entity starts again (e.g. "first quote sent"). */
  readonly firstStartOnly: boolean;
  readonly windowDays: number;
}

/**
 * `ratio` of a cohort: starts counted in the start's period and scope (denominator), those reaching an
 * end within `windowDays` counted in the same cell (numerator). Per-entity state: open starts only.
 */
export interface ConversionMeasure {
  readonly kind: 'conversion';
  readonly start: EntityStep;
  readonly end: EntityStep;
  readonly windowDays: number;
}

/** Sets an entity's tracked amount and/or weight from one event type. */
export interface LevelSetter {
  readonly eventType: string;
  /** Path of a `Money` (counted in the measure's currency only). */
  readonly amount?: string;
  /** Path of a weight in basis points (e.g. probability). */
  readonly weightBp?: string;
}

/**
 * `sum` of a running level at each period's end: Σ amount × weight over open entities (e.g. the
 * probability-weighted pipeline). Each change is stored as a delta in its period; a period's value is
 * the sum of all deltas up to its end. Per-entity state: open entities only (removed on a close event).
 */
export interface LevelMeasure {
  readonly kind: 'level';
  /** Path of the entity id, present on every setter and close event. */
  readonly key: string;
  readonly currency: string;
  readonly set: readonly LevelSetter[];
  readonly closeEventTypes: readonly string[];
  readonly where?: readonly EventFilter[];
}

/**
 * A measure of a plug-in kind a host registers ({@link MeasureKind}): the kind's name starts with
 * `plugin:`, and its options are plain JSON the plug-in validates.
 */
export interface PluginMeasure {
  readonly kind: `plugin:${string}`;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** What a KPI reads from the event stream: a built-in kind or a registered plug-in kind. */
export type Measure =
  | EventsMeasure
  | RatioMeasure
  | SpanMeasure
  | ConversionMeasure
  | LevelMeasure
  | SumRatioMeasure
  | TicketMeasure
  | TicketTimeMeasure
  | SpreadMeasure
  | PlannedActualMeasure
  | OpenCountMeasure
  | PresalesPerWinMeasure
  | PluginMeasure;

/**
 * Pre-sales minutes per win: Σ net minutes of time submitted on pre-sales projects (`delivery.project_created`
 * of kind `presales`; adjustments' deltas count in their period) ÷ `opportunity.won` in the period, as
 * whole minutes (rounded half-even). Time is scoped by its employee (team at the event's org version),
 * wins by the event's scopes. Numerator: minutes; denominator: wins.
 */
export interface PresalesPerWinMeasure {
  readonly kind: 'presales-per-win';
}

/** A number read from an event: the value at `path`, or `|a − b|` of two paths. */
export type NumberSource = { readonly path: string } | { readonly absDiff: readonly [string, string] };

/**
 * `ratio` of two sums over the same events: Σ numerator ÷ Σ denominator in basis points (or, with
 * `complement`, 10 000 − that, never below 0), each event contributing its own two numbers. E.g.
 * delivery efficiency (Σ sold ÷ Σ actual minutes of completed milestones) or estimate accuracy
 * (1 − Σ |actual − sold| ÷ Σ sold).
 */
export interface SumRatioMeasure extends EventSelector {
  readonly kind: 'sum-ratio';
  readonly numerator: NumberSource;
  readonly denominator: NumberSource;
  readonly complement?: boolean;
}

/** What a {@link TicketMeasure} measures of each ticket. */
export type TicketMetric =
  /** SLA tickets resolved without any breach ÷ SLA tickets resolved, in the resolution period. */
  | 'sla-compliance'
  /** SLA tickets with ≥ 1 breach ÷ SLA tickets, in the binding period (a cohort). */
  | 'sla-breach-rate'
  /** Mean minutes from creation to first resolution: business minutes of the bound SLA's calendar snapshot, wall minutes when not SLA-bound. */
  | 'resolution-time'
  /** Responses within the response target ÷ responses (elapsed business minutes of `sla.responded`). */
  | 'response-compliance'
  /** Resolutions within the resolution target ÷ resolutions (`sla.resolved`). */
  | 'resolution-compliance'
  /** Count of `sla.breached`. */
  | 'breach-count'
  /** Count of `sla.escalated` (one per stage). */
  | 'escalation-count'
  /** Tickets created and not resolved, closed or archived at the period's end (a running level). */
  | 'open-tickets'
  /** Mean resolution time of tickets without a linked article − with one, in minutes (positive: articles help). */
  | 'resolution-acceleration';

/**
 * A per-ticket measure over the support events (`ticket.*`, `sla.*`, `knowledge.linked`): each ticket's
 * customer, project, priority, assignee (team or employee), bound SLA calendar snapshot and tier are
 * tracked from its own events, and its results are scoped by those (team at the event's org version).
 */
export interface TicketMeasure {
  readonly kind: 'ticket';
  readonly metric: TicketMetric;
  /** Only tickets of this current priority (open tickets by priority). */
  readonly priority?: 'low' | 'medium' | 'high' | 'critical';
  /** Only tickets with this owner (lifecycle container). */
  readonly owner?: 'support' | 'project' | 'internal';
}

/**
 * `sum` of net minutes of submitted time on tickets (entry minutes + adjustment deltas), scoped by the
 * ticket (customer, project, ticket, assignee's team at the event's org version), optionally only
 * tickets of one owner (`support`: support hours by customer).
 */
export interface TicketTimeMeasure {
  readonly kind: 'ticket-time';
  readonly owner?: 'support' | 'project' | 'internal';
  /** Only billable time (the entry's classification as last set). */
  readonly billableOnly?: boolean;
}

/**
 * `ratio`: the coefficient of variation (σ ÷ μ, in basis points, population σ) of per-member sums in a
 * cell — e.g. team load distribution over the net minutes each member logged in the period.
 */
export interface SpreadMeasure extends EventSelector {
  readonly kind: 'spread';
  /** Path of the member id (e.g. `payload.employeeId`). */
  readonly member: string;
  /** Path of the amount (e.g. `payload.minutes`). */
  readonly value: string;
}

/**
 * `ratio` running to date per project: Σ net actual minutes (time submitted on the project plus
 * adjustment deltas) ÷ Σ planned minutes (task estimates, re-estimates as deltas), in basis points.
 */
export interface PlannedActualMeasure {
  readonly kind: 'planned-actual';
}

/**
 * `sum` running level: entities opened (`open`) and not yet closed (`close`) at each period's end, e.g.
 * open project variances. Scoped by the opening event.
 */
export interface OpenCountMeasure {
  readonly kind: 'open-count';
  readonly open: EntityStep;
  readonly close: readonly EntityStep[];
}

/**
 * How a value is judged: with `higher_is_better`, value ≥ `good` is good, ≥ `warning` a warning, else a
 * breach; with `lower_is_better` the comparisons are ≤.
 */
export interface Thresholds {
  readonly direction: 'higher_is_better' | 'lower_is_better';
  readonly good: number;
  readonly warning: number;
}

/**
 * One immutable version of a KPI definition, as plain data. Changing anything (target, thresholds,
 * filters) means a new `version`; results name the version they were computed with.
 */
export interface KpiDefinitionVersion {
  /** Stable key of the definition, e.g. `sales.win-rate`. */
  readonly key: string;
  readonly version: number;
  readonly name: string;
  readonly description: string;
  readonly unit: KpiUnit;
  readonly aggregation: Aggregation;
  readonly scope: ScopeType;
  readonly period: PeriodGrid;
  readonly measure: Measure;
  /** For `percentile`: which one, 1–99. */
  readonly percentile?: number;
  readonly target: number | null;
  readonly thresholds: Thresholds | null;
}

const name = z.string().trim().min(1).max(255);
const eventType = z.string().regex(EVENT_TYPE_PATTERN, 'must be a dotted event type');
const path = z
  .string()
  .regex(
    /^(type|streamType|(payload|context|actor)(\.[A-Za-z0-9_]+)+)$/,
    'must be type, streamType or start with payload., context. or actor.',
  );
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const filter = z
  .object({ path, equals: scalar.optional(), in: z.array(scalar).min(1).optional() })
  .refine((f) => (f.equals === undefined) !== (f.in === undefined), 'needs exactly one of equals or in');
const where = z.array(filter).optional();
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');
const step = z.object({ eventType, key: path, where });
const window = z.number().int().min(1).max(3660);

const numberSource = z.union([
  z.object({ path }).strict(),
  z.object({ absDiff: z.tuple([path, path]) }).strict(),
]);
const priority = z.enum(['low', 'medium', 'high', 'critical']);
const owner = z.enum(['support', 'project', 'internal']);

const measureSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sum-ratio'),
    eventTypes: z.array(eventType).min(1),
    where,
    numerator: numberSource,
    denominator: numberSource,
    complement: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('ticket'),
    metric: z.enum([
      'sla-compliance',
      'sla-breach-rate',
      'resolution-time',
      'response-compliance',
      'resolution-compliance',
      'breach-count',
      'escalation-count',
      'open-tickets',
      'resolution-acceleration',
    ]),
    priority: priority.optional(),
    owner: owner.optional(),
  }),
  z.object({ kind: z.literal('ticket-time'), owner: owner.optional(), billableOnly: z.boolean().optional() }),
  z.object({
    kind: z.literal('spread'),
    eventTypes: z.array(eventType).min(1),
    where,
    member: path,
    value: path,
  }),
  z.object({ kind: z.literal('planned-actual') }),
  z.object({ kind: z.literal('presales-per-win') }),
  z.object({ kind: z.literal('open-count'), open: step, close: z.array(step).min(1) }),
  z.object({
    kind: z.literal('events'),
    eventTypes: z.array(eventType).min(1),
    where,
    value: z.object({ path, currency: currency.optional() }).optional(),
  }),
  z.object({
    kind: z.literal('ratio'),
    eventTypes: z.array(eventType).min(1),
    where,
    numerator: z.object({ where: z.array(filter).min(1) }),
  }),
  z.object({
    kind: z.literal('span'),
    start: step,
    end: step,
    firstStartOnly: z.boolean(),
    windowDays: window,
  }),
  z.object({ kind: z.literal('conversion'), start: step, end: step, windowDays: window }),
  z.object({
    kind: z.literal('level'),
    key: path,
    currency,
    set: z.array(z.object({ eventType, amount: path.optional(), weightBp: path.optional() })).min(1),
    closeEventTypes: z.array(eventType),
    where,
  }),
]);

const pluginMeasureSchema = z
  .object({
    kind: z.string().regex(/^plugin:[a-z][a-z0-9-]*$/, 'must be plugin:<lower-case-name>'),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** Aggregations each built-in measure kind allows (a `ticket` measure: per metric). */
const ALLOWED: Readonly<Record<string, readonly Aggregation[]>> = {
  events: ['count', 'sum', 'avg', 'percentile'],
  ratio: ['ratio'],
  span: ['avg', 'percentile'],
  conversion: ['ratio'],
  level: ['sum'],
  'sum-ratio': ['ratio'],
  'ticket-time': ['sum'],
  spread: ['ratio'],
  'planned-actual': ['ratio'],
  'presales-per-win': ['avg'],
  'open-count': ['sum'],
  'ticket:sla-compliance': ['ratio'],
  'ticket:sla-breach-rate': ['ratio'],
  'ticket:resolution-time': ['avg'],
  'ticket:response-compliance': ['ratio'],
  'ticket:resolution-compliance': ['ratio'],
  'ticket:breach-count': ['count'],
  'ticket:escalation-count': ['count'],
  'ticket:open-tickets': ['sum'],
  'ticket:resolution-acceleration': ['avg'],
};

/** What {@link defineKpi} needs to know of a plug-in measure kind. */
export interface PluginKindInfo {
  /** `plugin:<name>`. */
  readonly kind: `plugin:${string}`;
  readonly aggregations: readonly Aggregation[];
  /** Problems with a measure's options (empty: valid). */
  readonly validate?: (
    options: Readonly<Record<string, unknown>>,
  ) => readonly { readonly field: string; readonly rule: string }[];
}

const definitionSchemaFor = (measure: z.ZodType, plugins: readonly PluginKindInfo[]) =>
  z
    .object({
      key: z
        .string()
        .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/, 'must be lower-case dotted words')
        .max(100),
      version: z.number().int().min(1).max(65535),
      name,
      description: z.string().max(2000),
      unit: z.enum(['count', 'minutes', 'money_minor', 'basis_points']),
      aggregation: z.enum(['count', 'sum', 'avg', 'ratio', 'percentile']),
      scope: z.enum(['employee', 'team', 'department', 'customer', 'project', 'ticket', 'sla_tier', 'org']),
      period: z.enum(['day', 'week', 'month', 'quarter']),
      measure,
      percentile: z.number().int().min(1).max(99).optional(),
      target: z.number().int().nullable(),
      thresholds: z
        .object({
          direction: z.enum(['higher_is_better', 'lower_is_better']),
          good: z.number().int(),
          warning: z.number().int(),
        })
        .refine(
          (t) => (t.direction === 'higher_is_better' ? t.good >= t.warning : t.good <= t.warning),
          'good must be at least as strict as warning',
        )
        .nullable(),
    })
    .superRefine((raw, ctx) => {
      const d = raw as unknown as KpiDefinitionVersion;
      const m = d.measure;
      const kind = m.kind === 'ticket' ? `ticket:${m.metric}` : m.kind;
      let allowed = ALLOWED[kind];
      if (m.kind.startsWith('plugin:')) {
        const plugin = plugins.find((p) => p.kind === m.kind);
        if (plugin === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['measure', 'kind'],
            message: `names no registered measure kind (${m.kind})`,
          });
          return;
        }
        allowed = plugin.aggregations;
        for (const issue of plugin.validate?.((m as PluginMeasure).options ?? {}) ?? []) {
          ctx.addIssue({ code: 'custom', path: ['measure', 'options', issue.field], message: issue.rule });
        }
      }
      if (allowed !== undefined && !allowed.includes(d.aggregation)) {
        ctx.addIssue({
          code: 'custom',
          path: ['aggregation'],
          message: `must be one of ${allowed.join(', ')} for measure kind ${kind}`,
        });
      }
      if (
        m.kind === 'events' &&
        ALLOWED['events']?.includes(d.aggregation) === true &&
        d.aggregation !== 'count' &&
        m.value === undefined
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['measure', 'value'],
          message: `is required for ${d.aggregation}`,
        });
      }
      if ((d.aggregation === 'percentile') !== (d.percentile !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['percentile'],
          message: 'is required for, and only for, percentile',
        });
      }
    });

const builtInSchema = definitionSchemaFor(measureSchema, []);

/**
 * Checks a KPI definition version and returns it frozen. A plug-in measure kind (`plugin:…`) must be
 * among `plugins` (what the engine is given as `measureKinds`).
 *
 * @throws ValidationError naming each broken field and rule.
 * @example
 * ```ts
 * const v = defineKpi({ key: 'sales.sold', version: 1, name: 'Sold value', description: '',
 *   unit: 'money_minor', aggregation: 'sum', scope: 'org', period: 'month',
 *   measure: { kind: 'events', eventTypes: ['quote.accepted'], value: { path: 'payload.totalSell', currency: 'EUR' } },
 *   target: null, thresholds: null });
 * ```
 */
export function defineKpi(
  definition: KpiDefinitionVersion,
  plugins: readonly PluginKindInfo[] = [],
): KpiDefinitionVersion {
  const isPlugin =
    definition !== null &&
    typeof definition === 'object' &&
    typeof (definition as { measure?: { kind?: unknown } }).measure?.kind === 'string' &&
    (definition as { measure: { kind: string } }).measure.kind.startsWith('plugin:');
  const schema = isPlugin ? definitionSchemaFor(pluginMeasureSchema, plugins) : builtInSchema;
  const parsed = schema.safeParse(definition);
  if (!parsed.success) {
    throw new ValidationError(
      'KPI definition',
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), rule: i.message })),
    );
  }
  return deepFreeze(JSON.parse(JSON.stringify(definition)) as KpiDefinitionVersion);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** `key@version`, the id of a definition version in results and checkpoints. @example `versionId(v)` → `'sales.win-rate@1'` */
export function versionId(definition: Pick<KpiDefinitionVersion, 'key' | 'version'>): string {
  return `${definition.key}@${definition.version}`;
}
