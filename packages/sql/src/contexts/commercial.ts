import {
  type AggregateBinding,
  type CommandMetadata,
  type CommandOutcome,
  type CommandRuntime,
  Commercial,
  createCommandHandler,
  type Decider,
  Delivery,
  err,
  type Identity,
  type IdGenerator,
  type Instant,
  instantSchema,
  ok,
  parseInput,
  type Rejection,
  type Result,
  reject,
  runWorkflow,
  type UnitOfWorkScope,
  type Uuid,
  uuidSchema,
  ValidationError,
  type WorkflowOutcome,
} from '@pet-ops/core';
import { z } from 'zod';
import { aggregateOf } from '../state-table.js';
import {
  leadsTable,
  malleableSchemasTable,
  opportunitiesTable,
  qualificationsTable,
  quotesTable,
  salesTable,
} from '../tables/commercial.js';
import { companiesTable } from '../tables/crm.js';
import { sqlScopeOf } from '../unit-of-work.js';
import { allocateFromCounter } from './crm.js';
import { deliveryBindings } from './delivery.js';

type LeadState = Commercial.LeadState;
type QualificationState = Commercial.QualificationState;
type OpportunityState = Commercial.OpportunityState;
type SchemaState = Commercial.MalleableSchemaState;
type QuoteState = Commercial.QuoteState;

/** The lead pipeline's and quoting's aggregates as the command handler drives them, on the seam's tables. */
export interface CommercialBindings {
  /** `malleable_schema` on `<prefix>malleable_schemas` (no facts). */
  readonly malleableSchema: AggregateBinding<
    SchemaState,
    Commercial.MalleableSchemaCommand,
    Commercial.MalleableSchemaEvent,
    undefined,
    Commercial.MalleableSchemaRejection
  >;
  /** `lead` on `<prefix>leads`; every event carries `context.customerId` once the lead has a customer. */
  readonly lead: AggregateBinding<
    LeadState,
    Commercial.LeadCommand,
    Commercial.LeadEvent,
    Commercial.LeadFacts | undefined,
    Commercial.LeadRejection
  >;
  /** `qualification` on `<prefix>qualifications`. */
  readonly qualification: AggregateBinding<
    QualificationState,
    Commercial.QualificationCommand,
    Commercial.QualificationEvent,
    Commercial.QualificationFacts | undefined,
    Commercial.QualificationRejection
  >;
  /** `opportunity` on `<prefix>opportunities`; every event carries `context.customerId`. */
  readonly opportunity: AggregateBinding<
    OpportunityState,
    Commercial.OpportunityCommand,
    Commercial.OpportunityEvent,
    Commercial.OpportunityFacts | undefined,
    Commercial.OpportunityRejection
  >;
  /** `quote` on `<prefix>quotes` (`Commercial.quoteBinding`: events carry the quote and the customer). */
  readonly quote: Commercial.QuoteBinding;
  /** `sale` on `<prefix>sales`. */
  readonly sale: Commercial.SaleBinding;
}

/** Adds `context.customerId` to every event when the lead has (or gets) a customer. */
const leadWithContext: Decider<
  LeadState,
  Commercial.LeadCommand,
  Commercial.LeadEvent,
  Commercial.LeadFacts | undefined,
  Commercial.LeadRejection
> = {
  ...Commercial.leadDecider,
  decide: (command, state, facts) => {
    const r = Commercial.leadDecider.decide(command, state, facts);
    if (!r.ok) return r;
    const after = r.value.reduce(Commercial.leadDecider.evolve, state);
    const customerId = after.status === 'absent' ? null : after.customerId;
    return customerId === null
      ? r
      : { ok: true, value: r.value.map((e) => ({ ...e, context: { customerId } })) };
  },
};

/** Every opportunity event carries `context.customerId` (the CRM company). */
const opportunityWithContext: Decider<
  OpportunityState,
  Commercial.OpportunityCommand,
  Commercial.OpportunityEvent,
  Commercial.OpportunityFacts | undefined,
  Commercial.OpportunityRejection
