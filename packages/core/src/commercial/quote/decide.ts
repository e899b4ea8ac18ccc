import { err, ok, type Result, reject } from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import { type QuoteCommand, quoteCommandSchema } from './commands.js';
import type { QuoteEvent } from './events.js';
import { versionTotals } from './model.js';
import {
  approvalTriggers,
  DEFAULT_QUOTE_POLICY,
  lineProblem,
  type QuoteFacts,
  readinessProblems,
  scheduleProblem,
} from './policy.js';
import type { QuoteRejection } from './rejections.js';
import { currentVersion, type QuoteDetails, type QuoteState } from './state.js';

type Decision = Result<readonly QuoteEvent[], QuoteRejection>;

const no = (code: QuoteRejection['code'], message: string, details?: Record<string, unknown>): Decision =>
  err(reject(code, message, details));

/**
 * Decides a quote command. Rules: only the current **draft** version's content changes (a sent version is
 * frozen; `revise` makes a new draft and supersedes it); `send` passes the readiness gate and, when an
 * approval trigger fires, needs an approval of the current content; `accept` needs the current sent
 * version, its validity and a schedule that settles the total to the minor unit, and fires the due
 * events of undated payment items once; accepted and rejected quotes are immutable.
 *
 * @example
 * ```ts
 * decideQuote({ type: 'send' }, state, { policy: DEFAULT_QUOTE_POLICY });
 * ```
 */
export function decideQuote(command: QuoteCommand, state: QuoteState, facts?: QuoteFacts): Decision {
  return checkedDecision(quoteCommandSchema, command, 'quote command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') return no('QUOTE_ALREADY_EXISTS', 'the quote exists already');
      return ok([
        {
          type: 'quote.created',
          payload: {
            quoteId: command.quoteId,
            quoteNumber: command.quoteNumber,
            opportunityId: command.opportunityId,
            customerId: command.customerId,
            currency: command.currency,
            version: 1,
            title: command.title,
            validUntil: command.validUntil,
            parentQuoteId: command.parentQuoteId,
            supersedesQuoteId: command.supersedesQuoteId,
          },
        },
      ]);
    }
    if (state.status === 'absent') return no('QUOTE_NOT_FOUND', 'no such quote');
    if (state.status === 'accepted') {
      if (command.type === 'release_due_items') return releaseDue(state, command.asOf);
      return no('QUOTE_ACCEPTED', 'an accepted quote is immutable; correct it with a delta or a clone', {
        quoteNumber: state.quoteNumber,
        acceptedVersion: state.acceptance?.version,
      });
    }
    if (state.status === 'rejected') return no('QUOTE_REJECTED', 'a rejected quote is final');
    if (command.type === 'release_due_items') return no('QUOTE_NOT_ACCEPTED', 'the quote is not accepted');
    const policy = facts?.policy ?? DEFAULT_QUOTE_POLICY;
    const v = currentVersion(state);
    const quoteId = state.quoteId;
    const base = { quoteId, version: v.version };

    switch (command.type) {
      case 'revise': {
        if (v.state !== 'sent' && v.state !== 'expired')
          return no('QUOTE_NOT_SENT', 'only a sent or expired version is revised');
        const next = v.version + 1;
        return ok([
          { type: 'quote.version_created', payload: { quoteId, version: next, basedOn: v.version } },
          { type: 'quote.superseded', payload: { ...base, supersededBy: next } },
        ]);
      }
      case 'reject': {
        if (v.state !== 'sent') return no('QUOTE_NOT_SENT', 'only a sent version can be rejected');
        const reason = command.reason.trim();
        if (reason === '') return no('QUOTE_REASON_REQUIRED', 'a rejection needs a reason');
        return ok([{ type: 'quote.rejected', payload: { ...base, reason } }]);
      }
      case 'expire':
        if (v.state !== 'sent') return no('QUOTE_NOT_SENT', 'only a sent version expires');
        if (v.validUntil === null || command.asOf <= v.validUntil) {
          return no('QUOTE_NOT_EXPIRED', 'the version is still valid', { validUntil: v.validUntil });
        }
        return ok([{ type: 'quote.expired', payload: { ...base, asOf: command.asOf } }]);
      case 'accept':
        return accept(state, command);
      default:
        break;
    }
    // Content changes, approval and send need a draft.
    if (v.state !== 'draft') {
      return no('QUOTE_VERSION_LOCKED', `version ${v.version} is ${v.state}; revise it to change it`, {
        version: v.version,
      });
    }
    const lineIds = new Set(v.groups.flatMap((g) => g.lines.map((l) => l.lineId)));
    switch (command.type) {
      case 'change_details': {
        const changes: { title?: string; validUntil?: string | null } = {};
        if (command.title !== undefined && command.title.trim() !== v.title)
          changes.title = command.title.trim();
        if (command.validUntil !== undefined && command.validUntil !== v.validUntil) {
          changes.validUntil = command.validUntil;
        }
        return ok(
          Object.keys(changes).length === 0
            ? []
            : [{ type: 'quote.details_changed', payload: { ...base, ...changes } }],
        );
      }
      case 'add_group': {
        if (v.groups.some((g) => g.groupId === command.groupId)) {
          return no('QUOTE_DUPLICATE_ID', 'the group id is in use', { groupId: command.groupId });
        }
        if ((command.kind === 'recurring') !== (command.recurring !== null)) {
          return no('QUOTE_GROUP_INVALID', 'recurring groups, and only they, have recurring terms', {
            kind: command.kind,
          });
        }
        const { groupId, kind, title, recurring } = command;
        return ok([
          {
            type: 'quote.group_added',
            payload: { ...base, group: { groupId, kind, title: title.trim(), recurring } },
          },
        ]);
      }
      case 'add_line': {
        const group = v.groups.find((g) => g.groupId === command.groupId);
        if (group === undefined)
          return no('QUOTE_GROUP_NOT_FOUND', 'no such group', { groupId: command.groupId });
        if (lineIds.has(command.line.lineId)) {
          return no('QUOTE_DUPLICATE_ID', 'the line id is in use', { lineId: command.line.lineId });
        }
        const problem = lineProblem(command.line, group, state.currency);
        if (problem !== null) return no('QUOTE_LINE_INVALID', problem, { lineId: command.line.lineId });
        return ok([
          { type: 'quote.line_added', payload: { ...base, groupId: group.groupId, line: command.line } },
        ]);
      }
      case 'remove_line':
        if (!lineIds.has(command.lineId))
          return no('QUOTE_LINE_NOT_FOUND', 'no such line', { lineId: command.lineId });
        return ok([{ type: 'quote.line_removed', payload: { ...base, lineId: command.lineId } }]);
      case 'define_payment_schedule': {
        const items = command.items;
        if (items.length === 0) return no('QUOTE_SCHEDULE_INVALID', 'a schedule needs at least one item');
        if (new Set(items.map((i) => i.itemId)).size !== items.length) {
          return no('QUOTE_DUPLICATE_ID', 'payment item ids must be unique');
        }
        const bad = items.find((i) => i.amount.currency !== state.currency || i.amount.amountMinor <= 0);
        if (bad !== undefined) {
          return no('QUOTE_SCHEDULE_INVALID', `every amount must be positive and in ${state.currency}`, {
            itemId: bad.itemId,
          });
        }
        const total = versionTotals(v.groups, state.currency).sell;
        return ok([{ type: 'quote.payment_schedule_defined', payload: { ...base, total, items } }]);
      }
      case 'approve':
        return ok([
          {
            type: 'quote.approved',
            payload: {
              ...base,
              approverEmployeeId: command.approverEmployeeId,
              triggers: approvalTriggers(v, state.currency, policy),
            },
          },
        ]);
      case 'send': {
        const problems = readinessProblems(v, state.currency);
        if (problems.length > 0) return no('QUOTE_NOT_READY', 'the readiness gate failed', { problems });
        const triggers = approvalTriggers(v, state.currency, policy);
        if (triggers.length > 0 && v.approvedBy === null) {
          return no('QUOTE_APPROVAL_REQUIRED', 'the version needs approval before it is sent', { triggers });
        }
        const t = versionTotals(v.groups, state.currency);
        return ok([
          {
            type: 'quote.sent',
            payload: {
              ...base,
              opportunityId: state.opportunityId,
              customerId: state.customerId,
              totalSell: t.sell,
              totalCost: t.cost,
            },
          },
        ]);
      }
    }
    /* c8 ignore next */
    return ok([]);
  });
}

