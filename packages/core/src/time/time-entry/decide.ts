import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import {
  type AdjustTimeEntry,
  type TimeEntryCommand,
  type TimeEntryEdit,
  type TimeEntryFacts,
  timeEntryCommandSchema,
} from './commands.js';
import { captureCommercialSnapshot } from './commercial.js';
import { entryMinutes } from './duration.js';
import type { TimeEntryAdjustedPayload, TimeEntryChanges, TimeEntryEvent } from './events.js';
import { checkLockPeriod } from './lock-period.js';
import type { TimeEntryRejection } from './rejections.js';
import {
  type AttestedTimeEntry,
  effectiveAttribution,
  netMinutes,
  type TimeEntryContent,
  type TimeEntryState,
} from './state.js';
import { checkWorkContext, type WorkAttribution, workContextRejection } from './work-context.js';

type Decision = Result<readonly TimeEntryEvent[], TimeEntryRejection>;

/** What an adjustment changes (the rest of its row is who, when and why). */
type AdjustmentRow = Pick<
  TimeEntryAdjustedPayload,
  'deltaMinutes' | 'newBillable' | 'newWorkType' | 'newTicketId' | 'newTaskId' | 'newBucketId'
>;
const NO_CHANGE: AdjustmentRow = {
  deltaMinutes: 0,
  newBillable: null,
  newWorkType: null,
  newTicketId: null,
  newTaskId: null,
  newBucketId: null,
};

function intervalProblem(start: string, end: string, minutes: number): TimeEntryRejection | undefined {
  return minutes > 0
    ? undefined
    : reject('TIME_ENTRY_INVALID_INTERVAL', 'the end must be after the start', { start, end, minutes });
}

function factsMissing(fact: string): TimeEntryRejection {
  return reject('TIME_ENTRY_FACTS_MISSING', `the application did not load the ${fact} fact`, { fact });
}

/** The changed draft fields only; `minutes` follows a changed start or end. */
function diff(current: TimeEntryContent, edit: TimeEntryEdit): TimeEntryChanges {
  const out: { -readonly [K in keyof TimeEntryChanges]: TimeEntryChanges[K] } = {};
  if (edit.start !== undefined && edit.start !== current.start) out.start = edit.start;
  if (edit.end !== undefined && edit.end !== current.end) out.end = edit.end;
  if (edit.description !== undefined && edit.description !== current.description)
    out.description = edit.description;
  if (edit.billable !== undefined && edit.billable !== current.billable) out.billable = edit.billable;
  if (edit.workType !== undefined && edit.workType !== current.workType) out.workType = edit.workType;
  if (edit.ticketId !== undefined && edit.ticketId !== current.ticketId) out.ticketId = edit.ticketId;
  if (edit.taskId !== undefined && edit.taskId !== current.taskId) out.taskId = edit.taskId;
  if (edit.bucketId !== undefined && edit.bucketId !== current.bucketId) out.bucketId = edit.bucketId;
  if (out.start !== undefined || out.end !== undefined) {
    const minutes = entryMinutes(out.start ?? current.start, out.end ?? current.end);
    if (minutes !== current.minutes) out.minutes = minutes;
  }
  return out;
}

