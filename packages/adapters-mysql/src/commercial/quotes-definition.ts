import {
  type AggregateDefinition,
  Commercial,
  type Instant,
  type Money,
  ValidationError,
} from '@pet-ops/core';
import { instantToSql, sqlToInstant } from '../internal/datetime.js';
import { bytesToUuid, uuidToBytes } from '../internal/uuid-bytes.js';

type QuoteState = Commercial.QuoteState;
type SaleState = Commercial.SaleState;

/** JSON columns come back as text on MariaDB (JSON = LONGTEXT) and parsed on MySQL 8. */
export function jsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
const idOrNull = (v: string | null): Buffer | null => (v === null ? null : uuidToBytes(v));
const uuidOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : bytesToUuid(v as Uint8Array);
const instantOrNull = (v: unknown): Instant | null =>
  v === null || v === undefined ? null : sqlToInstant(String(v));

function absent(kind: string): never {
  throw new ValidationError('aggregate state', [
    { field: 'state.status', rule: `an absent ${kind} is never saved` },
  ]);
}

/**
 * The `quote` aggregate on the `quotes` state table: identity, lifecycle and the current version's
 * derived totals as columns (for queries), every version's content as the `versions` JSON array.
 *
 * @example
 * ```ts
 * const uow = createMysqlUnitOfWork({ pool, prefix, tables: QUOTING_TABLES });
 * const handle = createCommandHandler(runtime, Commercial.quoteBinding(quoteDefinition));
 * ```
 */
export const quoteDefinition: AggregateDefinition<QuoteState> = {
  streamType: Commercial.QUOTE_STREAM_TYPE,
  initialState: Commercial.initialQuoteState,
  encode: (s) => {
    if (s.status === 'absent') return absent('quote');
    const v = Commercial.currentVersion(s);
    const t = Commercial.versionTotals(v.groups, s.currency);
    return {
      state: s.status,
      quote_id: uuidToBytes(s.quoteId),
      quote_number: s.quoteNumber,
      opportunity_id: uuidToBytes(s.opportunityId),
      customer_id: uuidToBytes(s.customerId),
      currency: s.currency,
      parent_quote_id: idOrNull(s.parentQuoteId),
      supersedes_quote_id: idOrNull(s.supersedesQuoteId),
      current_version: v.version,
      current_version_state: v.state,
      title: v.title,
      valid_until: v.validUntil,
      total_sell: t.sell.amountMinor,
      total_cost: t.cost.amountMinor,
      total_margin: t.margin.amountMinor,
      accepted_version: s.acceptance?.version ?? null,
      sale_id: idOrNull(s.acceptance?.saleId ?? null),
      accepted_by: s.acceptance?.acceptedBy ?? null,
      accepted_at: s.acceptance === null ? null : instantToSql(s.acceptance.acceptedAt),
      versions: s.versions,
      due_item_ids: s.dueItemIds,
    };
  },
  decode: (stored) => {
    const r = stored as Record<string, unknown>;
    const acceptedAt = instantOrNull(r['accepted_at']);
    return {
      status: r['state'] as 'open' | 'accepted' | 'rejected',
      quoteId: bytesToUuid(r['quote_id'] as Uint8Array) as unknown as Commercial.QuoteId,
      quoteNumber: r['quote_number'] as Commercial.QuoteNumber,
      opportunityId: bytesToUuid(r['opportunity_id'] as Uint8Array),
      customerId: bytesToUuid(r['customer_id'] as Uint8Array),
      currency: String(r['currency']),
      parentQuoteId: uuidOrNull(r['parent_quote_id']),
      supersedesQuoteId: uuidOrNull(r['supersedes_quote_id']),
      versions: jsonColumn<Commercial.QuoteVersion[]>(r['versions']),
      acceptance:
        acceptedAt === null
          ? null
          : {
              version: Number(r['accepted_version']),
              saleId: uuidOrNull(r['sale_id']) as Commercial.SaleId,
              acceptedBy: String(r['accepted_by']),
              acceptedAt,
            },
      dueItemIds: jsonColumn<string[]>(r['due_item_ids']),
    };
  },
};

