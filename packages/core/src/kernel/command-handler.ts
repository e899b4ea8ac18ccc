import { z } from 'zod';
import type { Decider } from './decider.js';
import { isPetError, PetError, ValidationError } from './errors.js';
import type { Actor, AppendResult, EventContext, EventDraft, StoredEvent } from './event.js';
import type { EventRegistry } from './event-registry.js';
import { type Uuid, uuidSchema } from './ids.js';
import type {
  AggregateDefinition,
  Clock,
  IdGenerator,
  Loaded,
  UnitOfWork,
  UnitOfWorkScope,
} from './ports.js';
import { err, ok, type Rejection, type Result } from './result.js';
import { parseInput } from './validation.js';

/**
 * An event as a decider emits it: plain `{ type, payload }` (plus optional context references). The
 * command handler wraps it into an {@link EventDraft} (id, time, schema version, actor, correlation…).
 */
export interface DecidedEvent<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  readonly payload: Payload;
  readonly context?: EventContext;
}

/** Who sends a command and how it relates to other work; copied onto every event it produces. */
export interface CommandMetadata {
  readonly actor: Actor;
  readonly correlationId?: Uuid | null;
  readonly causationId?: Uuid | null;
  /**
   * Makes the command safe to resend: the first event gets this key, event i ≥ 1 gets `${key}#${i}`;
   * a command whose key is already stored is not decided again (the stored events are returned).
   * At most 180 characters (the suffix must fit the 191-character column).
   */
  readonly idempotencyKey?: string;
  /** Context references for every event (an event's own `context` wins per key). */
  readonly context?: EventContext;
}

/** When and how a unit of work is retried. Only `PetError`s with `retryable: true` are retried. */
export interface RetryPolicy {
  /** Attempts in all (first try included). Default 3. */
  readonly maxAttempts?: number;
  /**
   * Waits before attempt `attempt` (2, 3, …). Default: no wait, since core sets no timers; hosts pass
   * {@link jitteredBackoff} (or `defaultRetryPolicy` of `@pet-ops/sql`, which is wired to a real timer).
   */
  readonly backoff?: (attempt: number, error: PetError) => Promise<void>;
}

/** The ports a command needs. */
export interface CommandRuntime {
  readonly unitOfWork: UnitOfWork;
  readonly registry: EventRegistry;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly retry?: RetryPolicy;
}

/**
 * An aggregate kind as the command handler drives it: how it is stored and how it decides. Loading an
 * unknown id yields `definition.initialState()`, so it must equal `decider.initialState()`.
 */
export interface AggregateBinding<
  S,
  C,
  E extends DecidedEvent,
  F = undefined,
  R extends Rejection = Rejection,
> {
  readonly definition: AggregateDefinition<S>;
  readonly decider: Decider<S, C, E, F, R>;
  /** When given, commands are validated with it before anything runs (`ValidationError` naming fields). */
  readonly commandSchema?: z.ZodType<C>;
}

/** Loads what a decision needs from other aggregates, inside the unit of work (re-run on every retry). */
export type FactsLoader<S, F> = (scope: UnitOfWorkScope, loaded: Loaded<S>) => Promise<F>;

/** Facts for a decision: given directly, or loaded inside the unit of work. Optional when `F` allows undefined. */
export type FactsInput<S, F> = undefined extends F
  ? { readonly facts?: F; readonly loadFacts?: FactsLoader<S, F> }
  :
      | { readonly facts: F; readonly loadFacts?: undefined }
      | { readonly facts?: undefined; readonly loadFacts: FactsLoader<S, F> };

/** One command for one aggregate instance. */
export type CommandRequest<S, C, F> = {
  readonly streamId: Uuid;
  readonly command: C;
  /**
   * True when `streamId` was made for this very work (generated, or derived from what the workflow
   * creates), so the stream cannot exist unless this work already ran: it is not loaded — the decision
   * sees the initial state at version 0, one round trip fewer — and a stream that exists after all fails
   * the save with a retryable `CONCURRENCY_CONFLICT` (an idempotency key then answers the rerun). Leave it
   * out for ids a caller supplies.
   */
  readonly isNew?: boolean;
} & FactsInput<S, F>;

