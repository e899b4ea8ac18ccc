import {
  type AggregateBinding,
  type AggregateDefinition,
  type CommandMetadata,
  type CommandOutcome,
  type CommandRuntime,
  Commercial,
  err,
  ok,
  type Result,
  runWorkflow,
  type WorkflowOutcome,
} from '@pet-ops/core';
import { leadAggregate, leadBinding } from './leads.js';
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

type State = Commercial.QualificationState;
type Facts = Commercial.QualificationFacts | undefined;

/**
 * The `qualification` aggregate of stream `qualificationId` on its state table `qualifications`
 * (migration 0022).
 *
 * @example
 * ```ts
 * const { state } = await scope.aggregate(qualificationAggregate(id)).load(id);
 * ```
 */
export function qualificationAggregate(
  qualificationId: Commercial.QualificationId,
): AggregateDefinition<State> {
  return {
    streamType: Commercial.QUALIFICATION_STREAM_TYPE,
    initialState: Commercial.initialQualificationState,
    encode: (s) => {
      if (s.status === 'absent') throw new Error('an absent qualification is never saved');
      return {
        state: s.status,
        lead_id: idOut(s.leadId),
        outcome: s.outcome,
        opportunity_class: s.opportunityClass,
        disqualification_reason: s.reason,
        malleable_schema_version: s.schemaVersion,
        malleable_data: s.data,
        started_at: instantOut(s.startedAt),
        completed_at: instantOut(s.completedAt),
      };
    },
    decode: (row) => {
      const r = row as Record<string, unknown>;
      return {
        status: textIn<Commercial.QualificationStatus>(r['state']) ?? 'started',
        qualificationId,
        leadId: idIn<Commercial.LeadId>(r['lead_id']) as Commercial.LeadId,
        schemaVersion: intIn(r['malleable_schema_version']),
        data: jsonIn<Record<string, unknown>>(r['malleable_data']),
        outcome: textIn<Commercial.QualificationOutcome>(r['outcome']),
        opportunityClass: textIn<Commercial.OpportunityClass>(r['opportunity_class']),
        reason: textIn(r['disqualification_reason']),
        startedAt: instantIn(r['started_at']),
        completedAt: instantIn(r['completed_at']),
      };
    },
  };
}

/**
 * The qualification command binding of one stream; facts come from the workflows below.
 *
 * @example
 * ```ts
 * await workflow.execute(qualificationBinding(id), { streamId: id, command: { type: 'archive' } });
 * ```
 */
export function qualificationBinding(
  qualificationId: Commercial.QualificationId,
): AggregateBinding<
  State,
  Commercial.QualificationCommand,
  Commercial.QualificationEvent,
  Facts,
  Commercial.QualificationRejection
> {
  return {
    definition: qualificationAggregate(qualificationId),
    decider: Commercial.qualificationDecider,
    commandSchema: Commercial.qualificationCommandSchema,
  };
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

/** What a completed qualification workflow returns: the qualification after the command. */
export type QualificationWorkflowResult = Result<
  WorkflowOutcome<CommandOutcome<State>>,
  QualificationWorkflowRejection
>;

/**
 * Runs one qualification command in one transaction with the cross-aggregate rules:
 * - `start` loads the lead (it must be open) and the active schema version;
 * - `change_data` validates against the qualification's own schema version;
 * - `complete` validates the required fields, then qualifies the lead (with the class) or disqualifies
 *   and archives it (with the reason) — all or nothing: if the lead refuses (e.g. decided by another
 *   qualification meanwhile) nothing is written and the lead's rejection is returned.
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
  const shaped = request as Partial<QualificationRequest> | null | undefined;
  assertCommandRequest('qualification command', 'qualificationId', shaped?.qualificationId, shaped?.command);
  const { qualificationId, command, schemaId } = request;
  assertSameId(
    'qualification command',
    'qualificationId',
    qualificationId,
    command.type === 'start' ? command.qualificationId : undefined,
  );
  const streamId = asUuid(qualificationId);
  const at = runtime.clock.now();
  const stamped: Commercial.QualificationCommand =
    (command.type === 'start' || command.type === 'complete') && command.at === undefined
      ? { ...command, at }
      : command;
  return runWorkflow<CommandOutcome<State>, QualificationWorkflowRejection>(runtime, metadata, async (w) => {
    const done = await w.execute(qualificationBinding(qualificationId), {
      streamId,
      command: stamped,
      loadFacts: async (scope, loaded) => {
        const facts: {
          leadStatus?: Commercial.LeadStatus | 'absent';
          schema?: Commercial.MalleableSchemaVersion | null;
          active?: Commercial.MalleableSchemaVersion | null;
        } = {};
        if (command.type === 'start') {
          const lead = await scope.aggregate(leadAggregate(command.leadId)).load(asUuid(command.leadId));
          facts.leadStatus = lead.state.status;
        }
        const version =
          command.type === 'start'
            ? command.schemaVersion
            : loaded.state.status === 'absent'
              ? null
              : loaded.state.schemaVersion;
        if (version !== null && schemaId !== undefined && command.type !== 'archive') {
          const loaded = await loadSchemaFacts(scope, schemaId, version);
          facts.schema = loaded.schema;
          facts.active = loaded.active;
        }
        return facts;
      },
    });
    if (!done.ok || command.type !== 'complete') return done;
    const q = done.value.state;
    if (q.status === 'absent' || q.outcome === null) return done;
    const lead = leadBinding(q.leadId);
    const leadStream = asUuid(q.leadId);
    const decided = await w.execute(lead, {
      streamId: leadStream,
      command:
        q.outcome === 'qualified'
          ? { type: 'qualify', qualificationId, opportunityClass: q.opportunityClass ?? 'bronze', at }
          : { type: 'disqualify', qualificationId, reason: q.reason ?? '', at },
    });
    if (!decided.ok) return err(decided.error);
    if (q.outcome === 'disqualified') {
      // Spec §2.7: disqualified ⇒ the lead is archived too.
      const archived = await w.execute(lead, { streamId: leadStream, command: { type: 'archive', at } });
      if (!archived.ok) return err(archived.error);
    }
    return ok(done.value);
  });
}
