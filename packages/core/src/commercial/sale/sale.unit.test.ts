import { describe, expect, test } from 'vitest';
import { DeciderSpecification } from '../../testing/index.js';
import type { QuoteNumber } from '../quote/model.js';
import { at, contact, customerId, eur, opportunityId, quoteId, saleId } from '../test-support.test.js';
import {
  SALE_REJECTION_CODES,
  type SaleCreatedPayload,
  type SaleEvent,
  saleCreated,
  saleDecider,
} from './sale.js';

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
    expect(s).toEqual({
      ...snapshot,
      acceptedByContactId: null,
      commercialSnapshot: null,
      status: 'fulfilled',
      fulfilledAt: at(600),
    });
  });

  test('given a sale.created with the accepting contact and the commercial snapshot, then the state keeps both; without them (older events) both are null', () => {
    const commercialSnapshot = {
      quoteNumber: 'Q-2026-000001' as QuoteNumber,
      title: 'Relaunch',
      currency: 'EUR',
      validUntil: '2027-01-31',
      groups: [],
      totals: {
        sell: snapshot.total,
        cost: snapshot.totalCost,
        margin: {
          ...snapshot.total,
          amountMinor: snapshot.total.amountMinor - snapshot.totalCost.amountMinor,
        },
      },
    };
    const withBoth: SaleEvent = {
      type: 'sale.created',
      payload: { ...snapshot, acceptedByContactId: contact, commercialSnapshot },
    };
    expect(saleCreated.payload.safeParse(withBoth.payload).success).toBe(true);
    const s = [withBoth, fulfilled].reduce(saleDecider.evolve, saleDecider.initialState());
    expect(s).toMatchObject({ status: 'fulfilled', acceptedByContactId: contact, commercialSnapshot });
    const old = [created].reduce(saleDecider.evolve, saleDecider.initialState());
    expect(old).toMatchObject({ acceptedByContactId: null, commercialSnapshot: null });
  });

  test('every sale rejection code is exercised above', () => {
    expect([...seen].sort()).toEqual([...SALE_REJECTION_CODES].sort());
  });
});
