/**
 * Every quote rejection in full — code, message and details — as a snapshot (issue 29: the mutation
 * run showed that the tests read only the codes, so a changed message or a dropped detail went
 * unnoticed). The details name what a caller shows or acts on (the group, the line, the item, the
 * validity, the problems, the triggers).
 */
import { describe, expect, test } from 'vitest';
import { type Instant, isPetError } from '../../kernel/index.js';
import {
  at,
  catalogGroup,
  contact,
  create,
  customerId,
  eur,
  filled,
  itemA,
  opportunityId,
  product,
  quoteId,
  ready,
  saleId,
  sentQuote,
  task,
  uuid,
} from '../test-support.test.js';
import type { QuoteCommand } from './commands.js';
import { quoteDecider } from './decider.js';
import type { QuoteEvent } from './events.js';
import type { QuoteFacts } from './policy.js';

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
const rejected: QuoteEvent = { type: 'quote.rejected', payload: { ...v1, reason: 'too dear' } };
const strict: QuoteFacts = { policy: { minMarginBp: 9000, dealSizeApprovalMinor: 1, minUpfrontBp: 0 } };

const decide = (given: readonly QuoteEvent[], command: QuoteCommand, facts?: QuoteFacts) =>
  quoteDecider.decide(command, given.reduce(quoteDecider.evolve, quoteDecider.initialState()), facts);

const cases: readonly (readonly [string, readonly QuoteEvent[], QuoteCommand, QuoteFacts?])[] = [
  ['create twice', filled, create],
  ['anything before create', [], { type: 'send' }],
  ['a change after acceptance', [...sentQuote, accepted], { type: 'change_details', title: 'x' }],
  ['a change after rejection', [...sentQuote, rejected], { type: 'send' }],
  ['release before acceptance', sentQuote, { type: 'release_due_items', asOf: '2027-01-01' }],
  ['revise a draft', filled, { type: 'revise' }],
  ['reject a draft', filled, { type: 'reject', reason: 'x' }],
  ['reject without a reason', sentQuote, { type: 'reject', reason: '   ' }],
  ['expire a draft', filled, { type: 'expire', asOf: '2027-01-01' }],
  ['expire on the last valid day', sentQuote, { type: 'expire', asOf: '2026-12-31' }],
  ['edit a sent version', sentQuote, { type: 'remove_line', lineId: product(1).lineId }],
  [
    'a group id twice',
    filled,
    { type: 'add_group', groupId: catalogGroup, kind: 'catalog', title: 'x', recurring: null },
  ],
  [
    'a recurring group without terms',
    filled,
    { type: 'add_group', groupId: uuid(0xb00077), kind: 'recurring', title: 'x', recurring: null },
  ],
  ['a line in no group', filled, { type: 'add_line', groupId: uuid(0xb00077), line: product(5) }],
  ['a line id twice', filled, { type: 'add_line', groupId: catalogGroup, line: product(1) }],
  ['a line the group does not hold', filled, { type: 'add_line', groupId: catalogGroup, line: task(5) }],
  ['remove an unknown line', filled, { type: 'remove_line', lineId: uuid(0xc77777) }],
  ['an empty schedule', filled, { type: 'define_payment_schedule', items: [] }],
  [
    'payment item ids twice',
    filled,
    {
      type: 'define_payment_schedule',
      items: [
        { itemId: itemA, title: 'x', amount: eur(1), dueDate: null },
        { itemId: itemA, title: 'y', amount: eur(1), dueDate: null },
      ],
    },
  ],
  [
    'a zero payment item',
    filled,
    {
      type: 'define_payment_schedule',
      items: [{ itemId: itemA, title: 'x', amount: eur(0), dueDate: null }],
    },
  ],
  ['send without a schedule', filled, { type: 'send' }],
  ['send without approval', ready, { type: 'send' }, strict],
  ['accept a draft', ready, accept],
  ['accept another version', sentQuote, { ...accept, version: 2 }],
  ['accept after validity', sentQuote, { ...accept, acceptedAt: '2027-01-01T00:00:00.000000Z' as Instant }],
];

describe('every rejection in full', () => {
  test.each(cases.map(([name, given, command, facts]) => ({ name, given, command, facts })))(
    '$name',
    ({ given, command, facts }) => {
      const r = decide(given, command, facts);
      expect(r.ok).toBe(false);
      expect(r.ok ? null : r.error).toMatchSnapshot();
    },
  );
});

describe('at the edges of the accepted rules', () => {
  test('expire the day after validity: expired', () => {
    expect(decide(sentQuote, { type: 'expire', asOf: '2027-01-01' })).toEqual({
      ok: true,
      value: [{ type: 'quote.expired', payload: { ...v1, asOf: '2027-01-01' } }],
    });
  });

  test('a title change is trimmed, and a title equal after trimming is no change', () => {
    expect(decide(filled, { type: 'change_details', title: '  Website relaunch  ' })).toEqual({
      ok: true,
      value: [],
    });
    expect(decide(filled, { type: 'change_details', title: ' New ' })).toEqual({
      ok: true,
      value: [{ type: 'quote.details_changed', payload: { ...v1, title: 'New' } }],
    });
    expect(decide(filled, { type: 'change_details', validUntil: '2026-12-31' })).toEqual({
      ok: true,
      value: [],
    });
  });

  test('a group title is trimmed; a recurring group with terms is accepted', () => {
    const recurring = { cadence: 'monthly', termMonths: 12, expectedMinutesPerPeriod: 60 } as const;
    expect(
      decide(filled, {
        type: 'add_group',
        groupId: uuid(0xb00077),
        kind: 'recurring',
        title: ' Care ',
        recurring,
      }),
    ).toEqual({
      ok: true,
      value: [
        {
          type: 'quote.group_added',
          payload: { ...v1, group: { groupId: uuid(0xb00077), kind: 'recurring', title: 'Care', recurring } },
        },
      ],
    });
  });

  test('a command of no known shape is VALIDATION_FAILED naming the quote command', () => {
    let thrown: unknown;
    try {
      decide(filled, { type: 'fly' } as never);
    } catch (e) {
      thrown = e;
    }
    expect(isPetError(thrown, 'VALIDATION_FAILED')).toBe(true);
    expect((thrown as Error).message).toMatch(/^invalid quote command: /);
  });
});
