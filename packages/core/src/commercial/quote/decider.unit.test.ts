import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import {
  approver,
  at,
  catalogGroup,
  contact,
  create,
  created,
  customerId,
  eur,
  filled,
  implGroup,
  itemA,
  itemB,
  opportunityId,
  product,
  quoteId,
  ready,
  saleId,
  scheduled,
  sent,
  sentQuote,
  task,
  uuid,
} from '../test-support.test.js';
import { quoteCommandSchema } from './commands.js';
import { quoteDecider } from './decider.js';
import type { QuoteEvent } from './events.js';
import { versionTotals } from './model.js';
import { QUOTE_REJECTION_CODES } from './rejections.js';
import { currentVersion, type QuoteState } from './state.js';

const seen = new Set<string>();
const spec = DeciderSpecification.for({
  ...quoteDecider,
  decide: (c, s, f) => {
    const r = quoteDecider.decide(c, s, f);
    if (!r.ok) seen.add(r.error.code);
    return r;
  },
} satisfies typeof quoteDecider);
const fold = (events: readonly QuoteEvent[]): QuoteState =>
  events.reduce(quoteDecider.evolve, quoteDecider.initialState());
const v1 = { quoteId, version: 1 };
const accept = { type: 'accept', version: 1, saleId, acceptedBy: contact, acceptedAt: at(60) } as const;
const accepted: QuoteEvent = {
  type: 'quote.accepted',
  payload: {
    ...v1,
    opportunityId,
    customerId,
    saleId,
    totalSell: eur(1300_00),
    totalCost: eur(660_00),
    acceptedBy: contact,
    acceptedAt: at(60),
  },
};
const depositDue: QuoteEvent = {
  type: 'quote.payment_item_due',
  payload: { quoteId, itemId: itemA, title: 'Deposit', amount: eur(300_00), dueDate: '2026-11-22' },
};