function decideAdjust(command: AdjustTimeEntry, entry: AttestedTimeEntry, facts: TimeEntryFacts): Decision {
  if (entry.adjustments.some((a) => a.adjustmentId === command.adjustmentId))
    return err(
      reject('TIME_ENTRY_ADJUSTMENT_EXISTS', 'this adjustment was recorded already', {
        adjustmentId: command.adjustmentId,
      }),
    );
  if (command.reason.trim() === '')
    return err(reject('TIME_ENTRY_REASON_REQUIRED', 'every adjustment needs a reason'));
  const before = effectiveAttribution(entry);
  const net = netMinutes(entry);
  const noChange = (why: string) =>
    err(
      reject('TIME_ENTRY_ADJUSTMENT_NO_CHANGE', `the adjustment changes nothing: ${why}`, {
        netMinutes: net,
      }),
    );
  let row: AdjustmentRow = NO_CHANGE;
  const change = command.change;
  switch (change.kind) {
    case 'duration_delta':
    case 'reversal': {
      const delta = change.kind === 'reversal' ? -net : change.deltaMinutes;
      if (delta === 0) return noChange(change.kind === 'reversal' ? 'the net is already 0' : 'a zero delta');
      if (net + delta < 0)
        return err(
          reject('TIME_ENTRY_NET_NEGATIVE', 'net minutes (original + Σ deltas) may not drop below 0', {
            originalMinutes: entry.minutes,
            netMinutes: net,
            deltaMinutes: delta,
            netAfter: net + delta,
          }),
        );
      row = { ...row, deltaMinutes: delta };
      break;
    }
    case 'reclassify': {
      const billable = change.billable !== undefined && change.billable !== before.billable;
      const workType = change.workType !== undefined && change.workType !== before.workType;
      if (!billable && !workType) return noChange('the classification is the same');
      // The new classification must pass the same rule as at submit: admin time needs a bucket.
      if (workType && change.workType === 'admin' && before.bucketId === null)
        return err(
          reject('TIME_ENTRY_BUCKET_REQUIRED', 'non-project (admin) time needs an operational bucket', {
            workType: change.workType,
            failures: ['TIME_ENTRY_BUCKET_REQUIRED'],
          }),
        );
      row = {
        ...row,
        newBillable: billable ? (change.billable ?? null) : null,
        newWorkType: workType ? (change.workType ?? null) : null,
      };
      break;
    }
    case 'reattribute': {
      if (facts.workContext === undefined) return err(factsMissing('workContext'));
      const target: WorkAttribution = {
        billable: before.billable,
        workType: before.workType,
        ticketId: change.ticketId,
        taskId: change.taskId,
        bucketId: change.bucketId,
      };
      const checked = checkWorkContext(target, facts.workContext);
      if (!checked.ok) return err(workContextRejection(checked.error));
      const ticketId = checked.value.ticketId;
      if (
        ticketId === before.ticketId &&
        change.taskId === before.taskId &&
        change.bucketId === before.bucketId
      )
        return noChange('the attribution is the same');
      row = { ...row, newTicketId: ticketId, newTaskId: change.taskId, newBucketId: change.bucketId };
      break;
    }
  }
  if (facts.billing === undefined) return err(factsMissing('billing'));
  const adjusted: TimeEntryEvent = {
    type: 'time_entry.adjusted',
    payload: {
      adjustmentId: command.adjustmentId,
      timeEntryId: entry.timeEntryId,
      adjustmentType: change.kind,
      ...row,
      reason: command.reason.trim(),
      authorId: command.authorId,
      at: command.at,
    },
  };
  const invoiceRef = facts.billing.invoiceRef;
  if (invoiceRef === null) return ok([adjusted]);
  return ok([
    adjusted,
    {
      type: 'time_entry.reconciliation_required',
      payload: {
        timeEntryId: entry.timeEntryId,
        adjustmentId: command.adjustmentId,
        invoiceRef,
        deltaMinutes: row.deltaMinutes,
        billableBefore: before.billable === true,
        billableAfter: (row.newBillable ?? before.billable) === true,
        at: command.at,
      },
    },
  ]);
}

/**
 * Decides a time-entry command. Rules: end > start and duration = ⌈(end − start) / 60 s⌉; only the
 * owner edits and submits a draft; submission is an explicit attestation and passes the submit checks
 * (see {@link checkWorkContext}) and the lock-period check (fail closed); locking re-runs the checks
 * and freezes the commercial snapshot; submitted → draft and anything out of locked are refused;
 * corrections are adjustments on submitted or locked entries only, each with a reason, keeping
 * net = original + Σ deltas ≥ 0; an adjustment of an invoiced entry also asks billing to reconcile.
 *
 * @example
 * ```ts
 * const r = decideTimeEntry({ type: 'submit', actorId: owner, attest: true, at }, state, { workContext, lockPeriod });
 * if (!r.ok) console.log(r.error.code, r.error.details); // e.g. TIME_ENTRY_TICKET_ROLLUP
 * ```
 */