function accept(state: QuoteDetails, command: Extract<QuoteCommand, { type: 'accept' }>): Decision {
  const v = currentVersion(state);
  if (v.state !== 'sent')
    return no('QUOTE_NOT_SENT', 'only a sent version can be accepted', { state: v.state });
  if (command.version !== v.version) {
    return no('QUOTE_VERSION_MISMATCH', `version ${v.version} is the one on offer`, {
      requested: command.version,
      current: v.version,
    });
  }
  const day = command.acceptedAt.slice(0, 10);
  if (v.validUntil !== null && day > v.validUntil) {
    return no('QUOTE_EXPIRED', 'the version expired before acceptance', { validUntil: v.validUntil });
  }
  const t = versionTotals(v.groups, state.currency);
  const problem = scheduleProblem(v.schedule, t.sell.amountMinor, state.currency);
  if (problem !== null) return no('QUOTE_SCHEDULE_MISMATCH', problem, { total: t.sell });
  const events: QuoteEvent[] = [
    {
      type: 'quote.accepted',
      payload: {
        quoteId: state.quoteId,
        version: v.version,
        opportunityId: state.opportunityId,
        customerId: state.customerId,
        saleId: command.saleId,
        totalSell: t.sell,
        totalCost: t.cost,
        acceptedBy: command.acceptedBy,
        acceptedAt: command.acceptedAt,
      },
    },
  ];
  for (const item of v.schedule ?? []) {
    if (item.dueDate !== null && item.dueDate > day) continue;
    events.push({
      type: 'quote.payment_item_due',
      payload: {
        quoteId: state.quoteId,
        itemId: item.itemId,
        title: item.title,
        amount: item.amount,
        dueDate: item.dueDate ?? day,
      },
    });
  }
  return ok(events);
}

function releaseDue(state: QuoteDetails, asOf: string): Decision {
  const v = state.versions.find((x) => x.version === state.acceptance?.version);
  const fired = new Set(state.dueItemIds);
  return ok(
    (v?.schedule ?? [])
      .filter((i) => i.dueDate !== null && i.dueDate <= asOf && !fired.has(i.itemId))
      .map((i) => ({
        type: 'quote.payment_item_due' as const,
        payload: {
          quoteId: state.quoteId,
          itemId: i.itemId,
          title: i.title,
          amount: i.amount,
          dueDate: i.dueDate as string,
        },
      })),
  );
}