> = {
  ...Commercial.opportunityDecider,
  decide: (command, state, facts) => {
    const r = Commercial.opportunityDecider.decide(command, state, facts);
    if (!r.ok) return r;
    const customerId =
      command.type === 'create' ? command.customerId : state.status === 'absent' ? null : state.customerId;
    return customerId === null
      ? r
      : { ok: true, value: r.value.map((e) => ({ ...e, context: { customerId } })) };
  },
};

/**
 * The commercial context on the seam (lead pipeline and quoting): one binding per aggregate for
 * `createCommandHandler` / `runWorkflow`, the core's deciders on the declared tables. The workflows below
 * ({@link changeLead}, {@link changeQualification}, {@link changeOpportunity}, {@link changeMalleableSchema},
 * {@link createQuoting}) load the facts the deciders need.
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, commercialBindings.lead);
 * await handle({ streamId: leadId, command: { type: 'archive' }, metadata: { actor } });
 * ```
 */
export const commercialBindings: CommercialBindings = Object.freeze({
  malleableSchema: {
    definition: aggregateOf(malleableSchemasTable),
    decider: Commercial.malleableSchemaDecider,
    commandSchema: Commercial.malleableSchemaCommandSchema,
  },
  lead: {
    definition: aggregateOf(leadsTable),
    decider: leadWithContext,
    commandSchema: Commercial.leadCommandSchema,
  },
  qualification: {
    definition: aggregateOf(qualificationsTable),
    decider: Commercial.qualificationDecider,
    commandSchema: Commercial.qualificationCommandSchema,
  },
  opportunity: {
    definition: aggregateOf(opportunitiesTable),
    decider: opportunityWithContext,
    commandSchema: Commercial.opportunityCommandSchema,
  },
  quote: Commercial.quoteBinding(aggregateOf(quotesTable)),
  sale: Commercial.saleBinding(aggregateOf(salesTable)),
});

const asUuid = (id: string): Uuid => id as Uuid;

/** The employee a command runs for: the actor's id when the actor is an employee with a valid id. */
function employeeOf(metadata: CommandMetadata): Identity.EmployeeId | null {
  const actor = (metadata as { actor?: { type?: unknown; id?: unknown } } | undefined)?.actor;
  if (actor?.type !== 'employee' || !uuidSchema.safeParse(actor.id).success) return null;
  return actor.id as Identity.EmployeeId;
}

/**
 * A lead command with what the workflow knows and the host did not give: the instant (the runtime's
 * clock) and, for `create`, the capturing employee (an employee actor).
 */
function stampLead(
  command: Commercial.LeadCommand,
  at: Instant,
  metadata: CommandMetadata,
): Commercial.LeadCommand {
  if (typeof command !== 'object' || command === null || command.at !== undefined) return command;
  if (command.type !== 'create' || command.createdByEmployeeId !== undefined) return { ...command, at };
  const employee = employeeOf(metadata);
  return employee === null ? { ...command, at } : { ...command, at, createdByEmployeeId: employee };
}

const commandRequestSchema = z.object({ id: uuidSchema, command: z.looseObject({ type: z.string() }) });

/**
 * Checks a workflow request's shape before anything reads it: the aggregate id is a UUID and the command
 * an object with a `type` (its fields are checked by the binding's command schema).
 */
function assertCommandRequest(what: string, field: string, request: unknown): void {
  const shaped = request as Record<string, unknown> | null | undefined;
  const r = commandRequestSchema.safeParse({
    id: typeof shaped === 'object' && shaped !== null ? shaped[field] : undefined,
    command: typeof shaped === 'object' && shaped !== null ? shaped['command'] : undefined,
  });
  if (r.success) return;
  throw new ValidationError(
    what,
    r.error.issues.map((i) => ({
      field: i.path[0] === 'id' ? field : i.path.map(String).join('.'),
      rule: i.message,
    })),
  );
}

/** A creating command names its own id; it must be the stream it runs on. */
function assertSameId(what: string, field: string, streamId: string, commandId: string | undefined): void {
  if (commandId !== undefined && commandId !== streamId) {
    throw new ValidationError(what, [{ field: `command.${field}`, rule: 'must equal the stream id' }]);
  }
}

