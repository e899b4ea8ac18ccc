import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import { at, contact, customerId, eur, opportunityId, quoteId, saleId } from '../test-support.test.js';
import { SALE_REJECTION_CODES, type SaleCreatedPayload, type SaleEvent, saleDecider } from './sale.js';

const seen = new Set<string>();
const spec = DeciderSpecification.for({
  ...saleDecider,
  decide: (c, s, f) => {
    const r = saleDecider.decide(c, s, f);
    if (!r.ok) seen.add(r.error.code);
    return r;
  },
} satisfies typeof saleDecider);

const snapshot: SaleCreatedPayload = {
  saleId,
  quoteId,
  quoteVersion: 1,
  opportunityId,
  customerId,
  total: eur(1300_00),
  totalCost: eur(660_00),
  soldMinutesByRole: { r: 600 },
  acceptedBy: contact,
  acceptedAt: at(60),
  paymentSchedule: [],
};
const created: SaleEvent = { type: 'sale.created', payload: snapshot };
const fulfilled: SaleEvent = { type: 'sale.fulfilled', payload: { saleId, at: at(600) } };

describe('sale', () => {
  test('created once; a second create is SALE_ALREADY_EXISTS', () => {
    spec.given([]).when({ type: 'create', snapshot }).then([created]);
    spec.given([created]).when({ type: 'create', snapshot }).thenRejects('SALE_ALREADY_EXISTS');
  });

  test('created → fulfilled (terminal); nothing before create', () => {
    spec
      .given([created])
      .when({ type: 'fulfil', at: at(600) })
      .then([fulfilled]);
    spec
      .given([created, fulfilled])
      .when({ type: 'fulfil', at: at(700) })
      .thenRejects('SALE_FULFILLED');
    spec
      .given([])
      .when({ type: 'fulfil', at: at(700) })
      .thenRejects('SALE_NOT_FOUND');
    spec
      .given([created, fulfilled])
      .when({ type: 'fulfil', at: at(700) })
      .thenRejects('SALE_FULFILLED');
  });

  test('the snapshot is kept as state, unchanged by fulfilment', () => {
    const s = [created, fulfilled].reduce(saleDecider.evolve, saleDecider.initialState());
    expect(s).toEqual({ ...snapshot, status: 'fulfilled', fulfilledAt: at(600) });
  });

  test('every sale rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...SALE_REJECTION_CODES].sort());
  });
});
