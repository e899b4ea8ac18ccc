import { z } from 'zod';
import { type FieldIssue, isPetError, PetError, type PetErrorCode, ValidationError } from './errors.js';
import { EVENT_TYPE_PATTERN } from './event.js';
import { toFieldIssues } from './validation.js';

const MAX_SCHEMA_VERSION = 65_535;

/** One (type, schema version) of an event and the zod schema of its payload. */
export interface EventDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly version: number;
  readonly payload: Schema;
}

/**
 * The plain `{ type, payload }` event a decider emits for a definition, e.g. for the decider's event
 * union: `type QuoteEvent = EventOf<typeof quoteCreated> | EventOf<typeof quoteSent>`.
 */
export type EventOf<D extends EventDefinition> =
  D extends EventDefinition<infer T, infer S> ? { readonly type: T; readonly payload: z.output<S> } : never;

/** Lifts a payload of `type` from schema version `from` to `to = from + 1`. Pure; never sees the envelope. */
export interface Upcaster {
  readonly type: string;
  readonly from: number;
  readonly to: number;
  /** Lifts a payload of version `from` to version `to` (pure; after the whole chain the payload is parsed with the current schema). */
  readonly up: (payload: unknown) => unknown;
}

/** The parts of an event the registry reads: enough for drafts, stored events and frozen fixtures. */
export interface VersionedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly payload: unknown;
}

/** The event types a context knows, their current versions and how to lift old payloads. */
export interface EventRegistry {
  /** The current (newest) schema version of `type`. Throws `UNKNOWN_EVENT_TYPE` for an unknown type. */
  currentVersion(type: string): number;
  /**
   * Checks an event about to be written: known type, the current schema version, a payload valid for
   * the current schema. Returns the event with the parsed payload.
   * Throws `UNKNOWN_EVENT_TYPE`, or a `ValidationError` naming `schemaVersion` / `payload.<field>`.
   */
  validateDraft<E extends VersionedEvent>(draft: E): E;
  /**
   * Lifts a stored event to the current schema version through the upcaster chain and parses its payload
   * with the current schema. Throws `UNKNOWN_EVENT_TYPE` or `UPCAST_FAILED` (details name the step).
   */
  upcast<E extends VersionedEvent>(stored: E): E;
  /** Every registered event type, sorted. */
  knownTypes(): readonly string[];
}

/**
 * Declares one (type, version) of an event with the zod schema of its payload.
 *
 * @example
 * ```ts
 * const quoteAccepted = defineEvent({
 *   type: 'quote.accepted',
 *   version: 2,
 *   payload: z.object({ quoteId: uuidV7Schema, acceptedBy: z.string() }),
 * });
 * ```
 */
export function defineEvent<const Type extends string, Schema extends z.ZodType>(definition: {
  readonly type: Type;
  readonly version: number;
  readonly payload: Schema;
}): EventDefinition<Type, Schema> {
  const issues = [...typeIssues(definition.type, 'type'), ...versionIssues(definition.version, 'version')];
  if (typeof (definition.payload as { safeParse?: unknown } | undefined)?.safeParse !== 'function') {
    issues.push({ field: 'payload', rule: 'must be a zod schema' });
  }
  if (issues.length > 0) throw new ValidationError('event definition', issues);
  return { type: definition.type, version: definition.version, payload: definition.payload };
}

/**
 * Declares how to lift a payload of `type` from version `from` to `from + 1`. Upcasters are pure
 * functions of the old payload; they never read the clock or other events. When the registry also holds
 * the schema of version `from`, the payload is parsed with it before `up` runs.
 *
 * @example
 * ```ts
 * const acceptedV1toV2 = defineUpcaster({
 *   type: 'quote.accepted',
 *   from: 1,
 *   to: 2,
 *   up: (p: { quoteId: string }) => ({ ...p, acceptedBy: 'unknown' }),
 * });
 * ```
 */
