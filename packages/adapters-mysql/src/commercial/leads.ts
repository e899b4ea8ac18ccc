import {
  type AggregateBinding,
  type AggregateDefinition,
  type CommandMetadata,
  type CommandOutcome,
  type CommandRuntime,
  Commercial,
  type Crm,
  type Decider,
  type Identity,
  type Instant,
  type Money,
  type Result,
  runWorkflow,
  uuidSchema,
  type WorkflowOutcome,
} from '@pet-ops/core';
import { loadSchemaFacts } from './schemas.js';
import {
  assertCommandRequest,
  assertSameId,
  asUuid,
  idIn,
  idOut,
  instantIn,
  instantOut,
  intIn,
  jsonIn,
  textIn,
} from './schemas-columns.js';

type State = Commercial.LeadState;
type Facts = Commercial.LeadFacts | undefined;

/**
 * The `lead` aggregate of stream `leadId` on its state table `leads` (migration 0021).
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(leadAggregate(leadId)).load(leadId);
 * ```
 */
export function leadAggregate(leadId: Commercial.LeadId): AggregateDefinition<State> {
  return {
    streamType: Commercial.LEAD_STREAM_TYPE,
    initialState: Commercial.initialLeadState,
    encode: (s) => {
      if (s.status === 'absent') throw new Error('an absent lead is never saved');
      return {
        // Not yet an enum value (see `leadsTable` of @pet-ops/sql): converted = qualified + converted_at.
        state: s.status === 'converted' ? 'qualified' : s.status,
        source: s.source,
        subject: s.subject,
        description: s.description,
        customer_id: idOut(s.customerId),
        owner_employee_id: idOut(s.ownerEmployeeId),
        team_id: idOut(s.teamId),
        malleable_schema_version: s.schemaVersion,
        malleable_data: s.data,
        qualification_id: idOut(s.qualificationId),
        opportunity_class: s.opportunityClass,
        disqualification_reason: s.disqualificationReason,
        estimated_value: s.estimatedValue?.amountMinor ?? null,
        estimated_value_currency: s.estimatedValue?.currency ?? null,
        created_by_employee_id: idOut(s.createdByEmployeeId),
        updated_at: instantOut(s.updatedAt),
        converted_at: instantOut(s.convertedAt),
        archived_at: instantOut(s.archivedAt),
      };
    },
    decode: (row) => {
      const r = row as Record<string, unknown>;
      const convertedAt = instantIn(r['converted_at']);
      const state = textIn<Commercial.LeadStatus>(r['state']) ?? 'created';
      const value = intIn(r['estimated_value']);
      const currency = textIn(r['estimated_value_currency']);
      return {
        status: state === 'qualified' && convertedAt !== null ? 'converted' : state,
        leadId,
        source: textIn(r['source']) ?? '',
        subject: textIn(r['subject']) ?? '',
        description: textIn(r['description']),
        customerId: idIn<Crm.CompanyId>(r['customer_id']),
        ownerEmployeeId: idIn<Identity.EmployeeId>(r['owner_employee_id']),
        teamId: idIn<Identity.TeamId>(r['team_id']),
        schemaVersion: intIn(r['malleable_schema_version']),
        data: jsonIn<Record<string, unknown>>(r['malleable_data']),
        qualificationId: idIn<Commercial.QualificationId>(r['qualification_id']),
        opportunityClass: textIn<Commercial.OpportunityClass>(r['opportunity_class']),
        disqualificationReason: textIn(r['disqualification_reason']),
        estimatedValue:
          value === null || currency === null ? null : ({ amountMinor: value, currency } as Money),
        createdByEmployeeId: idIn<Identity.EmployeeId>(r['created_by_employee_id']),
        updatedAt: instantIn(r['updated_at']),
        convertedAt,
        archivedAt: instantIn(r['archived_at']),
      };
    },
  };
}

/** Adds `context.customerId` to every event when the lead has (or gets) a customer. */
const leadWithContext: Decider<
  State,
  Commercial.LeadCommand,
  Commercial.LeadEvent,
  Facts,
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

/**
 * The lead command binding of one stream. Facts: the lead's schema version (see {@link changeLead}).
 *
 * @example
 * ```ts
 * await workflow.execute(leadBinding(leadId), { streamId: leadId, command: { type: 'archive' } });
 * ```
 */
export function leadBinding(
  leadId: Commercial.LeadId,
): AggregateBinding<State, Commercial.LeadCommand, Commercial.LeadEvent, Facts, Commercial.LeadRejection> {
  return {
    definition: leadAggregate(leadId),
    decider: leadWithContext,
    commandSchema: Commercial.leadCommandSchema,
  };
}

/**
 * A lead command with what the workflow knows and the host did not give (as `changeLead` of
 * `@pet-ops/sql` does): the instant (the runtime's clock) and, for `create`, the capturing employee.
 */
export function stampLead(
  command: Commercial.LeadCommand,
  at: Instant,
  metadata: CommandMetadata,
): Commercial.LeadCommand {
  if (typeof command !== 'object' || command === null || command.at !== undefined) return command;
  if (command.type !== 'create' || command.createdByEmployeeId !== undefined) return { ...command, at };
  const actor = (metadata as { actor?: { type?: unknown; id?: unknown } } | undefined)?.actor;
  const employee =
    actor?.type === 'employee' && uuidSchema.safeParse(actor.id).success
      ? (actor.id as Identity.EmployeeId)
      : null;
  return employee === null ? { ...command, at } : { ...command, at, createdByEmployeeId: employee };
}

/** A lead command and where its malleable schema lives. */
export interface LeadRequest {
  readonly leadId: Commercial.LeadId;
  readonly command: Commercial.LeadCommand;
  /** The `lead` entity type's schema stream; needed when the command carries malleable data. */
  readonly schemaId?: Commercial.MalleableSchemaId;
}

/**
 * Runs one lead command in its own transaction, loading the lead's schema version (the active one for
 * `create`, the lead's own for `update`) as facts so malleable data is validated against it.
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
): Promise<Result<WorkflowOutcome<CommandOutcome<State>>, Commercial.LeadRejection>> {
  const shaped = request as Partial<LeadRequest> | null | undefined;
  assertCommandRequest('lead command', 'leadId', shaped?.leadId, shaped?.command);
  const { leadId, command, schemaId } = request;
  assertSameId('lead command', 'leadId', leadId, command.type === 'create' ? command.leadId : undefined);
  const stamped = stampLead(command, runtime.clock.now(), metadata);
  return runWorkflow(runtime, metadata, (w) =>
    w.execute(leadBinding(leadId), {
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
