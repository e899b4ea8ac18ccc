import {
  type Actor,
  type Clock,
  type CommandOutcome,
  type CommandRuntime,
  createCommandHandler,
  type IdGenerator,
  type Instant,
  instantFromEpochMs,
  instantSchema,
  isPetError,
  parseInput,
  type Result,
  type RetryPolicy,
  Support,
} from '@pet-ops/core';
import { z } from 'zod';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import type { SqlEventStore } from '../event-store/event-store.js';
import {
  checkedObject,
  dialectSchema,
  eventStoreSchema,
  kyselySchema,
  prefixSchema,
  runHooksShape,
} from '../options.js';
import { defaultRetryPolicy } from '../retry.js';
import type { AnyStateTable } from '../state-table.js';
import { uuidV7 } from '../system.js';
import { SUPPORT_TABLES } from '../tables/support.js';
import { createUnitOfWork } from '../unit-of-work.js';
import { supportBindings } from './support.js';

/** Options of {@link evaluateSlaClocks}. */
export interface EvaluateSlaClocksOptions {
  readonly db: AnyDatabase;
  readonly dialect: PetDialect;
  /** Table prefix the schema was migrated with. */
  readonly prefix: string;
  /** The event store of `db` (the units of work run in its transactions). */
  readonly events: SqlEventStore;
  /** The evaluation instant: clocks with `next_check_at <= now` are evaluated at it. */
  readonly now: Instant;
  /** At most this many clocks in one run, earliest `next_check_at` first (default 100, at most 10 000). */
  readonly limit?: number;
  /** Event ids (default: UUIDv7 from `node:crypto`). */
  readonly ids?: IdGenerator;
  /** The events' `occurredAt` (default: the system clock). */
  readonly clock?: Clock;
  /** Retries of a clock whose row another writer changed first (default {@link defaultRetryPolicy}). */
  readonly retry?: RetryPolicy;
  /** Who the events are attributed to (default the system). */
  readonly actor?: Actor;
}

/** What one clock's evaluation did. */
export interface SlaClockOutcome {
  readonly assignmentId: Support.SlaAssignmentId;
  /** The event types fired, in order (`[]` when another evaluator fired them first). */
  readonly fired: readonly string[];
}

/** What a run of {@link evaluateSlaClocks} did. */
export interface SlaEvaluationReport {
  /** Clocks selected as due. */
  readonly selected: number;
  readonly evaluated: readonly SlaClockOutcome[];
  /** Clocks whose evaluation failed (a rejection or an error that survived the retries); they stay due. */
  readonly failed: readonly {
    readonly assignmentId: Support.SlaAssignmentId;
    readonly code: string;
    readonly message: string;
  }[];
}

const optionsSchema = z.object({
  db: kyselySchema,
  dialect: dialectSchema,
  prefix: prefixSchema,
  events: eventStoreSchema,
  now: instantSchema,
  limit: z.number().int('must be an integer').min(1).max(10_000),
  ...runHooksShape,
});

const SYSTEM: Actor = { type: 'system', id: null };

/**
 * Evaluates one SLA clock at `now` through the command handler (`{ type: 'evaluate', now }` on
 * `supportBindings.slaAssignment`): one unit of work, retried under the runtime's policy. Two evaluators
 * at the same moment fire each event once: where the unit of work loads rows `FOR UPDATE` the second
 * waits for the first's commit and reads the clock with the events fired; otherwise both read version v,
 * one saves, and the other's save finds the row moved (`CONCURRENCY_CONFLICT`), retries, reloads and
 * fires nothing. The unique key of `sla_events` refuses a second warning, breach or stage even if a
 * writer bypassed both.
 *
 * @example
 * ```ts
 * const r = await evaluateSlaAssignment(runtime, assignmentId, now);
 * if (r.ok) console.log(r.value.events.map((e) => e.type)); // ['sla.warning'] — or [] the second time
 * ```
 */
