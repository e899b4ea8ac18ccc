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
  type Result,
  runWorkflow,
  type WorkflowOutcome,
} from '@pet-ops/core';
import { loadSchemaFacts } from './schemas.js';
import {
  assertCommandRequest,
  assertSameId,
  asUuid,
  idIn,
  idOut,
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
        state: s.status,
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
      };
    },
    decode: (row) => {
      const r = row as Record<string, unknown>;
      return {
        status: textIn<Commercial.LeadStatus>(r['state']) ?? 'created',
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
  return runWorkflow(runtime, metadata, (w) =>
    w.execute(leadBinding(leadId), {
      streamId: asUuid(leadId),
      command,
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