/**
 * Version `version` of the schema `schemaId` and the schema's active version, from one load in the
 * unit's transaction: the facts an edit of a record's malleable data needs (fields the active version
 * dropped are read-only, scenario 6).
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
  const { state } = await scope
    .aggregate(commercialBindings.malleableSchema.definition)
    .load(asUuid(schemaId));
  return {
    schema: Commercial.schemaVersionOf(state, version),
    active: Commercial.activeSchemaVersion(state),
  };
}

/**
 * Version `version` of the schema `schemaId` (null when absent), read in the unit's transaction.
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

/** A malleable schema command and the stream it is for. */
export interface MalleableSchemaRequest {
  readonly schemaId: Commercial.MalleableSchemaId;
  readonly command: Commercial.MalleableSchemaCommand;
}

/**
 * Runs one malleable schema command (create, update or discard a draft, publish) in its own unit of work.
 * Publishing is one event on one row: the draft becomes active and the previous active version
 * historical atomically.
 *
 * @example
 * ```ts
 * await changeMalleableSchema(runtime, metadata, { schemaId, command: { type: 'publish', at: clock.now() } });
 * ```
 */
export async function changeMalleableSchema(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  request: MalleableSchemaRequest,
): Promise<Result<WorkflowOutcome<CommandOutcome<SchemaState>>, Commercial.MalleableSchemaRejection>> {
  assertCommandRequest('schema command', 'schemaId', request);
  const { schemaId, command } = request;
  assertSameId(
    'schema command',
    'schemaId',
    schemaId,
    command.type === 'create_draft' ? command.schemaId : undefined,
  );
  return runWorkflow(runtime, metadata, (w) =>
    w.execute(commercialBindings.malleableSchema, { streamId: asUuid(schemaId), command }),
  );
}

/** A lead command and where its malleable schema lives. */
export interface LeadRequest {
  readonly leadId: Commercial.LeadId;
  readonly command: Commercial.LeadCommand;
  /** The `lead` entity type's schema stream; needed when the command carries malleable data. */
  readonly schemaId?: Commercial.MalleableSchemaId;
}

/**
 * Runs one lead command in its own unit of work, loading the lead's schema version (the given one for
 * `create`, the lead's own for `update` of its data) as facts, so malleable data is validated against it.
 * A command without `at` gets the runtime clock's instant (the lead's `updated_at`, `converted_at`,
 * `archived_at`); a `create` without `createdByEmployeeId` gets the actor when the actor is an employee.
 *
 * @example
 * ```ts
 * await changeLead(runtime, metadata, { leadId, schemaId, command: { type: 'create', leadId, source: 'web', subject: 'ERP', description: null, customerId: null, ownerEmployeeId: null, teamId: null, schemaVersion: 1, data: { budget } } });
 * ```
 */
export async function changeLead(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  request: LeadRequest,
): Promise<Result<WorkflowOutcome<CommandOutcome<LeadState>>, Commercial.LeadRejection>> {
  assertCommandRequest('lead command', 'leadId', request);
  const { leadId, command, schemaId } = request;
  assertSameId('lead command', 'leadId', leadId, command.type === 'create' ? command.leadId : undefined);
  const stamped = stampLead(command, runtime.clock.now(), metadata);
  return runWorkflow(runtime, metadata, (w) =>
    w.execute(commercialBindings.lead, {
      streamId: asUuid(leadId),
      command: stamped,
      loadFacts: async (scope, loaded) => {
        const version =
          command.type === 'create'
            ? command.schemaVersion
            : command.type === 'update' &&
                command.changes.data !== undefined &&
                loaded.state.status !== 'absent'
              ? loaded.state.schemaVersion
              : null;
        if (version === null || schemaId === undefined) return {};
        return loadSchemaFacts(scope, schemaId, version);
      },
    }),
  );
}

/** A qualification command and where its malleable schema lives. */
export interface QualificationRequest {
  readonly qualificationId: Commercial.QualificationId;
  readonly command: Commercial.QualificationCommand;
  /** The `qualification` entity type's schema stream; needed when the qualification has a schema version. */
  readonly schemaId?: Commercial.MalleableSchemaId;
}

/** Either context may refuse a qualification workflow. */
export type QualificationWorkflowRejection = Commercial.QualificationRejection | Commercial.LeadRejection;