/**
 * The `sale` aggregate on the `sales` state table (the immutable acceptance snapshot; `quote_id` is
 * unique, so the database itself allows one sale per quote).
 *
 * @example
 * ```ts
 * createMysqlUnitOfWork({ pool, prefix, tables: QUOTING_TABLES }); // uses saleDefinition for 'sale'
 * ```
 */
export const saleDefinition: AggregateDefinition<SaleState> = {
  streamType: Commercial.SALE_STREAM_TYPE,
  initialState: Commercial.initialSaleState,
  encode: (s) => {
    if (s.status === 'absent') return absent('sale');
    const minutes = Object.values(s.soldMinutesByRole).reduce((a, b) => a + b, 0);
    return {
      state: s.status,
      sale_id: uuidToBytes(s.saleId),
      quote_id: uuidToBytes(s.quoteId),
      quote_version: s.quoteVersion,
      opportunity_id: uuidToBytes(s.opportunityId),
      customer_id: uuidToBytes(s.customerId),
      currency: s.total.currency,
      sold_value: s.total.amountMinor,
      sold_internal_cost: s.totalCost.amountMinor,
      sold_margin: s.total.amountMinor - s.totalCost.amountMinor,
      sold_minutes: minutes,
      sold_minutes_by_role: s.soldMinutesByRole,
      payment_schedule_json: s.paymentSchedule,
      accepted_by: s.acceptedBy,
      accepted_at: instantToSql(s.acceptedAt),
      fulfilled_at: s.fulfilledAt === null ? null : instantToSql(s.fulfilledAt),
      accepted_by_contact_id: idOrNull(s.acceptedByContactId),
      commercial_snapshot_json: s.commercialSnapshot,
    };
  },
  decode: (stored) => {
    const r = stored as Record<string, unknown>;
    const currency = String(r['currency']);
    return {
      status: r['state'] as 'created' | 'fulfilled',
      saleId: bytesToUuid(r['sale_id'] as Uint8Array) as unknown as Commercial.SaleId,
      quoteId: bytesToUuid(r['quote_id'] as Uint8Array) as unknown as Commercial.QuoteId,
      quoteVersion: Number(r['quote_version']),
      opportunityId: bytesToUuid(r['opportunity_id'] as Uint8Array),
      customerId: bytesToUuid(r['customer_id'] as Uint8Array),
      total: { amountMinor: Number(r['sold_value']), currency } as Money,
      totalCost: { amountMinor: Number(r['sold_internal_cost']), currency } as Money,
      soldMinutesByRole: jsonColumn<Record<string, number>>(r['sold_minutes_by_role']),
      acceptedBy: String(r['accepted_by']),
      acceptedAt: sqlToInstant(String(r['accepted_at'])),
      paymentSchedule: jsonColumn<Commercial.PaymentItem[]>(r['payment_schedule_json']),
      fulfilledAt: instantOrNull(r['fulfilled_at']),
      acceptedByContactId: uuidOrNull(r['accepted_by_contact_id']),
      commercialSnapshot:
        r['commercial_snapshot_json'] === null || r['commercial_snapshot_json'] === undefined
          ? null
          : jsonColumn<Commercial.CommercialSnapshot>(r['commercial_snapshot_json']),
    };
  },
};

/**
 * The state tables of the quoting aggregates, for `createMysqlUnitOfWork({ tables })`.
 *
 * @example
 * ```ts
 * createMysqlUnitOfWork({ pool, prefix, tables: { ...QUOTING_TABLES, ...LEAD_PIPELINE_TABLES } });
 * ```
 */
export const QUOTING_TABLES: Readonly<Record<string, string>> = {
  [Commercial.QUOTE_STREAM_TYPE]: 'quotes',
  [Commercial.SALE_STREAM_TYPE]: 'sales',
};
