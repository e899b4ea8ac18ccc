import {
  type AggregateBinding,
  type AggregateDefinition,
  type CommandMetadata,
  type CommandOutcome,
  type CommandRuntime,
  Commercial,
  type Crm,
  type Decider,
  err,
  type Identity,
  type Result,
  runWorkflow,
  type WorkflowOutcome,
} from '@pet-ops/core';
import { leadAggregate, leadBinding } from './leads.js';
import {
  assertCommandRequest,
  assertSameId,
  asUuid,
  idIn,
  idOut,
  instantIn,
  instantOut,
  intIn,
  textIn,
} from './schemas-columns.js';

type State = Commercial.OpportunityState;
type Facts = Commercial.OpportunityFacts | undefined;

/**
 * The `opportunity` aggregate of stream `opportunityId` on its state table `opportunities` (migration
 * 0023); the estimated value is stored as minor units plus currency.
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(opportunityAggregate(id)).load(id);
 * ```
 */
export function opportunityAggregate(opportunityId: Commercial.OpportunityId): AggregateDefinition<State> {
  return {
    streamType: Commercial.OPPORTUNITY_STREAM_TYPE,
    initialState: Commercial.initialOpportunityState,
    encode: (s) => {
      if (s.status === 'absent') throw new Error('an absent opportunity is never saved');
      return {
        state: s.status,
        stage: s.stage,
        lead_id: idOut(s.leadId),
        qualification_id: idOut(s.qualificationId),
        customer_id: idOut(s.customerId),
        opportunity_class: s.opportunityClass,
        probability_bp: s.probabilityBp,
        estimated_value_minor: s.estimatedValue.amountMinor,
        currency: s.estimatedValue.currency,
        owner_employee_id: idOut(s.ownerEmployeeId),
        team_id: idOut(s.teamId),
        quote_id: s.quoteId,
        loss_reason: s.lossReason,
        expected_close_date: s.expectedCloseDate,
        archived_at: instantOut(s.archivedAt),
      };
    },
    decode: (row) => {
      const r = row as Record<string, unknown>;
      return {
        status: textIn<'active' | 'archived'>(r['state']) ?? 'active',
        opportunityId,
        leadId: idIn<Commercial.LeadId>(r['lead_id']) as Commercial.LeadId,
        qualificationId: idIn<Commercial.QualificationId>(r['qualification_id']),
        customerId: idIn<Crm.CompanyId>(r['customer_id']) as Crm.CompanyId,
        opportunityClass: textIn<Commercial.OpportunityClass>(r['opportunity_class']) ?? 'bronze',
        probabilityBp: (intIn(r['probability_bp']) ?? 0) as Commercial.OpportunityDetails['probabilityBp'],
        estimatedValue: {
          amountMinor: intIn(r['estimated_value_minor']) ?? 0,
          currency: textIn(r['currency']) as Commercial.OpportunityDetails['estimatedValue']['currency'],
        },
        ownerEmployeeId: idIn<Identity.EmployeeId>(r['owner_employee_id']),
        teamId: idIn<Identity.TeamId>(r['team_id']),
        stage: textIn<Commercial.OpportunityStage>(r['stage']) ?? 'open',
        quoteId: textIn(r['quote_id']),
        lossReason: textIn(r['loss_reason']),
        expectedCloseDate: textIn(r['expected_close_date']),
        archivedAt: instantIn(r['archived_at']),
      };
    },
  };
}

/** Every opportunity event carries `context.customerId` (the CRM company). */
const opportunityWithContext: Decider<
  State,
  Commercial.OpportunityCommand,
  Commercial.OpportunityEvent,
  Facts,
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
 * The opportunity command binding of one stream. `create` needs facts (see {@link changeOpportunity}).
 *
 * @example
 * ```ts
 * await workflow.execute(opportunityBinding(id), { streamId: id, command: { type: 'win', quoteId } });
 * ```
 */
export function opportunityBinding(
  opportunityId: Commercial.OpportunityId,
): AggregateBinding<
  State,
  Commercial.OpportunityCommand,
  Commercial.OpportunityEvent,
  Facts,
  Commercial.OpportunityRejection
> {
  return {
    definition: opportunityAggregate(opportunityId),
    decider: opportunityWithContext,
    commandSchema: Commercial.opportunityCommandSchema,
  };
}

/**
 * Only the CRM company's `state` column is read (the `company` stream type must map to the CRM
 * `companies` table, migration 0007, in the unit of work's `tables`).
 */