export function defineUpcaster<From = never, To = unknown>(upcaster: {
  readonly type: string;
  readonly from: number;
  readonly to: number;
  readonly up: (payload: From) => To;
}): Upcaster {
  const issues = [...typeIssues(upcaster.type, 'type'), ...versionIssues(upcaster.from, 'from')];
  if (upcaster.to !== upcaster.from + 1)
    issues.push({ field: 'to', rule: `must be from + 1 (${upcaster.from + 1})` });
  if (typeof upcaster.up !== 'function') issues.push({ field: 'up', rule: 'must be a function' });
  if (issues.length > 0) throw new ValidationError('upcaster', issues);
  return {
    type: upcaster.type,
    from: upcaster.from,
    to: upcaster.to,
    up: upcaster.up as unknown as (payload: unknown) => unknown,
  };
}

function typeIssues(type: unknown, field: string): FieldIssue[] {
  return typeof type === 'string' && type.length <= 128 && EVENT_TYPE_PATTERN.test(type)
    ? []
    : [{ field, rule: 'must be dotted lower-case, e.g. quote.accepted' }];
}

function versionIssues(version: unknown, field: string): FieldIssue[] {
  return Number.isInteger(version) && (version as number) >= 1 && (version as number) <= MAX_SCHEMA_VERSION
    ? []
    : [{ field, rule: `must be an integer 1..${MAX_SCHEMA_VERSION}` }];
}

interface TypeEntry {
  readonly current: number;
  /** Schemas by version; older versions are optional (when present they check payloads mid-chain). */
  readonly schemas: ReadonlyMap<number, z.ZodType>;
  /** Upcasters by `from` version, 1..current−1. */
  readonly upcasters: ReadonlyMap<number, Upcaster>;
}

/**
 * Builds the registry of a set of event definitions and upcasters. Construction checks the whole set
 * and throws one `ValidationError` listing every problem:
 * duplicate (type, version) definitions; a gap between defined versions (v1 and v3 without v2); a
 * missing upcaster (every type at version N needs upcasters 1→2 … N−1→N); a duplicate upcaster; an
 * upcaster for an unknown type or beyond the current version.
 *
 * @example
 * ```ts
 * const registry = createEventRegistry({ events: [quoteAcceptedV1, quoteAcceptedV2], upcasters: [acceptedV1toV2] });
 * registry.currentVersion('quote.accepted'); // 2
 * const event = registry.upcast(storedV1Event); // schemaVersion 2, payload parsed by the v2 schema
 * ```
 */