describe('quote: creation and draft editing', () => {
  test('create → quote.created with draft version 1; twice → QUOTE_ALREADY_EXISTS', () => {
    spec.given([]).when(create).then([created]);
    spec.given([created]).when(create).thenRejects('QUOTE_ALREADY_EXISTS');
    const s = fold([created]);
    expect(s.status === 'open' && currentVersion(s).state).toBe('draft');
  });

  test('nothing but create before the quote exists (QUOTE_NOT_FOUND)', () => {
    spec.given([]).when({ type: 'send' }).thenRejects('QUOTE_NOT_FOUND');
  });

  test('groups and lines are added to the draft; totals are derived: Σ lines, Σ groups, margin', () => {
    const s = fold(filled);
    if (s.status !== 'open') throw new Error('open expected');
    const t = versionTotals(currentVersion(s).groups, 'EUR');
    expect(t).toEqual({ sell: eur(1300_00), cost: eur(660_00), margin: eur(640_00), marginBp: 4923 });
  });

  test('group and line rules: duplicates, unknown group, kind rules, recurring terms', () => {
    spec
      .given(filled)
      .when({ type: 'add_group', groupId: catalogGroup, kind: 'catalog', title: 'x', recurring: null })
      .thenRejects('QUOTE_DUPLICATE_ID');
    spec
      .given(filled)
      .when({ type: 'add_group', groupId: uuid(1), kind: 'recurring', title: 'Support', recurring: null })
      .thenRejects('QUOTE_GROUP_INVALID');
    spec
      .given(filled)
      .when({ type: 'add_line', groupId: uuid(2), line: product(2) })
      .thenRejects('QUOTE_GROUP_NOT_FOUND');
    spec
      .given(filled)
      .when({ type: 'add_line', groupId: catalogGroup, line: product(1) })
      .thenRejects('QUOTE_DUPLICATE_ID');
    spec
      .given(filled)
      .when({ type: 'add_line', groupId: catalogGroup, line: task(2) })
      .thenRejects('QUOTE_LINE_INVALID');
    spec
      .given(filled)
      .when({ type: 'add_line', groupId: catalogGroup, line: { ...product(3), catalog: null } })
      .thenRejects('QUOTE_LINE_INVALID');
    spec
      .given(filled)
      .when({ type: 'add_line', groupId: implGroup, line: { ...task(3), milestone: null } })
      .thenRejects('QUOTE_LINE_INVALID');
    spec
      .given(filled)
      .when({
        type: 'add_line',
        groupId: catalogGroup,
        line: { ...product(4), unitPrice: { amountMinor: 1, currency: 'USD' } as never },
      })
      .thenRejects('QUOTE_LINE_INVALID');
  });

  test('remove a line; an unknown line is QUOTE_LINE_NOT_FOUND', () => {
    spec
      .given(filled)
      .when({ type: 'remove_line', lineId: product(1).lineId })
      .then([{ type: 'quote.line_removed', payload: { ...v1, lineId: product(1).lineId } }]);
    spec
      .given(filled)
      .when({ type: 'remove_line', lineId: uuid(9) })
      .thenRejects('QUOTE_LINE_NOT_FOUND');
  });

  test('details change only what differs', () => {
    spec
      .given(filled)
      .when({ type: 'change_details', title: 'Website relaunch', validUntil: '2027-01-31' })
      .then([{ type: 'quote.details_changed', payload: { ...v1, validUntil: '2027-01-31' } }]);
    spec.given(filled).when({ type: 'change_details', title: 'Website relaunch' }).then([]);
  });

  test('payment schedule: total is derived; empty, non-positive, foreign currency or duplicate ids are refused', () => {
    spec
      .given(filled)
      .when({
        type: 'define_payment_schedule',
        items: (scheduled.payload as unknown as { items: never }).items,
      })
      .then([scheduled]);
    spec
      .given(filled)
      .when({ type: 'define_payment_schedule', items: [] })
      .thenRejects('QUOTE_SCHEDULE_INVALID');
    spec
      .given(filled)
      .when({
        type: 'define_payment_schedule',
        items: [{ itemId: itemA, title: 'x', amount: eur(0), dueDate: null }],
      })
      .thenRejects('QUOTE_SCHEDULE_INVALID');
    const item = { itemId: itemA, title: 'x', amount: eur(1), dueDate: null };
    spec
      .given(filled)
      .when({ type: 'define_payment_schedule', items: [item, item] })
      .thenRejects('QUOTE_DUPLICATE_ID');
  });
});