/** What a handled command did. */
export interface CommandOutcome<S> {
  /** The events written (or, when `duplicate`, the events stored by the first run with this key). */
  readonly events: readonly EventDraft[];
  /** Their global positions, in order. */
  readonly positions: readonly bigint[];
  /** The aggregate's state after the command (when `duplicate`: its current state). */
  readonly state: S;
  /** The aggregate's stream version that goes with `state`. */
  readonly version: number;
  /** True when the idempotency key was already stored: nothing was decided or written. */
  readonly duplicate: boolean;
}

/** Handles commands of one aggregate kind. */
export type CommandHandler<S, C, F, R extends Rejection = Rejection> = (
  request: CommandRequest<S, C, F> & { readonly metadata: CommandMetadata },
) => Promise<Result<CommandOutcome<S>, R>>;

const commandMetadataSchema = z.object({
  actor: z.object({
    type: z.enum(['employee', 'system', 'integration']),
    id: z.string().min(1).max(64).nullable(),
  }),
  correlationId: uuidSchema.nullable().optional(),
  causationId: uuidSchema.nullable().optional(),
  idempotencyKey: z
    .string()
    .min(1)
    .max(180)
    .regex(/^\S(?:[\s\S]*\S)?$/, 'must not start or end with whitespace')
    .optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});

function parseMetadata(metadata: CommandMetadata): CommandMetadata {
  return parseInput(commandMetadataSchema, metadata, 'command metadata') as CommandMetadata;
}

/**
 * Runs `attempt` until it succeeds or fails with a non-retryable error, at most `maxAttempts` times.
 *
 * @example
 * ```ts
 * const value = await withRetry({ maxAttempts: 3 }, () => unitOfWork.run(work));
 * ```
 */
export async function withRetry<T>(policy: RetryPolicy | undefined, attempt: () => Promise<T>): Promise<T> {
  if (typeof attempt !== 'function') {
    throw new ValidationError('retry', [{ field: 'attempt', rule: 'must be a function' }]);
  }
  const maxAttempts = policy?.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new ValidationError('retry policy', [{ field: 'maxAttempts', rule: 'must be an integer ≥ 1' }]);
  }
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isPetError(e) || !e.retryable || n >= maxAttempts) throw e;
      await policy?.backoff?.(n + 1, e);
    }
  }
}

