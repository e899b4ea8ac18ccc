import { type KpiDefinitionVersion, versionId } from './definition.js';
import { formatDuration } from './duration.js';
import { type Contribution, type KpiEngine, type KpiEvent, type KpiResult, parseResultId } from './engine.js';

/** One event behind a result. Listed in the order found: by position, except that a span's start comes right before its end. */
export interface ContributingEvent {
  readonly position: bigint;
  readonly eventId: string;
  /** What the event did: `numerator`/`denominator` of a ratio, `start`/`end` of a span, `change` of a level, `event`, or `context` (read, adds nothing). */
  readonly role: Contribution['role'];
  /** Its share of the result's numerator (measure kinds that report shares: catalogue v2's). */
  readonly numerator?: number;
  /** Its share of the result's denominator. */
  readonly denominator?: number;
  /** The arithmetic behind its share (e.g. an SLA span's business minutes). */
  readonly detail?: string;
  /** For a level, the period the change fell in (earlier periods carry into this one). */
  readonly resultId: string;
}

/** Why a result has its value and classification, and the events behind it. */
export interface Explanation {
  readonly result: KpiResult;
  readonly definition: KpiDefinitionVersion;
  /** The formula with the result's own numbers, then the classification reason. */
  readonly why: string;
  /** Streams the contributing events by re-reading the event stream up to the result's watermark. */
  readonly contributing: AsyncIterable<ContributingEvent>;
}

/** A value in its unit, durations also as people read them (`7 d 0 h`). */
function withUnit(value: number, unit: KpiResult['unit']): string {
  return unit === 'minutes' ? `${value} minutes (${formatDuration(value)})` : `${value} ${unit}`;
}

function formula(r: KpiResult, d: KpiDefinitionVersion, running: boolean): string {
  const m = d.measure;
  const to = running ? ` (to date at ${r.periodEnd})` : '';
  switch (m.kind) {
    case 'ratio':
    case 'conversion':
      return `${r.numerator} ÷ ${r.denominator} = ${r.value} bp`;
    case 'level':
      return `running level at ${r.periodEnd}: ${withUnit(r.value, r.unit)}`;
    case 'sum-ratio':
      return m.complement === true
        ? `1 − ${r.numerator} ÷ ${r.denominator} = ${r.value} bp (never below 0)`
        : `${r.numerator} ÷ ${r.denominator} = ${r.value} bp`;
    case 'spread':
      return `coefficient of variation of ${r.denominator} members' sums (Σ ${r.numerator}) = ${r.value} bp`;
    case 'ticket':
      if (m.metric === 'resolution-acceleration')
        return `mean without an article ${withUnit(r.numerator, r.unit)} − mean with one ${withUnit(r.denominator ?? 0, r.unit)} = ${withUnit(r.value, r.unit)}`;
      break;
    default:
      break;
  }
  switch (d.aggregation) {
    case 'ratio':
      return `${r.numerator} ÷ ${r.denominator} = ${r.value} bp${to}`;
    case 'avg':
      return `${r.numerator} ÷ ${r.denominator} = ${withUnit(r.value, r.unit)} (rounded half-even)`;
    case 'percentile':
      return `p${d.percentile} of ${r.denominator} values = ${withUnit(r.value, r.unit)}`;
    default:
      return `${d.aggregation} = ${withUnit(r.value, r.unit)}${to}`;
  }
}

/**
 * Explains a result: its formula with its numbers, why it is classified as it is, and — lazily — its
 * contributing events, found by folding `events` (the stream from the start, in position order; a
 * {@link KpiEvent} is all the fold reads, a `StoredEvent` is one) with the same definition up to the
 * result's watermark. Memory stays bounded like the fold itself. `events` is given the event types that
 * definition reads: a reader may send other events without context or payload, but must send them.
 *
 * @example
 * ```ts
 * const x = explain(engine, result, () => store.readAll({ after: 0n }));
 * console.log(x.why); // '2 ÷ 5 = 4000 bp; 4000 basis_points ≥ good threshold 4000 (…)'
 * for await (const e of x.contributing) console.log(e.position, e.eventId, e.role);
 * ```
 */
export function explain(
  engine: KpiEngine,
  result: KpiResult,
  events: (reads: readonly string[]) => AsyncIterable<KpiEvent> | Iterable<KpiEvent>,
): Explanation {
  const parts = parseResultId(result.id);
  const definition = engine.definitions.find((d) => versionId(d) === parts.versionId);
  if (definition === undefined) throw new Error(`no definition ${parts.versionId} in this engine`);
  const level = engine.carriesForward(parts.versionId);
  const prefix = `${parts.versionId}/${parts.scopeType}:${parts.scopeId}/`;
  const matches = (id: string): boolean =>
    level ? id.startsWith(prefix) && id.slice(prefix.length) <= parts.periodStart : id === result.id;
  async function* contributing(): AsyncGenerator<ContributingEvent> {
    // Only the result's own definition: the other measures' work changes nothing it reports.
    const one = engine.subset([parts.versionId]);
    const state = one.initialState();
    const found: ContributingEvent[] = [];
    const observe = (c: Contribution): void => {
      if (matches(c.resultId)) found.push(c);
    };
    for await (const e of events(one.eventTypes)) {
      if (e.position > result.watermark) break;
      one.apply(state, e, observe);
      // A span reports its start when its end arrives (no event list is kept while folding).
      if (found.length > 0) yield* found.splice(0);
    }
  }
  return {
    result,
    definition,
    why: `${definition.name} (version ${definition.version}): ${formula(result, definition, level)}; ${result.classificationReason}`,
    contributing: { [Symbol.asyncIterator]: contributing },
  };
}
