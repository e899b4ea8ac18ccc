import {
  type AggregateBinding,
  type AggregateDefinition,
  type CommandMetadata,
  type CommandOutcome,
  type CommandRuntime,
  Commercial,
  type Result,
  runWorkflow,
  type UnitOfWorkScope,
  type WorkflowOutcome,
} from '@pet-ops/core';
import { assertCommandRequest, assertSameId, asUuid, intIn, jsonIn, textIn } from './schemas-columns.js';

type State = Commercial.MalleableSchemaState;

/**
 * The `malleable_schema` aggregate of stream `schemaId` on its state table `malleable_schemas`
 * (migration 0020): one row per entity type, every kept version as JSON plus the active/draft
 * pointers. The row's id is the stream id (the unit of work keeps it out of the columns, so the
 * definition is made per stream).
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(malleableSchemaAggregate(schemaId)).load(schemaId);
 * ```
 */
export function malleableSchemaAggregate(schemaId: Commercial.MalleableSchemaId): AggregateDefinition<State> {
  return {
    streamType: Commercial.MALLEABLE_SCHEMA_STREAM_TYPE,
    initialState: Commercial.initialMalleableSchemaState,
    encode: (s) => {
      if (s.status === 'absent') throw new Error('an absent schema is never saved');
      return {
        entity_type: s.entityType,
        active_version: s.versions.find((v) => v.status === 'active')?.version ?? null,
        draft_version: s.versions.find((v) => v.status === 'draft')?.version ?? null,
        last_version: s.lastVersion,
        versions: s.versions,
      };
    },
    decode: (row) => {
      const r = row as Record<string, unknown>;
      return {
        status: 'defined',
        schemaId,
        entityType: textIn(r['entity_type']) ?? '',
        lastVersion: intIn(r['last_version']) ?? 0,
        versions: jsonIn<Commercial.MalleableSchemaVersion[]>(r['versions']),
      };
    },
  };
}

/**
 * The malleable schema command binding of one stream (no facts needed).
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, malleableSchemaBinding(schemaId));
 * await handle({ streamId: schemaId, command: { type: 'publish', at }, metadata });
 * ```
 */
export function malleableSchemaBinding(
  schemaId: Commercial.MalleableSchemaId,
): AggregateBinding<
  State,
  Commercial.MalleableSchemaCommand,
  Commercial.MalleableSchemaEvent,
  undefined,
  Commercial.MalleableSchemaRejection
> {
  return {
    definition: malleableSchemaAggregate(schemaId),
    decider: Commercial.malleableSchemaDecider,
    commandSchema: Commercial.malleableSchemaCommandSchema,
  };
}

/** The body of {@link changeMalleableSchema}: one command on the stream schemaId names. */
async function runMalleableSchemaCommand(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  schemaId: Commercial.MalleableSchemaId,
  command: Commercial.MalleableSchemaCommand,
): Promise<Result<WorkflowOutcome<CommandOutcome<State>>, Commercial.MalleableSchemaRejection>> {
  assertCommandRequest('schema command', 'schemaId', schemaId, command);
  assertSameId(
    'schema command',
    'schemaId',
    schemaId,
    command.type === 'create_draft' ? command.schemaId : undefined,
  );
  return runWorkflow(runtime, metadata, (w) =>
    w.execute(malleableSchemaBinding(schemaId), { streamId: asUuid(schemaId), command }),
  );
}

/** A malleable schema command and the stream it is for: what {@link changeMalleableSchema} takes. */
export interface MalleableSchemaRequest {
  readonly schemaId: Commercial.MalleableSchemaId;
  readonly command: Commercial.MalleableSchemaCommand;
}

/**
 * Runs one malleable schema command (create/update/discard a draft, publish) in its own transaction.
 * Publishing is one event on one row: the draft becomes active and the previous active version
 * historical atomically.
 *
 * Every workflow takes the same shape, `fn(runtime, metadata, { <x>Id, command })`.
 *
 * @example
 * ```ts
 * await changeMalleableSchema(runtime, metadata, { schemaId, command: { type: 'publish', at: clock.now() } });
 * ```
 */
export function changeMalleableSchema(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  request: MalleableSchemaRequest,
): Promise<Result<WorkflowOutcome<CommandOutcome<State>>, Commercial.MalleableSchemaRejection>>;
/**
 * The positional form of {@link changeMalleableSchema}.
 *
 * @deprecated Pass one request instead, the shape of every workflow:
 * `changeMalleableSchema(runtime, metadata, { schemaId, command })`. This form keeps working until the next major version.
 */
export function changeMalleableSchema(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  schemaId: Commercial.MalleableSchemaId,
  command: Commercial.MalleableSchemaCommand,
): Promise<Result<WorkflowOutcome<CommandOutcome<State>>, Commercial.MalleableSchemaRejection>>;
export function changeMalleableSchema(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  ...args: [MalleableSchemaRequest] | [Commercial.MalleableSchemaId, Commercial.MalleableSchemaCommand]
): Promise<Result<WorkflowOutcome<CommandOutcome<State>>, Commercial.MalleableSchemaRejection>> {
  if (args.length === 2) return runMalleableSchemaCommand(runtime, metadata, args[0], args[1]);
  const request = args[0] as Partial<MalleableSchemaRequest> | null | undefined;
  return runMalleableSchemaCommand(
    runtime,
    metadata,
    request?.schemaId as Commercial.MalleableSchemaId,
    request?.command as Commercial.MalleableSchemaCommand,
  );
}

/**
 * Loads version `version` of the schema `schemaId` inside a unit-of-work scope (null when absent):
 * the facts lead and qualification commands validate malleable data with.
 *
 * @example
 * ```ts
 * const v1 = await loadSchemaVersion(scope, schemaId, 1);
 * ```
 */
export async function loadSchemaVersion(
  scope: UnitOfWorkScope,
  schemaId: Commercial.MalleableSchemaId,
  version: number,
): Promise<Commercial.MalleableSchemaVersion | null> {
  return (await loadSchemaFacts(scope, schemaId, version)).schema;
}

/**
 * {@link loadSchemaVersion} plus the schema's active version, from one load: the facts an edit of a
 * record's data needs, since fields the active version dropped are read-only (scenario 6).
 *
 * @example
 * ```ts
 * const { schema, active } = await loadSchemaFacts(scope, schemaId, lead.schemaVersion);
 * ```
 */
export async function loadSchemaFacts(
  scope: UnitOfWorkScope,
  schemaId: Commercial.MalleableSchemaId,
  version: number,
): Promise<{
  readonly schema: Commercial.MalleableSchemaVersion | null;
  readonly active: Commercial.MalleableSchemaVersion | null;
}> {
  const { state } = await scope.aggregate(malleableSchemaAggregate(schemaId)).load(asUuid(schemaId));
  return {
    schema: Commercial.schemaVersionOf(state, version),
    active: Commercial.activeSchemaVersion(state),
  };
}