export function createEventRegistry(input: {
  readonly events: readonly EventDefinition[];
  readonly upcasters?: readonly Upcaster[];
}): EventRegistry {
  const issues: FieldIssue[] = [];
  const shape = input as { events?: unknown; upcasters?: unknown } | null | undefined;
  if (typeof shape !== 'object' || shape === null || !Array.isArray(shape.events)) {
    throw new ValidationError('event registry', [
      { field: 'events', rule: 'must be an array of event definitions' },
    ]);
  }
  if (shape.upcasters !== undefined && !Array.isArray(shape.upcasters)) {
    throw new ValidationError('event registry', [
      { field: 'upcasters', rule: 'must be an array of upcasters' },
    ]);
  }
  const schemasByType = new Map<string, Map<number, z.ZodType>>();
  input.events.forEach((def, i) => {
    if (typeof def !== 'object' || def === null || typeof def.payload?.safeParse !== 'function') {
      issues.push({ field: `events.${i}`, rule: 'must be an event definition (defineEvent)' });
      return;
    }
    const defIssues = [
      ...typeIssues(def.type, `events.${i}.type`),
      ...versionIssues(def.version, `events.${i}.version`),
    ];
    if (defIssues.length > 0) {
      issues.push(...defIssues);
      return;
    }
    const schemas = schemasByType.get(def.type) ?? new Map<number, z.ZodType>();
    if (schemas.has(def.version)) {
      issues.push({ field: `events.${i}`, rule: `duplicate definition of ${def.type} v${def.version}` });
    }
    schemas.set(def.version, def.payload);
    schemasByType.set(def.type, schemas);
  });

  const upcastersByType = new Map<string, Map<number, Upcaster>>();
  (input.upcasters ?? []).forEach((u, i) => {
    if (typeof u !== 'object' || u === null || typeof u.up !== 'function') {
      issues.push({ field: `upcasters.${i}`, rule: 'must be an upcaster (defineUpcaster)' });
      return;
    }
    const schemas = schemasByType.get(u.type);
    if (schemas === undefined) {
      issues.push({ field: `upcasters.${i}`, rule: `upcaster for unknown event type ${u.type}` });
      return;
    }
    const current = Math.max(...schemas.keys());
    if (u.to !== u.from + 1 || u.from < 1 || u.to > current) {
      issues.push({
        field: `upcasters.${i}`,
        rule: `${u.type} v${u.from}→v${u.to} must lift one version within 1..${current}`,
      });
      return;
    }
    const byFrom = upcastersByType.get(u.type) ?? new Map<number, Upcaster>();
    if (byFrom.has(u.from))
      issues.push({ field: `upcasters.${i}`, rule: `duplicate upcaster ${u.type} v${u.from}→v${u.to}` });
    byFrom.set(u.from, u);
    upcastersByType.set(u.type, byFrom);
  });

  const entries = new Map<string, TypeEntry>();
  for (const [type, schemas] of schemasByType) {
    const versions = [...schemas.keys()].sort((a, b) => a - b);
    const current = versions[versions.length - 1] ?? 1;
    const oldest = versions[0] ?? current;
    for (let v = oldest; v < current; v++) {
      if (!schemas.has(v))
        issues.push({ field: 'events', rule: `${type}: version ${v} is missing (gap before v${current})` });
    }
    const byFrom = upcastersByType.get(type) ?? new Map<number, Upcaster>();
    for (let v = 1; v < current; v++) {
      if (!byFrom.has(v))
        issues.push({ field: 'upcasters', rule: `${type}: no upcaster from v${v} to v${v + 1}` });
    }
    entries.set(type, { current, schemas, upcasters: byFrom });
  }
  if (issues.length > 0) throw new ValidationError('event registry', issues);

  const entryOf = (type: string): TypeEntry => {
    const entry = entries.get(type);
    if (entry === undefined) {
      throw new PetError('UNKNOWN_EVENT_TYPE', `unknown event type ${JSON.stringify(type)}`, {
        details: { type },
      });
    }
    return entry;
  };
  const currentSchema = (entry: TypeEntry): z.ZodType => entry.schemas.get(entry.current) as z.ZodType;
  const upcastFailed = (
    e: VersionedEvent,
    rule: string,
    extra: Record<string, unknown> = {},
    cause?: unknown,
  ) =>
    new PetError('UPCAST_FAILED', `cannot upcast ${e.type} v${String(e.schemaVersion)}: ${rule}`, {
      details: { type: e.type, schemaVersion: e.schemaVersion, ...extra },
      ...(cause === undefined ? {} : { cause }),
    });
  const knownTypes = [...entries.keys()].sort();

  return {
    currentVersion: (type) => entryOf(type).current,
    validateDraft: (draft) => {
      const entry = entryOf(draft.type);
      if (draft.schemaVersion !== entry.current) {
        throw new ValidationError(`${draft.type} event`, [
          { field: 'schemaVersion', rule: `must be the current version ${entry.current} of ${draft.type}` },
        ]);
      }
      const parsed = currentSchema(entry).safeParse(draft.payload);
      if (!parsed.success) {
        throw new ValidationError(
          `${draft.type} event`,
          toFieldIssues(parsed.error).map((i) => ({
            field: i.field === '' ? 'payload' : `payload.${i.field}`,
            rule: i.rule,
          })),
        );
      }
      return { ...draft, payload: parsed.data };
    },
    upcast: (stored) => {
      const entry = entryOf(stored.type);
      const from = stored.schemaVersion;
      if (!Number.isInteger(from) || from < 1 || from > entry.current) {
        throw upcastFailed(stored, `version must be 1..${entry.current}`);
      }
      let payload = stored.payload;
      for (let v = from; v < entry.current; v++) {
        const schema = entry.schemas.get(v);
        if (schema !== undefined) {
          const r = schema.safeParse(payload);
          if (!r.success)
            throw upcastFailed(stored, `payload invalid for v${v}`, {
              step: v,
              issues: toFieldIssues(r.error),
            });
          payload = r.data;
        }
        const upcaster = entry.upcasters.get(v);
        if (upcaster === undefined) throw upcastFailed(stored, `no upcaster from v${v}`, { step: v });
        try {
          payload = upcaster.up(payload);
        } catch (e) {
          throw upcastFailed(
            stored,
            `upcaster v${v}→v${v + 1} threw: ${(e as Error)?.message ?? String(e)}`,
            { step: v },
            e,
          );
        }
      }
      const r = currentSchema(entry).safeParse(payload);
      if (!r.success) {
        throw upcastFailed(stored, `payload invalid for current v${entry.current}`, {
          step: entry.current,
          issues: toFieldIssues(r.error),
        });
      }
      return { ...stored, schemaVersion: entry.current, payload: r.data };
    },
    knownTypes: () => knownTypes,
  };
}