/** What a qualification workflow returns: the qualification after the command. */
export type QualificationWorkflowResult = Result<
  WorkflowOutcome<CommandOutcome<QualificationState>>,
  QualificationWorkflowRejection
>;

/**
 * Runs one qualification command in one unit of work with the cross-aggregate rules: `start` loads the
 * lead (it must be open) and the schema version; `change_data` validates against the qualification's own
 * version; `complete` then qualifies the lead (with the class) or disqualifies and archives it — all or
 * nothing: if the lead refuses (e.g. decided by another qualification meanwhile) nothing is written and
 * the lead's rejection is returned. `start` and `complete` without `at` get the runtime clock's instant
 * (`started_at`, `completed_at`; the lead's instants too).
 *
 * @example
 * ```ts
 * await changeQualification(runtime, metadata, { qualificationId, command: { type: 'complete', outcome: 'qualified', opportunityClass: 'gold', reason: null } });
 * ```
 */
export async function changeQualification(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  request: QualificationRequest,
): Promise<QualificationWorkflowResult> {
  assertCommandRequest('qualification command', 'qualificationId', request);
  const { qualificationId, command, schemaId } = request;
  assertSameId(
    'qualification command',
    'qualificationId',
    qualificationId,
    command.type === 'start' ? command.qualificationId : undefined,
  );
  const at = runtime.clock.now();
  const stamped: Commercial.QualificationCommand =
    typeof command === 'object' &&
    command !== null &&
    (command.type === 'start' || command.type === 'complete') &&
    command.at === undefined
      ? { ...command, at }
      : command;
  return runWorkflow<CommandOutcome<QualificationState>, QualificationWorkflowRejection>(
    runtime,
    metadata,
    async (w) => {
      const done = await w.execute(commercialBindings.qualification, {
        streamId: asUuid(qualificationId),
        command: stamped,
        loadFacts: async (scope, loaded) => {
          const facts: {
            leadStatus?: Commercial.LeadStatus | 'absent';
            schema?: Commercial.MalleableSchemaVersion | null;
            active?: Commercial.MalleableSchemaVersion | null;
          } = {};
          if (command.type === 'start') {
            const lead = await scope
              .aggregate(commercialBindings.lead.definition)
              .load(asUuid(command.leadId));
            facts.leadStatus = lead.state.status;
          }
          const version =
            command.type === 'start'
              ? command.schemaVersion
              : loaded.state.status === 'absent'
                ? null
                : loaded.state.schemaVersion;
          if (version !== null && schemaId !== undefined && command.type !== 'archive') {
            const schema = await loadSchemaFacts(scope, schemaId, version);
            facts.schema = schema.schema;
            facts.active = schema.active;
          }
          return facts;
        },
      });
      if (!done.ok || command.type !== 'complete') return done;
      const q = done.value.state;
      if (q.status === 'absent' || q.outcome === null) return done;
      const leadStream = asUuid(q.leadId);
      const decided = await w.execute(commercialBindings.lead, {
        streamId: leadStream,
        command:
          q.outcome === 'qualified'
            ? { type: 'qualify', qualificationId, opportunityClass: q.opportunityClass ?? 'bronze', at }
            : { type: 'disqualify', qualificationId, reason: q.reason ?? '', at },
      });
      if (!decided.ok) return err(decided.error);
      if (q.outcome === 'disqualified') {
        // Spec §2.7: disqualified ⇒ the lead is archived too.
        const archived = await w.execute(commercialBindings.lead, {
          streamId: leadStream,
          command: { type: 'archive', at },
        });
        if (!archived.ok) return err(archived.error);
      }
      return ok(done.value);
    },
  );
}

/** An opportunity command and the stream it is for. */
export interface OpportunityRequest {
  readonly opportunityId: Commercial.OpportunityId;
  readonly command: Commercial.OpportunityCommand;
}

/** Either context may refuse an opportunity workflow (`create` also converts the lead). */
export type OpportunityWorkflowRejection = Commercial.OpportunityRejection | Commercial.LeadRejection;

