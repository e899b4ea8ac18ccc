import { type Decider, err, type Instant, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import type { LeadStatus } from '../lead/decider.js';
import type { LeadId, OpportunityClass, QualificationId } from '../lead/events.js';
import { checkMalleable } from '../schema/binding.js';
import type { MalleableSchemaVersion } from '../schema/decider.js';
import { type QualificationCommand, qualificationCommandSchema } from './commands.js';
import type { QualificationEvent, QualificationOutcome } from './events.js';
import type { QualificationRejection } from './rejections.js';

/** Qualification states (spec §2.7): started → completed → archived. */
export type QualificationStatus = 'started' | 'completed' | 'archived';

/** An existing qualification. */
export interface QualificationDetails {
  readonly status: QualificationStatus;
  readonly qualificationId: QualificationId;
  readonly leadId: LeadId;
  readonly schemaVersion: number | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly outcome: QualificationOutcome | null;
  readonly opportunityClass: OpportunityClass | null;
  readonly reason: string | null;
  /** When it started (null when its start event recorded no instant). */
  readonly startedAt: Instant | null;
  /** When it completed (null until then, or when not recorded). */
  readonly completedAt: Instant | null;
}

/** A qualification's state. */
export type QualificationState = { readonly status: 'absent' } | QualificationDetails;

/**
 * Facts for qualification commands: the lead's status (for `start`) and the qualification's schema
 * version (whenever malleable data is written or the qualification completes).
 */
export interface QualificationFacts {
  readonly leadStatus?: LeadStatus | 'absent';
  readonly schema?: MalleableSchemaVersion | null;
  /** The schema's active version, when data of a qualification on a historical version changes. */
  readonly active?: MalleableSchemaVersion | null;
}

/**
 * The malleable entity type of qualifications.
 *
 * @example `{ type: 'create_draft', schemaId, entityType: QUALIFICATION_ENTITY_TYPE, fields }`
 */
export const QUALIFICATION_ENTITY_TYPE = 'qualification';

/** The state before any event. @example `initialQualificationState()` → `{ status: 'absent' }` */
export function initialQualificationState(): QualificationState {
  return { status: 'absent' };
}

/**
 * Folds one event into a qualification's state.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveQualification, initialQualificationState());
 * ```
 */
export function evolveQualification(
  state: QualificationState,
  event: QualificationEvent,
): QualificationState {
  switch (event.type) {
    case 'qualification.started':
      return state.status === 'absent'
        ? {
            status: 'started',
            qualificationId: event.payload.qualificationId,
            leadId: event.payload.leadId,
            schemaVersion: event.payload.schemaVersion ?? null,
            data: event.payload.data ?? {},
            outcome: null,
            opportunityClass: null,
            reason: null,
            startedAt: event.payload.at ?? null,
            completedAt: null,
          }
        : state;
    case 'qualification.data_changed':
      return state.status === 'started' ? { ...state, data: event.payload.data } : state;
    case 'qualification.completed':
      return state.status === 'started'
        ? {
            ...state,
            status: 'completed',
            outcome: event.payload.outcome,
            opportunityClass: event.payload.opportunityClass,
            reason: event.payload.reason,
            completedAt: event.payload.at ?? null,
          }
        : state;
    case 'qualification.archived':
      return state.status === 'completed' ? { ...state, status: 'archived' } : state;
  }
}

type Decision = Result<readonly QualificationEvent[], QualificationRejection>;

function malleable(
  version: number | null,
  facts: QualificationFacts | undefined,
  data: Readonly<Record<string, unknown>>,
  mustBeActive: boolean,
  requireAll: boolean,
  before?: Readonly<Record<string, unknown>>,
): QualificationRejection | null {
  const c = checkMalleable({
    entityType: QUALIFICATION_ENTITY_TYPE,
    version,
    schema: facts?.schema,
    data,
    mustBeActive,
    requireAll,
    ...(before === undefined ? {} : { before, active: facts?.active }),
  });
  if (c === null) return null;
  switch (c.problem) {
    case 'schema':
      return reject('QUALIFICATION_SCHEMA_MISMATCH', c.rule, { schemaVersion: version });
    case 'data':
      return reject('QUALIFICATION_DATA_INVALID', 'the malleable data breaks the schema version', {
        schemaVersion: version,
        issues: c.issues,
      });
    case 'deprecated':
      return reject(
        'QUALIFICATION_FIELD_DEPRECATED',
        'fields the active schema version dropped are read-only',
        { schemaVersion: version, issues: c.issues },
      );
  }
}

/**
 * Decides a qualification command. Rules (spec §2.7): starts only on an open lead; data may be
 * incomplete while started; completion is explicit, needs every required field, and sets either a
 * class (qualified) or a reason (disqualified); completed is immutable; only completed is archived.
 * The lead's own transition happens in the same transaction (see the MySQL `completeQualification`
 * workflow).
 *
 * @example
 * ```ts
 * decideQualification({ type: 'complete', outcome: 'qualified', opportunityClass: 'gold', reason: null }, state, { schema });
 * ```
 */
export function decideQualification(
  command: QualificationCommand,
  state: QualificationState,
  facts?: QualificationFacts,
): Decision {
  return checkedDecision(qualificationCommandSchema, command, 'qualification command', () => {
    if (command.type === 'start') {
      if (state.status !== 'absent') {
        return err(reject('QUALIFICATION_ALREADY_EXISTS', 'the qualification exists already'));
      }
      if (facts?.leadStatus !== 'created') {
        return err(
          reject('QUALIFICATION_LEAD_NOT_OPEN', 'only an open lead can be qualified', {
            leadId: command.leadId,
            leadStatus: facts?.leadStatus ?? 'absent',
          }),
        );
      }
      const bad = malleable(command.schemaVersion, facts, command.data, true, false);
      if (bad !== null) return err(bad);
      return ok([
        {
          type: 'qualification.started',
          payload: {
            qualificationId: command.qualificationId,
            leadId: command.leadId,
            schemaVersion: command.schemaVersion,
            data: command.data,
            ...(command.at === undefined ? {} : { at: command.at }),
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('QUALIFICATION_NOT_FOUND', 'no such qualification'));
    if (state.status === 'archived') {
      return err(reject('QUALIFICATION_ARCHIVED', 'an archived qualification cannot change'));
    }
    if (command.type === 'archive') {
      if (state.status !== 'completed') {
        return err(reject('QUALIFICATION_NOT_COMPLETED', 'complete the qualification before archiving it'));
      }
      return ok([{ type: 'qualification.archived', payload: { qualificationId: state.qualificationId } }]);
    }
    if (state.status === 'completed') {
      return err(
        reject('QUALIFICATION_COMPLETED', 'a completed qualification is immutable', {
          outcome: state.outcome,
        }),
      );
    }
    if (command.type === 'change_data') {
      if (JSON.stringify(command.data) === JSON.stringify(state.data)) return ok([]);
      const bad = malleable(state.schemaVersion, facts, command.data, false, false, state.data);
      if (bad !== null) return err(bad);
      return ok([
        {
          type: 'qualification.data_changed',
          payload: { qualificationId: state.qualificationId, data: command.data },
        },
      ]);
    }
    const qualified = command.outcome === 'qualified';
    const reason =
      command.reason === null ? null : command.reason.trim() === '' ? null : command.reason.trim();
    if (qualified !== (command.opportunityClass !== null)) {
      return err(
        reject('QUALIFICATION_CLASS_REQUIRED', 'a qualified outcome sets a class; a disqualified one none', {
          outcome: command.outcome,
        }),
      );
    }
    if (qualified === (reason !== null)) {
      return err(
        reject(
          'QUALIFICATION_REASON_REQUIRED',
          'a disqualified outcome needs a reason; a qualified one none',
          {
            outcome: command.outcome,
          },
        ),
      );
    }
    const bad = malleable(state.schemaVersion, facts, state.data, false, true);
    if (bad !== null) return err(bad);
    return ok([
      {
        type: 'qualification.completed',
        payload: {
          qualificationId: state.qualificationId,
          leadId: state.leadId,
          outcome: command.outcome,
          opportunityClass: command.opportunityClass,
          reason,
          ...(command.at === undefined ? {} : { at: command.at }),
        },
      },
    ]);
  });
}

/**
 * The qualification aggregate as a decider (stream type `qualification`).
 *
 * @example
 * ```ts
 * DeciderSpecification.for(qualificationDecider).given([started]).when(complete, { schema }).then([completed]);
 * ```
 */
export const qualificationDecider: Decider<
  QualificationState,
  QualificationCommand,
  QualificationEvent,
  QualificationFacts | undefined,
  QualificationRejection
> = {
  initialState: initialQualificationState,
  decide: decideQualification,
  evolve: evolveQualification,
};