/** Settings of {@link jitteredBackoff}. */
export interface JitteredBackoffOptions {
  /** The first retry waits up to this long (default 10 ms); each later one doubles the range. */
  readonly baseMs?: number;
  /** The range never exceeds this (default 1000 ms). */
  readonly capMs?: number;
  /** A uniform random number in [0, 1) (a port: core reads no random source). */
  readonly random: () => number;
  /** Waits `ms` milliseconds (a port: core sets no timers). */
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * A "full jitter" exponential backoff for {@link RetryPolicy.backoff}: before attempt `n` it waits a
 * uniformly random time in [0, min(cap, base · 2^(n−2))), so clients that collided spread out instead of
 * colliding again in lock-step. Randomness and the timer come in as ports; `@pet-ops/sql` ships
 * `defaultRetryPolicy` wired to `Math.random` and `setTimeout`.
 *
 * @example
 * ```ts
 * const retry = { maxAttempts: 5, backoff: jitteredBackoff({ random: Math.random, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }) };
 * ```
 */
export function jitteredBackoff(options: JitteredBackoffOptions): NonNullable<RetryPolicy['backoff']> {
  if (typeof options?.random !== 'function' || typeof options.sleep !== 'function') {
    throw new ValidationError('jittered backoff', [
      { field: 'random', rule: 'random and sleep must be functions' },
    ]);
  }
  const base = options.baseMs ?? 10;
  const cap = options.capMs ?? 1000;
  if (!(base > 0) || !(cap >= base)) {
    throw new ValidationError('jittered backoff', [{ field: 'baseMs', rule: 'must be > 0 and ≤ capMs' }]);
  }
  return (attempt) => {
    const range = Math.min(cap, base * 2 ** Math.max(0, attempt - 2));
    return options.sleep(Math.floor(options.random() * range));
  };
}

/** Numbers the idempotency keys of every event written under one command or workflow. */
interface KeyCounter {
  readonly key: string | undefined;
  next: number;
}

function nextKey(counter: KeyCounter): string | undefined {
  if (counter.key === undefined) return undefined;
  const i = counter.next++;
  return i === 0 ? counter.key : `${counter.key}#${i}`;
}

function toDrafts(
  runtime: CommandRuntime,
  streamType: string,
  metadata: CommandMetadata,
  events: readonly DecidedEvent[],
  keys: KeyCounter,
): EventDraft[] {
  const occurredAt = runtime.clock.now();
  return events.map((e) => {
    const key = nextKey(keys);
    const draft: EventDraft = {
      eventId: runtime.ids.next(),
      type: e.type,
      schemaVersion: runtime.registry.currentVersion(e.type),
      streamType,
      occurredAt,
      actor: metadata.actor,
      context: { ...(metadata.context ?? {}), ...(e.context ?? {}) },
      correlationId: metadata.correlationId ?? null,
      causationId: metadata.causationId ?? null,
      ...(key === undefined ? {} : { idempotencyKey: key }),
      payload: e.payload,
    };
    return runtime.registry.validateDraft(draft);
  });
}

/** What `load` gives a stream that does not exist: the stand-in of a request marked `isNew`. */
function unloaded<S>(binding: { readonly definition: { readonly initialState: () => S } }): Loaded<S> {
  return { state: binding.definition.initialState(), version: 0 };
}

/** load → decide → evolve → save for one aggregate inside an open unit of work. */
async function decideAndSave<S, C, E extends DecidedEvent, F, R extends Rejection>(
  runtime: CommandRuntime,
  scope: UnitOfWorkScope,
  binding: AggregateBinding<S, C, E, F, R>,
  request: CommandRequest<S, C, F>,
  metadata: CommandMetadata,
  keys: KeyCounter,
): Promise<Result<CommandOutcome<S>, R>> {
  const store = scope.aggregate(binding.definition);
  const loaded = request.isNew === true ? unloaded(binding) : await store.load(request.streamId);
  const facts =
    request.loadFacts === undefined ? (request.facts as F) : await request.loadFacts(scope, loaded);
  const decision = binding.decider.decide(request.command, loaded.state, facts);
  if (!decision.ok) return decision;
  if (decision.value.length === 0) {
    return ok({ events: [], positions: [], state: loaded.state, version: loaded.version, duplicate: false });
  }
  const drafts = toDrafts(runtime, binding.definition.streamType, metadata, decision.value, keys);
  const state = decision.value.reduce((s, e) => binding.decider.evolve(s, e), loaded.state);
  const saved = await store.save(request.streamId, loaded.version, state, drafts);
  if (saved.duplicate) {
    // The same idempotency keys were stored in the meantime: report what is stored, not what we decided.
    const positions = new Set(saved.positions);
    const stored = keys.key === undefined ? [] : await scope.findByIdempotencyKey(keys.key);
    const current = await store.load(request.streamId);
    return ok({
      events: stored.filter((e) => positions.has(e.position)),
      positions: saved.positions,
      state: current.state,
      version: current.version,
      duplicate: true,
    });
  }
  return ok({
    events: drafts,
    positions: saved.positions,
    state,
    version: saved.nextExpectedVersion,
    duplicate: false,
  });
}

/**
 * load → decide → evolve for several aggregates of one kind, then one save of them all — the batch form
 * of {@link decideAndSave} ({@link WorkflowScope.executeAll}). Stores without `loadMany`/`saveMany` are
 * loaded and saved one by one; a replayed save (its idempotency keys already stored) is reported as
 * `decideAndSave` reports it.
 */
async function decideAndSaveAll<S, C, E extends DecidedEvent, F, R extends Rejection>(
  runtime: CommandRuntime,
  scope: UnitOfWorkScope,
  binding: AggregateBinding<S, C, E, F, R>,
  requests: readonly CommandRequest<S, C, F>[],
  metadata: CommandMetadata,
  keys: KeyCounter,
): Promise<Result<readonly CommandOutcome<S>[], R>> {
  const ids = requests.map((r) => r.streamId);
  const repeated = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (repeated >= 0)
    throw new ValidationError('executeAll', [
      { field: `requests.${repeated}.streamId`, rule: 'must be distinct within one batch' },
    ]);
  const store = scope.aggregate(binding.definition);
  // Streams made for this work are not read (`isNew`); the others in one loadMany where the store has one.
  const toLoad = requests.filter((r) => r.isNew !== true).map((r) => r.streamId);
  const read: Loaded<S>[] = [];
  if (store.loadMany !== undefined && toLoad.length > 1) read.push(...(await store.loadMany(toLoad)));
  else for (const id of toLoad) read.push(await store.load(id));
  let next = 0;
  const loaded = requests.map((r) => (r.isNew === true ? unloaded(binding) : (read[next++] as Loaded<S>)));
  const decided: { state: S; version: number; drafts: EventDraft[] }[] = [];
  for (const [i, request] of requests.entries()) {
    const before = loaded[i] as Loaded<S>;
    const facts =
      request.loadFacts === undefined ? (request.facts as F) : await request.loadFacts(scope, before);
    const decision = binding.decider.decide(request.command, before.state, facts);
    if (!decision.ok) return decision;
    const drafts =
      decision.value.length === 0
        ? []
        : toDrafts(runtime, binding.definition.streamType, metadata, decision.value, keys);
    const state = decision.value.reduce((s, e) => binding.decider.evolve(s, e), before.state);
    decided.push({ state, version: before.version, drafts });
  }
  const saving = decided.flatMap((d, i) =>
    d.drafts.length === 0
      ? []
      : [{ id: ids[i] as Uuid, expectedVersion: d.version, state: d.state, events: d.drafts }],
  );
  const saved: AppendResult[] = [];
  if (store.saveMany !== undefined && saving.length > 1) saved.push(...(await store.saveMany(saving)));
  else for (const s of saving) saved.push(await store.save(s.id, s.expectedVersion, s.state, s.events));
  const outcomes: CommandOutcome<S>[] = [];
  let k = 0;
  for (const [i, d] of decided.entries()) {
    if (d.drafts.length === 0) {
      outcomes.push({ events: [], positions: [], state: d.state, version: d.version, duplicate: false });
      continue;
    }
    const result = saved[k++] as AppendResult;
    if (result.duplicate) {
      const positions = new Set(result.positions);
      const stored = keys.key === undefined ? [] : await scope.findByIdempotencyKey(keys.key);
      const current = await store.load(ids[i] as Uuid);
      outcomes.push({
        events: stored.filter((e) => positions.has(e.position)),
        positions: result.positions,
        state: current.state,
        version: current.version,
        duplicate: true,
      });
      continue;
    }
    outcomes.push({
      events: d.drafts,
      positions: result.positions,
      state: d.state,
      version: result.nextExpectedVersion,
      duplicate: false,
    });
  }
  return ok(outcomes);
}

function checkCommand<C>(schema: z.ZodType<C> | undefined, command: C): C {
  return schema === undefined ? command : parseInput(schema, command, 'command');
}

/**
 * Builds the handler of one aggregate kind: **load** (row-locked) → **decide** → **evolve** → **save**, in
 * one unit of work, retried (default 3 attempts) when a retryable `PetError` is thrown
 * (`CONCURRENCY_CONFLICT`, `DEADLOCK`, `LOCK_TIMEOUT`).
 *
 * - Events get `eventId` from `ids`, `occurredAt` from `clock`, `schemaVersion` from the registry (whose
 *   schemas validate every payload), `streamType` from the definition and actor/correlation/causation
 *   from the metadata.
 * - With `metadata.idempotencyKey`, a command whose key is already stored is not decided again: the
 *   stored events come back with `duplicate: true` (a key stored in another stream throws
 *   `IDEMPOTENCY_MISMATCH`).
 * - A rejection returns `{ ok: false, error }` and writes nothing; a decision with no events writes nothing.
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, { definition: quoteDefinition, decider: quoteDecider });
 * const r = await handle({ streamId: quoteId, command: { type: 'send' }, metadata: { actor } });
 * if (!r.ok) console.log(r.error.code);
 * ```
 */
export function createCommandHandler<
  S,
  C,
  E extends DecidedEvent,
  F = undefined,
  R extends Rejection = Rejection,
>(runtime: CommandRuntime, binding: AggregateBinding<S, C, E, F, R>): CommandHandler<S, C, F, R> {
  return async (request) => {
    const streamId = parseInput(uuidSchema, request.streamId, 'stream id');
    const metadata = parseMetadata(request.metadata);
    const command = checkCommand(binding.commandSchema, request.command);
    const req = { ...request, streamId, command } as CommandRequest<S, C, F>;
    return withRetry(runtime.retry, () =>
      runtime.unitOfWork.run(
        async (scope) => {
          const key = metadata.idempotencyKey;
          if (key !== undefined) {
            const stored = await scope.findByIdempotencyKey(key);
            if (stored.length > 0) {
              assertSameStream(stored, streamId, key);
              const current = await scope.aggregate(binding.definition).load(streamId);
              return ok({
                events: stored,
                positions: stored.map((e) => e.position),
                state: current.state,
                version: current.version,
                duplicate: true,
              });
            }
          }
          return decideAndSave(runtime, scope, binding, req, metadata, { key, next: 0 });
        },
        // Its one save is the unit's last write and nothing catches a refusal of it.
        { refusalEndsUnit: true },
      ),
    );
  };
}

function assertSameStream(stored: readonly StoredEvent[], streamId: Uuid, key: string): void {
  const other = stored.find((e) => e.streamId !== streamId);
  if (other !== undefined) {
    throw new PetError(
      'IDEMPOTENCY_MISMATCH',
      `idempotency key ${JSON.stringify(key)} was used for another stream`,
      {
        details: { idempotencyKey: key, streamId, storedStreamId: other.streamId },
      },
    );
  }
}

/** What a workflow's steps can do inside its one unit of work. */
export interface WorkflowScope {
  /** The transaction, for loads and appends the steps need beyond `execute`. */
  readonly scope: UnitOfWorkScope;
  /**
   * Runs one command against one aggregate (load → decide → evolve → save) inside the workflow's unit of
   * work. Its events carry the workflow's metadata; idempotency keys continue the workflow's numbering.
   */
  execute<S, C, E extends DecidedEvent, F = undefined, R extends Rejection = Rejection>(
    binding: AggregateBinding<S, C, E, F, R>,
    request: CommandRequest<S, C, F>,
  ): Promise<Result<CommandOutcome<S>, R>>;
  /**
   * Runs one command against each of several aggregates of one kind, as `execute` would one after
   * another, but loads them together and saves them together where the unit of work can (a 40-task
   * hand-off in a handful of statements instead of hundreds). The first rejection stops it: nothing of
   * the batch is saved and the rejection comes back. Stream ids must be distinct.
   *
   * @example
   * ```ts
   * const r = await w.executeAll(taskBinding, tasks.map((t) => ({ streamId: t.taskId, command: t })));
   * if (!r.ok) return r;
   * ```
   */
  executeAll<S, C, E extends DecidedEvent, F = undefined, R extends Rejection = Rejection>(
    binding: AggregateBinding<S, C, E, F, R>,
    requests: readonly CommandRequest<S, C, F>[],
  ): Promise<Result<readonly CommandOutcome<S>[], R>>;
}

/** What a workflow did: its value and events, or — for a resent idempotency key — the stored events. */
export type WorkflowOutcome<T> =
  | { readonly duplicate: false; readonly value: T; readonly events: readonly EventDraft[] }
  | { readonly duplicate: true; readonly events: readonly StoredEvent[] };

/** Carries a workflow's rejection out of the unit of work so that it rolls back. */
class WorkflowRejected<R> extends Error {
  readonly rejection: R;
  constructor(rejection: R) {
    super('workflow rejected');
    this.name = 'WorkflowRejected';
    this.rejection = rejection;
  }
}

/**
 * Runs an operation that touches several aggregates (e.g. accepting a quote creates the sale, the
 * contract snapshot and the project) in **one** unit of work with the command handler's retry policy.
 * `work` returns a `Result`: on `ok` everything commits; on a rejection **nothing** is written, even
 * the steps that already saved. With `metadata.idempotencyKey`, a resent workflow returns the stored
 * events with `duplicate: true` and does not run.
 *
 * @example
 * ```ts
 * const r = await runWorkflow(runtime, { actor, idempotencyKey: `accept-${quoteId}` }, async (w) => {
 *   const quote = await w.execute(quoteBinding, { streamId: quoteId, command: { type: 'accept' } });
 *   if (!quote.ok) return quote;
 *   const sale = await w.execute(saleBinding, { streamId: saleId, command: { type: 'create', quoteId } });
 *   return sale.ok ? ok({ saleId }) : sale;
 * });
 * ```
 */
export async function runWorkflow<T, R>(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  work: (workflow: WorkflowScope) => Promise<Result<T, R>>,
): Promise<Result<WorkflowOutcome<T>, R>> {
  const meta = parseMetadata(metadata);
  try {
    return await withRetry(runtime.retry, () =>
      runtime.unitOfWork.run(async (scope): Promise<Result<WorkflowOutcome<T>, R>> => {
        const key = meta.idempotencyKey;
        if (key !== undefined) {
          const stored = await scope.findByIdempotencyKey(key);
          if (stored.length > 0) return ok({ duplicate: true, events: stored });
        }
        const keys: KeyCounter = { key, next: 0 };
        const events: EventDraft[] = [];
        const workflow: WorkflowScope = {
          scope,
          executeAll: async (binding, requests) => {
            const checked = requests.map((request) => ({
              ...request,
              streamId: parseInput(uuidSchema, request.streamId, 'stream id'),
              command: checkCommand(binding.commandSchema, request.command),
            }));
            const r = await decideAndSaveAll(runtime, scope, binding, checked, meta, keys);
            if (r.ok) for (const outcome of r.value) events.push(...outcome.events);
            return r;
          },
          execute: async (binding, request) => {
            const streamId = parseInput(uuidSchema, request.streamId, 'stream id');
            const command = checkCommand(binding.commandSchema, request.command);
            const r = await decideAndSave(
              runtime,
              scope,
              binding,
              { ...request, streamId, command },
              meta,
              keys,
            );
            if (r.ok) events.push(...r.value.events);
            return r;
          },
        };
        const result = await work(workflow);
        if (!result.ok) throw new WorkflowRejected(result.error);
        return ok({ duplicate: false, value: result.value, events });
      }),
    );
  } catch (e) {
    if (e instanceof WorkflowRejected) return err(e.rejection as R);
    throw e;
  }
}