describe('quote: gates and send', () => {
  test('readiness gate: no schedule, a schedule off by one minor unit, no groups → QUOTE_NOT_READY', () => {
    spec.given(filled).when({ type: 'send' }).thenRejects('QUOTE_NOT_READY');
    const offByOne: QuoteEvent = {
      type: 'quote.payment_schedule_defined',
      payload: {
        ...v1,
        total: eur(1300_00),
        items: [{ itemId: itemA, title: 'All', amount: eur(1300_01), dueDate: null }],
      },
    };
    spec
      .given([...filled, offByOne])
      .when({ type: 'send' })
      .thenRejects('QUOTE_NOT_READY');
    spec.given([created]).when({ type: 'send' }).thenRejects('QUOTE_NOT_READY');
  });

  test('a ready version is sent with its derived totals', () => {
    spec.given(ready).when({ type: 'send' }).then([sent]);
  });

  test('scenario 9: margin below threshold → QUOTE_APPROVAL_REQUIRED until approved; an edit voids the approval', () => {
    const lowMargin = [...ready];
    const facts = { policy: { minMarginBp: 6000, dealSizeApprovalMinor: null, minUpfrontBp: 0 } };
    spec
      .given(lowMargin)
      .when({ type: 'send' }, facts)
      .thenRejects('QUOTE_APPROVAL_REQUIRED', { triggers: ['margin_below_threshold'] });
    const approved: QuoteEvent = {
      type: 'quote.approved',
      payload: { ...v1, approverEmployeeId: approver, triggers: ['margin_below_threshold'] },
    };
    spec.given(lowMargin).when({ type: 'approve', approverEmployeeId: approver }, facts).then([approved]);
    spec
      .given([...lowMargin, approved])
      .when({ type: 'send' }, facts)
      .then([sent]);
    const edited: QuoteEvent = { type: 'quote.details_changed', payload: { ...v1, title: 'Relaunch' } };
    spec
      .given([...lowMargin, approved, edited])
      .when({ type: 'send' }, facts)
      .thenRejects('QUOTE_APPROVAL_REQUIRED');
  });

  test('every approval trigger of §2.9 fires on its condition', () => {
    const facts = { policy: { minMarginBp: 0, dealSizeApprovalMinor: 1000_00, minUpfrontBp: 5000 } };
    spec
      .given(ready)
      .when({ type: 'send' }, facts)
      .thenRejects('QUOTE_APPROVAL_REQUIRED', { triggers: ['deal_size', 'payment_term_deviation'] });
    const cheap: QuoteEvent = {
      type: 'quote.line_added',
      payload: { ...v1, groupId: implGroup, line: task(5, 60, 100_00) },
    };
    const adjGroup: QuoteEvent = {
      type: 'quote.group_added',
      payload: {
        ...v1,
        group: { groupId: uuid(0xb00009), kind: 'adjustment', title: 'Discount', recurring: null },
      },
    };
    const adj: QuoteEvent = {
      type: 'quote.line_added',
      payload: {
        ...v1,
        groupId: uuid(0xb00009),
        line: { ...product(9, 0, 5_00), kind: 'adjustment', catalog: null, unitPrice: eur(-10_00) },
      },
    };
    spec
      .given([
        ...filled,
        cheap,
        adjGroup,
        adj,
        {
          type: 'quote.payment_schedule_defined',
          payload: {
            ...v1,
            total: eur(1390_00),
            items: [{ itemId: itemA, title: 'All', amount: eur(1390_00), dueDate: null }],
          },
        },
      ])
      .when({ type: 'send' }, { policy: { minMarginBp: 0, dealSizeApprovalMinor: null, minUpfrontBp: 0 } })
      .thenRejects('QUOTE_APPROVAL_REQUIRED', {
        triggers: ['sell_rate_below_recommended', 'cost_adjustment'],
      });
  });
});

describe('quote: a sent version is immutable; revise, reject, expire', () => {
  test('every content change of a sent version is QUOTE_VERSION_LOCKED', () => {
    for (const c of [
      { type: 'add_line', groupId: catalogGroup, line: product(7) },
      { type: 'remove_line', lineId: product(1).lineId },
      { type: 'change_details', title: 'x' },
      { type: 'define_payment_schedule', items: [] },
      { type: 'approve', approverEmployeeId: approver },
      { type: 'send' },
    ] as const) {
      spec.given(sentQuote).when(c).thenRejects('QUOTE_VERSION_LOCKED');
    }
  });

  test('revise: version 2 (a draft copy of 1) supersedes version 1, which stays readable', () => {
    const revised: QuoteEvent[] = [
      { type: 'quote.version_created', payload: { quoteId, version: 2, basedOn: 1 } },
      { type: 'quote.superseded', payload: { ...v1, supersededBy: 2 } },
    ];
    spec.given(sentQuote).when({ type: 'revise' }).then(revised);
    const s = fold([...sentQuote, ...revised]);
    if (s.status !== 'open') throw new Error('open expected');
    expect(s.versions.map((x) => x.state)).toEqual(['superseded', 'draft']);
    expect(s.versions[1]?.groups).toEqual(s.versions[0]?.groups);
    spec.given(ready).when({ type: 'revise' }).thenRejects('QUOTE_NOT_SENT');
  });

  test('reject needs a sent version and a reason; a rejected quote is final', () => {
    const rejected: QuoteEvent = { type: 'quote.rejected', payload: { ...v1, reason: 'too expensive' } };
    spec.given(sentQuote).when({ type: 'reject', reason: ' too expensive ' }).then([rejected]);
    spec.given(sentQuote).when({ type: 'reject', reason: ' ' }).thenRejects('QUOTE_REASON_REQUIRED');
    spec.given(ready).when({ type: 'reject', reason: 'x' }).thenRejects('QUOTE_NOT_SENT');
    spec
      .given([...sentQuote, rejected])
      .when({ type: 'revise' })
      .thenRejects('QUOTE_REJECTED');
  });

  test('expire only after validUntil; an expired version can be revised but not accepted', () => {
    const expired: QuoteEvent = { type: 'quote.expired', payload: { ...v1, asOf: '2027-01-01' } };
    spec.given(sentQuote).when({ type: 'expire', asOf: '2027-01-01' }).then([expired]);
    spec.given(sentQuote).when({ type: 'expire', asOf: '2026-12-31' }).thenRejects('QUOTE_NOT_EXPIRED');
    spec.given(ready).when({ type: 'expire', asOf: '2027-01-01' }).thenRejects('QUOTE_NOT_SENT');
    spec
      .given([...sentQuote, expired])
      .when(accept)
      .thenRejects('QUOTE_NOT_SENT');
    spec
      .given([...sentQuote, expired])
      .when({ type: 'revise' })
      .then([
        { type: 'quote.version_created', payload: { quoteId, version: 2, basedOn: 1 } },
        { type: 'quote.superseded', payload: { ...v1, supersededBy: 2 } },
      ]);
  });
});