/**
 * Runs one opportunity command in its own unit of work. `create` loads the lead (it must be qualified;
 * the class is inherited from it) and the customer (an active CRM company) in the same transaction, so
 * neither can change underneath it. **The first opportunity converts the lead** (qualified → converted,
 * `converted_at`) in the same unit of work: all or nothing. Later opportunities of a converted lead are
 * allowed and leave it as it is. `archive` without `at` gets the runtime clock's instant (`archived_at`).
 *
 * @example
 * ```ts
 * await changeOpportunity(runtime, metadata, { opportunityId, command: { type: 'advance', to: 'proposal' } });
 * ```
 */
export async function changeOpportunity(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  request: OpportunityRequest,
): Promise<Result<WorkflowOutcome<CommandOutcome<OpportunityState>>, OpportunityWorkflowRejection>> {
  assertCommandRequest('opportunity command', 'opportunityId', request);
  const { opportunityId, command } = request;
  assertSameId(
    'opportunity command',
    'opportunityId',
    opportunityId,
    command.type === 'create' ? command.opportunityId : undefined,
  );
  const at = runtime.clock.now();
  const stamped: Commercial.OpportunityCommand =
    command.type === 'archive' && command.at === undefined ? { ...command, at } : command;
  return runWorkflow<CommandOutcome<OpportunityState>, OpportunityWorkflowRejection>(
    runtime,
    metadata,
    async (w) => {
      const done = await w.execute(commercialBindings.opportunity, {
        streamId: asUuid(opportunityId),
        command: stamped,
        loadFacts: async (scope): Promise<Commercial.OpportunityFacts | undefined> => {
          if (command.type !== 'create') return {};
          const lead = (
            await scope.aggregate(commercialBindings.lead.definition).load(asUuid(command.leadId))
          ).state;
          const company = (
            await scope.aggregate(aggregateOf(companiesTable)).load(asUuid(command.customerId))
          ).state;
          return {
            lead:
              lead.status === 'absent'
                ? { status: 'absent', opportunityClass: null, qualificationId: null }
                : {
                    status: lead.status,
                    opportunityClass: lead.opportunityClass,
                    qualificationId: lead.qualificationId,
                  },
            customerExists: company.status === 'active',
          };
        },
      });
      if (!done.ok || command.type !== 'create') return done;
      // Spec §2.5: qualified → converted, by the first opportunity created from the lead (loaded above in
      // this transaction, so no other opportunity can convert it in between).
      const leadStream = asUuid(command.leadId);
      const lead = (await w.scope.aggregate(commercialBindings.lead.definition).load(leadStream)).state;
      if (lead.status !== 'qualified') return done;
      const converted = await w.execute(commercialBindings.lead, {
        streamId: leadStream,
        command: { type: 'convert', opportunityId, at },
      });
      return converted.ok ? done : err(converted.error);
    },
  );
}

/**
 * The acceptance step that closes the sale's opportunity as won, in the acceptance transaction: the
 * opportunity named by the accepted quote gets `opportunity.won` with the quote's id. One already won (a
 * delta quote accepted after its parent) is left as it is; a lost or missing one rejects the acceptance
 * (`OPPORTUNITY_CLOSED` / `OPPORTUNITY_NOT_FOUND`), so nothing is written.
 *
 * @example
 * ```ts
 * const quoting = createQuoting({ runtime, acceptanceSteps: [markOpportunityWon] });
 * ```
 */
export const markOpportunityWon: Commercial.AcceptanceStep = Object.freeze({
  name: 'opportunity-won',
  run: async ({ workflow, quote, input }: Commercial.AcceptanceContext) => {
    const streamId = asUuid(quote.opportunityId);
    const loaded = await workflow.scope.aggregate(commercialBindings.opportunity.definition).load(streamId);
    if (loaded.state.status !== 'absent' && loaded.state.stage === 'won') return ok(null);
    return workflow.execute(commercialBindings.opportunity, {
      streamId,
      command: { type: 'win', quoteId: input.quoteId },
    });
  },
});

