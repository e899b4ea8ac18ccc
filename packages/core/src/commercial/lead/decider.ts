import type { CompanyId } from '../../crm/ids.js';
import type { EmployeeId, TeamId } from '../../identity/ids.js';
import { type Decider, err, type Instant, type Money, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { checkMalleable } from '../schema/binding.js';
import type { MalleableSchemaVersion } from '../schema/decider.js';
import { type LeadCommand, leadCommandSchema } from './commands.js';
import type { LeadChanges, LeadEvent, LeadId, OpportunityClass, QualificationId } from './events.js';
import type { LeadRejection } from './rejections.js';

/**
 * Lead states (spec §2.5): created → qualified | disqualified; qualified → converted (the first
 * opportunity created from it) → archived; qualified → archived; disqualified → archived.
 */
export type LeadStatus = 'created' | 'qualified' | 'converted' | 'disqualified' | 'archived';

/** An existing lead. */
export interface LeadDetails {
  readonly status: LeadStatus;
  readonly leadId: LeadId;
  readonly source: string;
  readonly subject: string;
  readonly description: string | null;
  readonly customerId: CompanyId | null;
  readonly ownerEmployeeId: EmployeeId | null;
  readonly teamId: TeamId | null;
  /** The malleable schema version the lead was created with; never changes. */
  readonly schemaVersion: number | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly qualificationId: QualificationId | null;
  readonly opportunityClass: OpportunityClass | null;
  readonly disqualificationReason: string | null;
  /** The estimated deal value (minor units), when known. */
  readonly estimatedValue: Money | null;
  /** The employee who captured the lead (null when not recorded). */
  readonly createdByEmployeeId: EmployeeId | null;
  /** When the lead last changed (null until an event records an instant: events before it carry none). */
  readonly updatedAt: Instant | null;
  /** When the first opportunity converted it (null otherwise, or when not recorded). */
  readonly convertedAt: Instant | null;
  /** When it was archived (null otherwise, or when not recorded). */
  readonly archivedAt: Instant | null;
}

/** A lead's state. */
export type LeadState = { readonly status: 'absent' } | LeadDetails;

/**
 * Facts for lead commands: the lead's malleable schema version, when data is created or changed, and
 * the schema's active version when data of a lead on a historical version changes (its dropped fields
 * are read-only).
 */
export interface LeadFacts {
  readonly schema?: MalleableSchemaVersion | null;
  readonly active?: MalleableSchemaVersion | null;
}

/**
 * The malleable entity type of leads.
 *
 * @example `{ type: 'create_draft', schemaId, entityType: LEAD_ENTITY_TYPE, fields }`
 */
export const LEAD_ENTITY_TYPE = 'lead';

/** The state before any event. @example `initialLeadState()` → `{ status: 'absent' }` */
export function initialLeadState(): LeadState {
  return { status: 'absent' };
}

/**
 * Folds one event into a lead's state; an event that does not fit leaves it unchanged.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveLead, initialLeadState());
 * ```
 */
export function evolveLead(state: LeadState, event: LeadEvent): LeadState {
  switch (event.type) {
    case 'lead.created': {
      if (state.status !== 'absent') return state;
      const p = event.payload;
      return {
        status: 'created',
        leadId: p.leadId,
        source: p.source,
        subject: p.subject ?? '',
        description: p.description ?? null,
        customerId: p.customerId,
        ownerEmployeeId: p.ownerEmployeeId,
        teamId: p.teamId,
        schemaVersion: p.schemaVersion,
        data: p.data ?? {},
        qualificationId: null,
        opportunityClass: null,
        disqualificationReason: null,
        estimatedValue: p.estimatedValue ?? null,
        createdByEmployeeId: p.createdByEmployeeId ?? null,
        updatedAt: p.at ?? null,
        convertedAt: null,
        archivedAt: null,
      };
    }
    case 'lead.updated':
      return state.status === 'created'
        ? { ...state, ...event.payload.changes, updatedAt: event.payload.at ?? state.updatedAt }
        : state;
    case 'lead.qualified':
      return state.status === 'created'
        ? {
            ...state,
            status: 'qualified',
            qualificationId: event.payload.qualificationId,
            opportunityClass: event.payload.opportunityClass,
            updatedAt: event.payload.at ?? state.updatedAt,
          }
        : state;
    case 'lead.disqualified':
      return state.status === 'created'
        ? {
            ...state,
            status: 'disqualified',
            qualificationId: event.payload.qualificationId,
            disqualificationReason: event.payload.reason,
            updatedAt: event.payload.at ?? state.updatedAt,
          }
        : state;
    case 'lead.converted':
      return state.status === 'qualified'
        ? {
            ...state,
            status: 'converted',
            convertedAt: event.payload.at ?? null,
            updatedAt: event.payload.at ?? state.updatedAt,
          }
        : state;
    case 'lead.archived':
      return state.status === 'qualified' || state.status === 'converted' || state.status === 'disqualified'
        ? {
            ...state,
            status: 'archived',
            archivedAt: event.payload.at ?? null,
            updatedAt: event.payload.at ?? state.updatedAt,
          }
        : state;
  }
}

/** `{ at }` when the command carries an instant, else nothing (events before it carry none). */
const stamp = (at: Instant | undefined): { at?: Instant } => (at === undefined ? {} : { at });

type Decision = Result<readonly LeadEvent[], LeadRejection>;

function malleable(
  version: number | null,
  facts: LeadFacts | undefined,
  data: Readonly<Record<string, unknown>>,
  before?: Readonly<Record<string, unknown>>,
): LeadRejection | null {
  const c = checkMalleable({
    entityType: LEAD_ENTITY_TYPE,
    version,
    schema: facts?.schema,
    data,
    mustBeActive: before === undefined,
    ...(before === undefined ? {} : { before, active: facts?.active }),
  });
  if (c === null) return null;
  switch (c.problem) {
    case 'schema':
      return reject('LEAD_SCHEMA_MISMATCH', c.rule, { schemaVersion: version });
    case 'data':
      return reject('LEAD_DATA_INVALID', 'the malleable data breaks the schema version', {
        schemaVersion: version,
        issues: c.issues,
      });
    case 'deprecated':
      return reject('LEAD_FIELD_DEPRECATED', 'fields the active schema version dropped are read-only', {
        schemaVersion: version,
        issues: c.issues,
      });
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Decides a lead command. Rules (spec §2.5): source and subject are required; a lead is editable only
 * while `created`; qualify and disqualify only from `created` (so never disqualified → qualified);
 * disqualification needs a reason; only a qualified lead converts (the first opportunity created from
 * it); only a decided lead (qualified, converted or disqualified) is archived; nothing leaves archived;
 * an instant given as `at` is recorded (`updatedAt`, `convertedAt`, `archivedAt`); malleable
 * data is validated against the lead's own schema version (given as facts; new leads bind to the
 * active version), and fields the active version dropped are read-only (scenario 6).
 *
 * @example
 * ```ts
 * decideLead({ type: 'disqualify', qualificationId, reason: 'no budget' }, state, {});
 * ```
 */
export function decideLead(command: LeadCommand, state: LeadState, facts?: LeadFacts): Decision {
  return checkedDecision(leadCommandSchema, command, 'lead command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') return err(reject('LEAD_ALREADY_EXISTS', 'the lead exists already'));
      const source = command.source.trim();
      const subject = command.subject.trim();
      if (source === '') return err(reject('LEAD_SOURCE_REQUIRED', 'a lead needs a source'));
      if (subject === '') return err(reject('LEAD_SUBJECT_REQUIRED', 'a lead needs a subject'));
      const bad = malleable(command.schemaVersion, facts, command.data);
      if (bad !== null) return err(bad);
      return ok([
        {
          type: 'lead.created',
          payload: {
            leadId: command.leadId,
            source,
            customerId: command.customerId,
            ownerEmployeeId: command.ownerEmployeeId,
            teamId: command.teamId,
            schemaVersion: command.schemaVersion,
            subject,
            description: command.description,
            data: command.data,
            ...(command.estimatedValue === undefined || command.estimatedValue === null
              ? {}
              : { estimatedValue: command.estimatedValue }),
            ...(command.createdByEmployeeId === undefined || command.createdByEmployeeId === null
              ? {}
              : { createdByEmployeeId: command.createdByEmployeeId }),
            ...stamp(command.at),
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('LEAD_NOT_FOUND', 'no such lead'));
    if (state.status === 'archived') return err(reject('LEAD_ARCHIVED', 'an archived lead cannot change'));
    switch (command.type) {
      case 'update': {
        if (state.status !== 'created') {
          return err(
            reject('LEAD_NOT_EDITABLE', 'a lead is editable only until it is decided', {
              status: state.status,
            }),
          );
        }
        const r = command.changes;
        const changes: { -readonly [K in keyof LeadChanges]: LeadChanges[K] } = {};
        if (r.source !== undefined) {
          const source = r.source.trim();
          if (source === '') return err(reject('LEAD_SOURCE_REQUIRED', 'a lead needs a source'));
          if (source !== state.source) changes.source = source;
        }
        if (r.subject !== undefined) {
          const subject = r.subject.trim();
          if (subject === '') return err(reject('LEAD_SUBJECT_REQUIRED', 'a lead needs a subject'));
          if (subject !== state.subject) changes.subject = subject;
        }
        if (r.description !== undefined && r.description !== state.description)
          changes.description = r.description;
        if (r.customerId !== undefined && r.customerId !== state.customerId)
          changes.customerId = r.customerId;
        if (r.ownerEmployeeId !== undefined && r.ownerEmployeeId !== state.ownerEmployeeId) {
          changes.ownerEmployeeId = r.ownerEmployeeId;
        }
        if (r.teamId !== undefined && r.teamId !== state.teamId) changes.teamId = r.teamId;
        if (r.data !== undefined && !same(r.data, state.data)) {
          const bad = malleable(state.schemaVersion, facts, r.data, state.data);
          if (bad !== null) return err(bad);
          changes.data = r.data;
        }
        if (r.estimatedValue !== undefined && !same(r.estimatedValue, state.estimatedValue)) {
          changes.estimatedValue = r.estimatedValue;
        }
        if (Object.keys(changes).length === 0) return ok([]);
        return ok([
          { type: 'lead.updated', payload: { leadId: state.leadId, changes, ...stamp(command.at) } },
        ]);
      }
      case 'qualify':
        if (state.status !== 'created') {
          return err(
            reject('LEAD_ALREADY_DECIDED', 'only an open lead can be qualified', { status: state.status }),
          );
        }
        return ok([
          {
            type: 'lead.qualified',
            payload: {
              leadId: state.leadId,
              qualificationId: command.qualificationId,
              opportunityClass: command.opportunityClass,
              ...stamp(command.at),
            },
          },
        ]);
      case 'disqualify': {
        if (state.status !== 'created') {
          return err(
            reject('LEAD_ALREADY_DECIDED', 'only an open lead can be disqualified', { status: state.status }),
          );
        }
        const reason = command.reason.trim();
        if (reason === '') {
          return err(reject('LEAD_DISQUALIFICATION_REASON_REQUIRED', 'disqualification needs a reason'));
        }
        return ok([
          {
            type: 'lead.disqualified',
            payload: {
              leadId: state.leadId,
              qualificationId: command.qualificationId,
              reason,
              ...stamp(command.at),
            },
          },
        ]);
      }
      case 'convert':
        if (state.status !== 'qualified') {
          return err(
            reject('LEAD_NOT_QUALIFIED', 'only a qualified lead converts', { status: state.status }),
          );
        }
        return ok([
          {
            type: 'lead.converted',
            payload: { leadId: state.leadId, opportunityId: command.opportunityId, ...stamp(command.at) },
          },
        ]);
      case 'archive':
        if (state.status === 'created') {
          return err(reject('LEAD_NOT_DECIDED', 'qualify or disqualify the lead before archiving it'));
        }
        return ok([{ type: 'lead.archived', payload: { leadId: state.leadId, ...stamp(command.at) } }]);
    }
  });
}

/**
 * The lead aggregate as a decider (stream type `lead`); facts: the lead's schema version when
 * malleable data is created or changed.
 *
 * @example
 * ```ts
 * DeciderSpecification.for(leadDecider).given([]).when(createLead, { schema: v1 }).then([leadCreated]);
 * ```
 */
export const leadDecider: Decider<LeadState, LeadCommand, LeadEvent, LeadFacts | undefined, LeadRejection> = {
  initialState: initialLeadState,
  decide: decideLead,
  evolve: evolveLead,
};