describe('quote: acceptance', () => {
  test('accept → quote.accepted plus the due event of the undated item (scenario 61)', () => {
    spec.given(sentQuote).when(accept).then([accepted, depositDue]);
  });

  test('accept needs the current sent version, validity and an exact schedule (scenario 59)', () => {
    spec.given(ready).when(accept).thenRejects('QUOTE_NOT_SENT');
    spec
      .given(sentQuote)
      .when({ ...accept, version: 2 })
      .thenRejects('QUOTE_VERSION_MISMATCH');
    spec
      .given(sentQuote)
      .when({ ...accept, acceptedAt: at(60 * 24 * 60) })
      .thenRejects('QUOTE_EXPIRED');
    const offByOne: QuoteEvent = {
      type: 'quote.payment_schedule_defined',
      payload: {
        ...v1,
        total: eur(1300_00),
        items: [{ itemId: itemA, title: 'All', amount: eur(1299_99), dueDate: null }],
      },
    };
    spec
      .given([...filled, offByOne, sent])
      .when(accept)
      .thenRejects('QUOTE_SCHEDULE_MISMATCH');
  });

  test('scenarios 1, 46, 60: an accepted quote is immutable; a second accept gets QUOTE_ACCEPTED', () => {
    const done = [...sentQuote, accepted, depositDue];
    for (const c of [
      accept,
      { type: 'define_payment_schedule', items: [] },
      { type: 'add_line', groupId: catalogGroup, line: product(8) },
      { type: 'change_details', title: 'x' },
      { type: 'revise' },
      { type: 'reject', reason: 'x' },
    ] as const) {
      spec.given(done).when(c).thenRejects('QUOTE_ACCEPTED');
    }
  });

  test('dated items fall due once: release before acceptance is QUOTE_NOT_ACCEPTED; twice emits nothing', () => {
    const done = [...sentQuote, accepted, depositDue];
    const goLive: QuoteEvent = {
      type: 'quote.payment_item_due',
      payload: { quoteId, itemId: itemB, title: 'Go-live', amount: eur(1000_00), dueDate: '2027-01-15' },
    };
    spec.given(done).when({ type: 'release_due_items', asOf: '2027-01-14' }).then([]);
    spec.given(done).when({ type: 'release_due_items', asOf: '2027-02-01' }).then([goLive]);
    spec
      .given([...done, goLive])
      .when({ type: 'release_due_items', asOf: '2027-03-01' })
      .then([]);
    spec
      .given(sentQuote)
      .when({ type: 'release_due_items', asOf: '2027-02-01' })
      .thenRejects('QUOTE_NOT_ACCEPTED');
  });

  test('the command schema names bad fields', () => {
    const r = quoteCommandSchema.safeParse({ ...create, quoteNumber: 'Q-1', currency: 'euro' });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['currency', 'quoteNumber']);
  });

  test('every quote rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...QUOTE_REJECTION_CODES].sort());
  });
});