/**
 * The delivery hand-off as an acceptance step (`Delivery.deliveryAcceptanceStep` on `deliveryBindings`):
 * in the acceptance transaction it creates the sold project, baseline v1 and the milestones and tasks of
 * the accepted version's WBS. A **change order** (the accepted quote's parent is a quote a project was
 * sold from) instead gives that project its next baseline version and the added milestones and tasks, in
 * the same transaction; a change order must reference the original quote (one of a change order is
 * refused, `BASELINE_SOURCE_REQUIRED`). The unit of work must hold the delivery tables (`STATE_TABLES`
 * does) and the registry `Delivery.deliveryEventDefinitions`.
 *
 * @example
 * ```ts
 * const quoting = createQuoting({ runtime, acceptanceSteps: [markOpportunityWon, deliveryOnAcceptance({ ids: runtime.ids })] });
 * ```
 */
export function deliveryOnAcceptance(options: {
  readonly ids: IdGenerator;
  readonly siteId?: string | null;
}): Commercial.AcceptanceStep {
  parseInput(
    z.object({
      ids: z.custom<IdGenerator>(
        (v) => typeof v === 'object' && v !== null && typeof (v as { next?: unknown }).next === 'function',
        'must be an id generator',
      ),
      siteId: uuidSchema.nullish(),
    }),
    options,
    'delivery hand-off options',
  );
  return Delivery.deliveryAcceptanceStep(deliveryBindings, {
    ...options,
    locateChangeOrder: locateChangeOrderProject,
  });
}

/** Quote ancestry is short (a change order of a change order …); a cycle or a runaway chain stops here. */
const MAX_PARENT_HOPS = 16;

/**
 * The project a change order belongs to: the project sold from the parent quote, else from the parent's
 * parent …, with its task ids and milestone count — read in the acceptance's own transaction.
 */
async function locateChangeOrderProject(
  scope: UnitOfWorkScope,
  parentQuoteId: string,
): Promise<Delivery.ChangeOrderTarget | null> {
  const s = sqlScopeOf(scope);
  const { encodeId, decodeId } = s.dialect.codecs;
  const t = (table: string): string => `${s.prefix}${table}`;
  let quoteId: string | null = parentQuoteId;
  for (let hop = 0; quoteId !== null && hop < MAX_PARENT_HOPS; hop++) {
    const sourceQuote: string = quoteId;
    const project = await s.query('find the change order project', (trx) =>
      trx
        .selectFrom(t('projects'))
        .select('id')
        .where('source_quote_id', '=', encodeId(sourceQuote))
        .executeTakeFirst(),
    );
    if (project !== undefined) {
      const projectId = decodeId(project['id']);
      const tasks = await s.query('read the project tasks', (trx) =>
        trx.selectFrom(t('tasks')).select('id').where('project_id', '=', encodeId(projectId)).execute(),
      );
      const milestones = await s.query('count the project milestones', (trx) =>
        trx
          .selectFrom(t('milestones'))
          .select((eb) => eb.fn.countAll().as('n'))
          .where('project_id', '=', encodeId(projectId))
          .executeTakeFirst(),
      );
      return {
        projectId: projectId as Delivery.ProjectId,
        taskIds: tasks.map((r) => decodeId(r['id']) as Delivery.TaskId),
        milestoneCount: Number(milestones?.['n'] ?? 0),
      };
    }
    const parent = (await scope.aggregate(commercialBindings.quote.definition).load(asUuid(sourceQuote)))
      .state;
    quoteId = parent.status === 'absent' ? null : parent.parentQuoteId;
  }
  return null;
}

/**
 * Allocates the next `Q-YYYY-######` of `year` in the unit's transaction: one upsert of the year's
 * counter row, which stays locked until the unit ends (MySQL/MariaDB) or is written by the single writer
 * (SQLite), so concurrent openers never get the same number; a rolled-back unit gives its number back.
 *
 * @example
 * ```ts
 * await uow.run((scope) => allocateQuoteNumber(scope, 2026)); // 'Q-2026-000001'
 * ```
 */
export async function allocateQuoteNumber(
  scope: UnitOfWorkScope,
  year: number,
): Promise<Commercial.QuoteNumber> {
  const y = parseInput(z.number().int().min(1).max(9999), year, 'quote number year');
  const n = await allocateFromCounter(
    scope,
    'quote_number_sequences',
    { year: String(y).padStart(4, '0') },
    1,
  );
  return Commercial.formatQuoteNumber(y, n);
}

