import { type Instant, instantSchema, parseInput } from '@pet-ops/core';
import { z } from 'zod';
import {
  checkedObject,
  dialectSchema,
  eventStoreSchema,
  kyselySchema,
  prefixSchema,
  runHooksShape,
} from '../options.js';
import {
  type EvaluateSlaClocksOptions,
  evaluateSlaClocks,
  type SlaEvaluationReport,
} from './sla-evaluator.js';

/** Progress of {@link evaluateDue}, reported after every batch. */
export interface SlaDueProgress {
  /** Clocks due at `now` when the run started (a later batch may find more: clocks bound meanwhile). */
  readonly due: number;
  /** Clocks evaluated so far (each once per batch that selected it). */
  readonly evaluated: number;
  /** Events fired so far (`sla.warning`, `sla.breached`, escalation stages, …). */
  readonly fired: number;
  /** Clock evaluations that failed so far (the clock stays due for the next run). */
  readonly failed: number;
  readonly batches: number;
}

/** Options of {@link evaluateDue}: those of `evaluateSlaClocks` with `limit` read as the batch size. */
export interface EvaluateDueOptions extends Omit<EvaluateSlaClocksOptions, 'limit'> {
  /** Clocks per batch (1 … 10 000, default 500). */
  readonly batchSize?: number;
  /** Stop after this many batches (1 … 1 000 000, default 10 000): a bound for a host that must yield. */
  readonly maxBatches?: number;
  /** How many failures the report lists (0 … 10 000, default 100); all are counted. */
  readonly maxReportedFailures?: number;
  /** Called after every batch. */
  readonly onProgress?: (progress: SlaDueProgress) => void;
  /** Stops between batches when aborted (what was evaluated stays; the rest is due for the next run). */
  readonly signal?: AbortSignal;
}

/** What {@link evaluateDue} did. */
export interface SlaDueReport {
  readonly now: Instant;
  /** Clocks due when the run started. */
  readonly due: number;
  readonly batches: number;
  readonly evaluated: number;
  /** Events fired, by type (e.g. `{ 'sla.warning': 3, 'sla.breached': 1 }`). */
  readonly fired: Readonly<Record<string, number>>;
  /** Failed evaluations, counted. */
  readonly failedCount: number;
  /** The first `maxReportedFailures` failures. */
  readonly failed: SlaEvaluationReport['failed'];
  /** True when every clock due at `now` was evaluated or failed (not stopped by `maxBatches` or `signal`). */
  readonly complete: boolean;
}

const dueSchema = z.object({
  db: kyselySchema,
  dialect: dialectSchema,
  prefix: prefixSchema,
  events: eventStoreSchema,
  now: instantSchema,
  batchSize: z.number().int('must be an integer').min(1).max(10_000),
  maxBatches: z.number().int('must be an integer').min(1).max(1_000_000),
  maxReportedFailures: z.number().int('must be an integer').min(0).max(10_000),
  onProgress: z.custom<unknown>((f) => typeof f === 'function', 'must be a function').optional(),
  signal: z.instanceof(AbortSignal, { message: 'must be an AbortSignal' }).optional(),
  ...runHooksShape,
});

/**
 * The scheduler's entry point: evaluates **every** SLA clock due at `now` (active, `next_check_at <= now`),
 * batch after batch of `evaluateSlaClocks`, until none is left — each clock in its own unit of work, so
 * what fires is exactly once however many hosts run it at the same moment (a clock another host
 * evaluated first fires nothing here). A clock whose evaluation fails stays due and is reported; the
 * run stops when a batch evaluates nothing new (only failures left), after `maxBatches`, or when
 * `signal` aborts. Safe to run from cron on several hosts at once.
 *
 * @example
 * ```ts
 * const report = await evaluateDue({ db, dialect, prefix: 'pet_', events, now: systemClock.now() });
 * console.log(report.evaluated, report.fired); // 1200 { 'sla.warning': 31, 'sla.breached': 2 }
 * ```
 */
export async function evaluateDue(options: EvaluateDueOptions): Promise<SlaDueReport> {
  const v = parseInput(
    dueSchema,
    {
      ...checkedObject(options, 'evaluateDue'),
      batchSize: options.batchSize ?? 500,
      maxBatches: options.maxBatches ?? 10_000,
      maxReportedFailures: options.maxReportedFailures ?? 100,
    },
    'evaluateDue',
  ) as { prefix: string; now: Instant; batchSize: number; maxBatches: number; maxReportedFailures: number };
  const { db, dialect } = options;
  const codecs = dialect.codecs;
  const dueRow = await db
    .selectFrom(`${v.prefix}sla_assignments`)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('is_active', '=', codecs.encodeBool(true))
    .where('next_check_at', '<=', codecs.encodeInstant(v.now))
    .executeTakeFirst()
    .catch((e: unknown) => {
      throw dialect.classifyError(e, 'evaluateDue');
    });
  const due = Number((dueRow as { n?: unknown } | undefined)?.n ?? 0);
  const fired: Record<string, number> = {};
  const failed: SlaEvaluationReport['failed'][number][] = [];
  let failedCount = 0;
  let evaluated = 0;
  let firedCount = 0;
  let batches = 0;
  let complete = false;
  const failing = new Set<string>();
  while (batches < v.maxBatches && options.signal?.aborted !== true) {
    // Clocks that keep failing stay first in line: ask for enough to get past them.
    const r = await evaluateSlaClocks({
      ...options,
      now: v.now,
      limit: Math.min(10_000, v.batchSize + failing.size),
    });
    batches++;
    let fresh = 0;
    for (const c of r.evaluated) {
      evaluated++;
      fresh++;
      for (const type of c.fired) {
        fired[type] = (fired[type] ?? 0) + 1;
        firedCount++;
      }
    }
    for (const f of r.failed) {
      if (failing.has(f.assignmentId)) continue;
      failing.add(f.assignmentId);
      fresh++;
      failedCount++;
      if (failed.length < v.maxReportedFailures) failed.push(f);
    }
    options.onProgress?.({ due, evaluated, fired: firedCount, failed: failedCount, batches });
    if (r.selected < Math.min(10_000, v.batchSize + failing.size) || fresh === 0) {
      complete = true;
      break;
    }
  }
  return { now: v.now, due, batches, evaluated, fired, failedCount, failed, complete };
}