export function decideTimeEntry(
  command: TimeEntryCommand,
  state: TimeEntryState,
  facts: TimeEntryFacts | undefined,
): Decision {
  return checkedDecision(timeEntryCommandSchema, command, 'time entry command', () => {
    const f: TimeEntryFacts = facts ?? {};
    if (command.type === 'create') {
      if (state.status !== 'absent')
        return err(
          reject('TIME_ENTRY_ALREADY_EXISTS', 'the time entry exists already', { status: state.status }),
        );
      const minutes = entryMinutes(command.start, command.end);
      const problem = intervalProblem(command.start, command.end, minutes);
      if (problem !== undefined) return err(problem);
      return ok([
        {
          type: 'time_entry.created',
          payload: {
            timeEntryId: command.timeEntryId,
            employeeId: command.employeeId,
            start: command.start,
            end: command.end,
            minutes,
            description: command.description,
            billable: command.billable,
            workType: command.workType,
            ticketId: command.ticketId,
            taskId: command.taskId,
            bucketId: command.bucketId,
            createdAt: command.at,
          },
        },
      ]);
    }
    if (state.status === 'absent') return err(reject('TIME_ENTRY_NOT_FOUND', 'no such time entry'));
    switch (command.type) {
      case 'update':
      case 'submit': {
        if (state.status !== 'draft')
          return err(
            reject('TIME_ENTRY_NOT_DRAFT', 'a submitted entry is immutable: correct it with an adjustment', {
              status: state.status,
            }),
          );
        if (command.actorId !== state.employeeId)
          return err(
            reject('TIME_ENTRY_NOT_OWNER', 'only the owner may edit or submit a draft', {
              ownerId: state.employeeId,
              actorId: command.actorId,
            }),
          );
        if (command.type === 'update') {
          const changes = diff(state, command.changes);
          if (Object.keys(changes).length === 0) return ok([]);
          const start = changes.start ?? state.start;
          const end = changes.end ?? state.end;
          const problem = intervalProblem(start, end, entryMinutes(start, end));
          if (problem !== undefined) return err(problem);
          return ok([
            {
              type: 'time_entry.updated',
              payload: { timeEntryId: state.timeEntryId, changes, at: command.at },
            },
          ]);
        }
        if (!command.attest)
          return err(
            reject('TIME_ENTRY_ATTESTATION_REQUIRED', 'submitting attests the entry: it must be explicit'),
          );
        if (f.workContext === undefined) return err(factsMissing('workContext'));
        const checked = checkWorkContext(state, f.workContext);
        if (!checked.ok) return err(workContextRejection(checked.error));
        if (f.lockPeriod === undefined) return err(factsMissing('lockPeriod'));
        const period = checkLockPeriod(state.start, f.lockPeriod);
        if (!period.ok) return err(period.error);
        return ok([
          {
            type: 'time_entry.submitted',
            payload: {
              timeEntryId: state.timeEntryId,
              employeeId: state.employeeId,
              minutes: state.minutes,
              ticketId: checked.value.ticketId,
              projectId: checked.value.projectId,
              workDate: period.value,
              attestedBy: command.actorId,
              submittedAt: command.at,
            },
          },
        ]);
      }
      case 'lock': {
        if (state.status !== 'submitted')
          return err(
            reject('TIME_ENTRY_NOT_SUBMITTED', 'only a submitted entry can be locked', {
              status: state.status,
            }),
          );
        if (f.workContext === undefined) return err(factsMissing('workContext'));
        const attribution = effectiveAttribution(state);
        const checked = checkWorkContext(attribution, f.workContext);
        if (!checked.ok) return err(workContextRejection(checked.error));
        if (f.commercial === undefined) return err(factsMissing('commercial'));
        return ok([
          {
            type: 'time_entry.locked',
            payload: {
              timeEntryId: state.timeEntryId,
              ticketId: checked.value.ticketId,
              projectId: checked.value.projectId,
              lockedBy: command.lockedBy,
              lockedAt: command.at,
              commercial: captureCommercialSnapshot(
                attribution.billable === true,
                netMinutes(state),
                f.commercial,
              ),
            },
          },
        ]);
      }
      case 'reopen':
        if (state.status === 'draft') return ok([]);
        return err(
          reject(
            'TIME_ENTRY_REOPEN_FORBIDDEN',
            'an attested entry never returns to draft: adjust it instead',
            {
              status: state.status,
            },
          ),
        );
      case 'adjust':
        if (state.status === 'draft')
          return err(
            reject(
              'TIME_ENTRY_NOT_ADJUSTABLE',
              'only submitted or locked entries are adjusted (edit the draft)',
              {
                status: state.status,
              },
            ),
          );
        return decideAdjust(command, state, f);
    }
  });
}