/** What a host gives to open a quote (the number is allocated here). */
export interface OpenQuoteInput {
  readonly quoteId: Commercial.QuoteId;
  readonly opportunityId: string;
  /** A CRM company (`companies.id`); it must exist and be active. */
  readonly customerId: string;
  readonly currency: string;
  readonly title: string;
  readonly validUntil?: string | null;
  readonly parentQuoteId?: string | null;
  readonly supersedesQuoteId?: string | null;
}

/** Why opening a quote was refused before the quote decider ran. */
export type OpenQuoteRejection = Rejection<
  | 'QUOTE_CUSTOMER_NOT_FOUND'
  | 'QUOTE_CUSTOMER_ARCHIVED'
  | 'QUOTE_PARENT_NOT_ACCEPTED'
  | 'QUOTE_SUPERSEDED_NOT_FOUND'
>;

/** Options of {@link createQuoting}. */
export interface QuotingOptions {
  /**
   * Its unit of work must be made by `createUnitOfWork` with the quoting and CRM tables (and those of
   * whatever the acceptance steps touch; `STATE_TABLES` holds them all); its registry must hold the
   * commercial events (and delivery's when the hand-off runs).
   */
  readonly runtime: CommandRuntime;
  readonly policy?: Commercial.QuotePolicy;
  /** Further participants of the acceptance transaction, in order ({@link markOpportunityWon}, {@link deliveryOnAcceptance} …). */
  readonly acceptanceSteps?: readonly Commercial.AcceptanceStep[];
}

/** A quote command (any but create and accept) and the quote it is for. */
export interface QuoteRequest {
  readonly quoteId: Commercial.QuoteId;
  readonly command: Exclude<Commercial.QuoteCommand, { type: 'create' | 'accept' }>;
}

/** Quotes on any database: open (customer check + number), every other command, and acceptance → sale. */
export interface Quoting {
  /**
   * Creates a quote in one unit of work: checks its customer (an active CRM company) and its parent or
   * superseded quote, allocates its number, creates it. A refusal writes nothing and gives the number back.
   */
  open(
    input: OpenQuoteInput,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<QuoteState>, Commercial.QuoteRejection | OpenQuoteRejection>>;
  /** Runs any other quote command (not create or accept) in one unit of work. */
  handle(
    request: QuoteRequest,
    metadata: CommandMetadata,
  ): Promise<Result<CommandOutcome<QuoteState>, Commercial.QuoteRejection>>;
  /**
   * Accepts a sent version in ONE unit of work: the quote (row-locked where the database locks rows, the
   * single writer elsewhere, so of two concurrent accepts one wins and the other gets `QUOTE_ACCEPTED`),
   * the sale, the due events, then every acceptance step; any rejection writes nothing.
   */
  readonly accept: Commercial.AcceptQuote;
}

const openSchema = z.object({
  quoteId: Commercial.quoteIdSchema,
  opportunityId: z.uuid(),
  customerId: z.uuid(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code'),
  title: z.string().trim().min(1).max(255),
  validUntil: Commercial.dateSchema.nullable().default(null),
  parentQuoteId: z.uuid().nullable().default(null),
  supersedesQuoteId: z.uuid().nullable().default(null),
});

const quotingOptionsSchema = z.object({
  runtime: z.custom<CommandRuntime>(
    (v) =>
      typeof v === 'object' && v !== null && typeof (v as { unitOfWork?: unknown }).unitOfWork === 'object',
    'must be a command runtime (unitOfWork, registry, clock, ids)',
  ),
  policy: z.looseObject({}).optional(),
  acceptanceSteps: z
    .array(
      z.custom<Commercial.AcceptanceStep>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as { name?: unknown }).name === 'string' &&
          typeof (v as { run?: unknown }).run === 'function',
        'must be an acceptance step ({ name, run })',
      ),
    )
    .optional(),
});

const acceptSchema = z.object({
  quoteId: Commercial.quoteIdSchema,
  saleId: uuidSchema,
  version: z.number().int().min(1),
  acceptedBy: z.string().min(1).max(64),
  acceptedAt: instantSchema,
  acceptedByContactId: uuidSchema.nullish(),
});

const requestShape = z.object({
  quoteId: Commercial.quoteIdSchema,
  command: z.looseObject({ type: z.string() }),
});