const companyPresence: AggregateDefinition<{ readonly status: 'absent' | 'active' | 'archived' }> = {
  streamType: 'company',
  initialState: () => ({ status: 'absent' }),
  encode: () => {
    throw new Error('the lead pipeline never writes companies');
  },
  decode: (row) => ({ status: (row as { state: 'active' | 'archived' }).state }),
};

/** The body of {@link changeOpportunity}: one command on the stream opportunityId names. */
async function runOpportunityCommand(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  opportunityId: Commercial.OpportunityId,
  command: Commercial.OpportunityCommand,
): Promise<Result<WorkflowOutcome<CommandOutcome<State>>, OpportunityWorkflowRejection>> {
  assertCommandRequest('opportunity command', 'opportunityId', opportunityId, command);
  assertSameId(
    'opportunity command',
    'opportunityId',
    opportunityId,
    command.type === 'create' ? command.opportunityId : undefined,
  );
  const at = runtime.clock.now();
  const stamped: Commercial.OpportunityCommand =
    command.type === 'archive' && command.at === undefined ? { ...command, at } : command;
  return runWorkflow<CommandOutcome<State>, OpportunityWorkflowRejection>(runtime, metadata, async (w) => {
    const done = await w.execute(opportunityBinding(opportunityId), {
      streamId: asUuid(opportunityId),
      command: stamped,
      loadFacts: async (scope): Promise<Facts> => {
        if (command.type !== 'create') return {};
        const lead = (await scope.aggregate(leadAggregate(command.leadId)).load(asUuid(command.leadId)))
          .state;
        const company = await scope.aggregate(companyPresence).load(asUuid(command.customerId));
        return {
          lead:
            lead.status === 'absent'
              ? { status: 'absent', opportunityClass: null, qualificationId: null }
              : {
                  status: lead.status,
                  opportunityClass: lead.opportunityClass,
                  qualificationId: lead.qualificationId,
                },
          customerExists: company.state.status === 'active',
        };
      },
    });
    if (!done.ok || command.type !== 'create') return done;
    // As `changeOpportunity` of @pet-ops/sql: the first opportunity converts the qualified lead, same unit.
    const leadStream = asUuid(command.leadId);
    const lead = (await w.scope.aggregate(leadAggregate(command.leadId)).load(leadStream)).state;
    if (lead.status !== 'qualified') return done;
    const converted = await w.execute(leadBinding(command.leadId), {
      streamId: leadStream,
      command: { type: 'convert', opportunityId, at },
    });
    return converted.ok ? done : err(converted.error);
  });
}

/** Either context may refuse an opportunity workflow (`create` also converts the lead). */
export type OpportunityWorkflowRejection = Commercial.OpportunityRejection | Commercial.LeadRejection;

/** An opportunity command and the stream it is for: what {@link changeOpportunity} takes. */
export interface OpportunityRequest {
  readonly opportunityId: Commercial.OpportunityId;
  readonly command: Commercial.OpportunityCommand;
}

/**
 * Runs one opportunity command in its own transaction. `create` loads the lead (it must be qualified;
 * the class is inherited from it) and the customer (an active CRM company) in the same transaction,
 * so neither can change underneath it.
 *
 * Every workflow takes the same shape, `fn(runtime, metadata, { <x>Id, command })`.
 *
 * @example
 * ```ts
 * await changeOpportunity(runtime, metadata, { opportunityId, command: { type: 'advance', to: 'proposal' } });
 * ```
 */
export function changeOpportunity(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  request: OpportunityRequest,
): Promise<Result<WorkflowOutcome<CommandOutcome<State>>, OpportunityWorkflowRejection>>;
/**
 * The positional form of {@link changeOpportunity}.
 *
 * @deprecated Pass one request instead, the shape of every workflow:
 * `changeOpportunity(runtime, metadata, { opportunityId, command })`. This form keeps working until the next major version.
 */
export function changeOpportunity(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  opportunityId: Commercial.OpportunityId,
  command: Commercial.OpportunityCommand,
): Promise<Result<WorkflowOutcome<CommandOutcome<State>>, OpportunityWorkflowRejection>>;
export function changeOpportunity(
  runtime: CommandRuntime,
  metadata: CommandMetadata,
  ...args: [OpportunityRequest] | [Commercial.OpportunityId, Commercial.OpportunityCommand]
): Promise<Result<WorkflowOutcome<CommandOutcome<State>>, OpportunityWorkflowRejection>> {
  if (args.length === 2) return runOpportunityCommand(runtime, metadata, args[0], args[1]);
  const request = args[0] as Partial<OpportunityRequest> | null | undefined;
  return runOpportunityCommand(
    runtime,
    metadata,
    request?.opportunityId as Commercial.OpportunityId,
    request?.command as Commercial.OpportunityCommand,
  );
}