/**
 * A frozen sample of one (type, schema version) as JSON, kept in the repository and never edited, so
 * that every event ever written stays decodable.
 */
export interface EventFixture {
  readonly type: string;
  readonly schemaVersion: number;
  readonly payload: unknown;
}

/**
 * Zod schema of an {@link EventFixture} file.
 *
 * @example `eventFixtureSchema.parse(JSON.parse(readFileSync(file, 'utf8')))`
 */
export const eventFixtureSchema: z.ZodType<EventFixture> = z.object({
  type: z.string().regex(EVENT_TYPE_PATTERN, 'must be dotted lower-case, e.g. quote.accepted'),
  schemaVersion: z.number().int().min(1).max(MAX_SCHEMA_VERSION),
  payload: z.unknown(),
}) as unknown as z.ZodType<EventFixture>;

/** A fixture that no longer decodes: which one, the error code and message. */
export interface FixtureFailure {
  readonly name: string;
  readonly code: PetErrorCode | 'UNEXPECTED_ERROR';
  readonly message: string;
}

/**
 * Upcasts every frozen fixture with the registry and returns the ones that fail (an empty list means all
 * decode). `fixtures` maps a name (e.g. the file name) to the parsed JSON.
 *
 * @example
 * ```ts
 * const failures = decodeFixtures(registry, { 'quote.accepted.v1.json': JSON.parse(text) });
 * expect(failures).toEqual([]);
 * ```
 */
export function decodeFixtures(
  registry: EventRegistry,
  fixtures: Readonly<Record<string, unknown>>,
): readonly FixtureFailure[] {
  const failures: FixtureFailure[] = [];
  for (const [name, raw] of Object.entries(fixtures)) {
    try {
      const parsed = eventFixtureSchema.safeParse(raw);
      if (!parsed.success) throw new ValidationError(`fixture ${name}`, toFieldIssues(parsed.error));
      registry.upcast(parsed.data);
    } catch (e) {
      const code = isPetError(e) ? e.code : 'UNEXPECTED_ERROR';
      failures.push({ name, code, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return failures;
}

/**
 * Lists the (type, version) pairs of the registry — every version 1..current of every type — that have
 * no fixture, so a test can demand a frozen fixture for each.
 *
 * @example
 * ```ts
 * expect(missingFixtures(registry, fixtures)).toEqual([]);
 * ```
 */
export function missingFixtures(
  registry: EventRegistry,
  fixtures: Readonly<Record<string, unknown>>,
): readonly { readonly type: string; readonly schemaVersion: number }[] {
  const present = new Set<string>();
  for (const raw of Object.values(fixtures)) {
    const parsed = eventFixtureSchema.safeParse(raw);
    if (parsed.success) present.add(`${parsed.data.type}@${parsed.data.schemaVersion}`);
  }
  const missing: { type: string; schemaVersion: number }[] = [];
  for (const type of registry.knownTypes()) {
    for (let v = 1; v <= registry.currentVersion(type); v++) {
      if (!present.has(`${type}@${v}`)) missing.push({ type, schemaVersion: v });
    }
  }
  return missing;
}
