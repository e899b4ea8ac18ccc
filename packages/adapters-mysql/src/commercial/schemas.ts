import type {
  AggregateBinding,
  AggregateDefinition,
  CommandMetadata,
  CommandOutcome,
  CommandRuntime,
  Commercial,
  Result,
  WorkflowOutcome,
} from '@pet-ops/core';
import {
  commercialBindings,
  type MalleableSchemaRequest,
  changeMalleableSchema as seamChange,
} from '@pet-ops/sql';

export { loadSchemaFacts, loadSchemaVersion, type MalleableSchemaRequest } from '@pet-ops/sql';

type State = Commercial.MalleableSchemaState;

/**
 * The `malleable_schema` aggregate on `malleable_schemas`: `commercialBindings.malleableSchema.definition`
 * of `@pet-ops/sql` (the table declared once; the stream id always reaches its `fromRow`, so one definition
 * serves every stream and `schemaId` is no longer needed).
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(malleableSchemaAggregate(schemaId)).load(schemaId);
 * ```
 */
export function malleableSchemaAggregate(
  _schemaId?: Commercial.MalleableSchemaId,
): AggregateDefinition<State> {
  return commercialBindings.malleableSchema.definition;
}

/**
 * The malleable schema command binding: `commercialBindings.malleableSchema` of `@pet-ops/sql` (the same
 * for every stream).
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, malleableSchemaBinding(schemaId));
 * await handle({ streamId: schemaId, command: { type: 'publish', at }, metadata });
 * ```
 */
export function malleableSchemaBinding(
  _schemaId?: Commercial.MalleableSchemaId,
): AggregateBinding<
  State,
  Commercial.MalleableSchemaCommand,
  Commercial.MalleableSchemaEvent,
  undefined,
  Commercial.MalleableSchemaRejection
> {
  return commercialBindings.malleableSchema;
}

type Outcome = Promise<Result<WorkflowOutcome<CommandOutcome<State>>, Commercial.MalleableSchemaRejection>>;

/**
 * Runs one malleable schema command (create/update/discard a draft, publish) in its own unit of work:
 * `changeMalleableSchema` of `@pet-ops/sql`. Publishing is one event on one row: the draft becomes active
 * and the previous active version historical atomically.
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
): Outcome;
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
): Outcome;
export function changeMalleableSchema(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  ...args: [MalleableSchemaRequest] | [Commercial.MalleableSchemaId, Commercial.MalleableSchemaCommand]
): Outcome {
  if (args.length === 2) return seamChange(runtime, metadata, { schemaId: args[0], command: args[1] });
  return seamChange(runtime, metadata, args[0]);
}