export function evaluateSlaAssignment(
  runtime: CommandRuntime,
  assignmentId: Support.SlaAssignmentId,
  now: Instant,
  actor: Actor = SYSTEM,
): Promise<Result<CommandOutcome<Support.SlaAssignmentState>, Support.SlaAssignmentRejection>> {
  const handle = createCommandHandler(runtime, supportBindings.slaAssignment);
  return handle({ streamId: assignmentId, command: { type: 'evaluate', now }, metadata: { actor } });
}

/**
 * The SLA scheduler's run: selects the active clocks with `next_check_at <= now` (earliest first, at most
 * `limit`) and evaluates each in its own unit of work with the retry policy
 * ({@link evaluateSlaAssignment}), then stamps its `last_evaluated_at` (bookkeeping outside the fold: it
 * never moves the row's version). Resolved, paused-without-crossing and unbound clocks have no
 * `next_check_at` and are never selected (scenario 42); running it twice, or on two hosts at once, fires
 * every warning, breach and escalation stage once (scenarios 38, 39).
 *
 * @example
 * ```ts
 * const report = await evaluateSlaClocks({ db, dialect, prefix: 'wp_pet_', events, now: systemClock.now() });
 * console.log(report.evaluated.flatMap((c) => c.fired)); // ['sla.warning', 'sla.breached', …]
 * ```
 */
export async function evaluateSlaClocks(options: EvaluateSlaClocksOptions): Promise<SlaEvaluationReport> {
  const v = parseInput(
    optionsSchema,
    { ...checkedObject(options, 'evaluateSlaClocks'), limit: options.limit ?? 100 },
    'evaluateSlaClocks',
  ) as { now: Instant; limit: number };
  const { db, dialect, prefix, events } = options;
  const codecs = dialect.codecs;
  const table = `${prefix}sla_assignments`;
  const rows = (await db
    .selectFrom(table)
    .select('id')
    .where('is_active', '=', codecs.encodeBool(true))
    .where('next_check_at', '<=', codecs.encodeInstant(v.now))
    .orderBy('next_check_at')
    .limit(v.limit)
    .execute()
    .catch((e: unknown) => {
      throw dialect.classifyError(e, 'evaluateSlaClocks');
    })) as { id: unknown }[];
  const runtime: CommandRuntime = {
    unitOfWork: createUnitOfWork({
      dialect,
      prefix,
      events,
      tables: SUPPORT_TABLES as readonly AnyStateTable[],
    }),
    registry: Support.supportEventRegistry,
    clock: options.clock ?? { now: () => instantFromEpochMs(Date.now()) },
    ids: options.ids ?? { next: uuidV7 },
    retry: options.retry ?? defaultRetryPolicy,
  };
  const evaluated: SlaClockOutcome[] = [];
  const failed: { assignmentId: Support.SlaAssignmentId; code: string; message: string }[] = [];
  for (const row of rows) {
    const assignmentId = codecs.decodeId(row.id) as Support.SlaAssignmentId;
    try {
      const r = await evaluateSlaAssignment(runtime, assignmentId, v.now, options.actor ?? SYSTEM);
      if (!r.ok) {
        failed.push({ assignmentId, code: r.error.code, message: r.error.message });
        continue;
      }
      evaluated.push({ assignmentId, fired: r.value.events.map((e) => e.type) });
      // In a transaction of the store, so it queues behind the dialect's writers like every other write.
      await events.transaction((trx) =>
        trx
          .updateTable(table)
          .set({ last_evaluated_at: codecs.encodeInstant(v.now) })
          .where('id', '=', row.id)
          .execute(),
      );
    } catch (e) {
      const typed = isPetError(e) ? e : dialect.classifyError(e, 'evaluateSlaClocks');
      failed.push({ assignmentId, code: typed.code, message: typed.message });
    }
  }
  return { selected: rows.length, evaluated, failed };
}