/**
 * Builds the quoting service of the seam (every database): `open`, `handle` and `accept`, each in one unit
 * of work.
 *
 * @example
 * ```ts
 * const runtime = { unitOfWork: createUnitOfWork({ dialect, prefix, events, tables: STATE_TABLES }), registry, clock, ids };
 * const quoting = createQuoting({ runtime, acceptanceSteps: [markOpportunityWon, deliveryOnAcceptance({ ids })] });
 * await quoting.open({ quoteId, opportunityId, customerId, currency: 'EUR', title: 'Relaunch' }, { actor });
 * await quoting.handle({ quoteId, command: { type: 'send' } }, { actor });
 * const sale = await quoting.accept({ quoteId, saleId, version: 1, acceptedBy, acceptedAt }, { actor });
 * ```
 */
export function createQuoting(options: QuotingOptions): Quoting {
  parseInput(quotingOptionsSchema, options, 'quoting options');
  const { runtime } = options;
  const quotes = commercialBindings.quote;
  const handler = createCommandHandler(runtime, quotes);
  const facts = options.policy === undefined ? undefined : { policy: options.policy };
  const companies = aggregateOf(companiesTable);
  const accept = Commercial.createQuoteAcceptance(
    runtime,
    {
      quotes: quotes.definition,
      sales: commercialBindings.sale.definition,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
    },
    options.acceptanceSteps ?? [],
  );

  return {
    async open(raw, metadata) {
      const input = parseInput(openSchema, raw, 'open quote');
      const r = await runWorkflow<CommandOutcome<QuoteState>, Commercial.QuoteRejection | OpenQuoteRejection>(
        runtime,
        metadata,
        async (w) => {
          const company = (await w.scope.aggregate(companies).load(asUuid(input.customerId))).state;
          if (company.status === 'absent') {
            return err(
              reject('QUOTE_CUSTOMER_NOT_FOUND', 'the customer is not a CRM company', {
                customerId: input.customerId,
              }),
            );
          }
          if (company.status !== 'active') {
            return err(
              reject('QUOTE_CUSTOMER_ARCHIVED', 'the customer is archived', { customerId: input.customerId }),
            );
          }
          // A delta quote references an accepted (locked) parent; a clone supersedes an existing quote.
          if (input.parentQuoteId !== null) {
            const parent = (await w.scope.aggregate(quotes.definition).load(asUuid(input.parentQuoteId)))
              .state;
            if (parent.status !== 'accepted') {
              return err(
                reject('QUOTE_PARENT_NOT_ACCEPTED', 'the referenced quote does not qualify', {
                  quoteId: input.parentQuoteId,
                }),
              );
            }
          }
          if (input.supersedesQuoteId !== null) {
            const superseded = (
              await w.scope.aggregate(quotes.definition).load(asUuid(input.supersedesQuoteId))
            ).state;
            if (superseded.status === 'absent') {
              return err(
                reject('QUOTE_SUPERSEDED_NOT_FOUND', 'the referenced quote does not qualify', {
                  quoteId: input.supersedesQuoteId,
                }),
              );
            }
          }
          const quoteNumber = await allocateQuoteNumber(w.scope, Number(runtime.clock.now().slice(0, 4)));
          return w.execute(quotes, {
            streamId: asUuid(input.quoteId),
            command: { type: 'create', ...input, quoteNumber },
            facts,
          });
        },
      );
      if (!r.ok) return r;
      if (!r.value.duplicate) return ok(r.value.value);
      // A resent idempotency key: report what is stored.
      const current = await runtime.unitOfWork.run((scope) =>
        scope.aggregate(quotes.definition).load(asUuid(input.quoteId)),
      );
      return ok({
        events: r.value.events,
        positions: r.value.events.map((e) => e.position),
        state: current.state,
        version: current.version,
        duplicate: true,
      });
    },
    async handle(request, metadata) {
      const shaped = parseInput(requestShape, request, 'quote request');
      return handler({
        streamId: asUuid(shaped.quoteId),
        command: request.command,
        facts,
        metadata,
      });
    },
    async accept(input, metadata) {
      parseInput(acceptSchema, input, 'accept quote');
      return accept(input, metadata);
    },
  };
}
