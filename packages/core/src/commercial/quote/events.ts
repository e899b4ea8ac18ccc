import { z } from 'zod';
import {
  currencyCodeSchema,
  defineEvent,
  type EventDefinition,
  type EventOf,
  type Instant,
  idSchema,
  instantSchema,
  type Money,
  moneySchema,
} from '../../kernel/index.js';
import {
  dateSchema,
  type LineGroupKind,
  type PaymentItem,
  paymentItemSchema,
  type QuoteId,
  type QuoteLine,
  type QuoteNumber,
  quoteIdSchema,
  quoteLineSchema,
  quoteNumberSchema,
  type RecurringTerms,
  recurringTermsSchema,
  type SaleId,
  saleIdSchema,
} from './model.js';

/**
 * The stream type of quote streams (key of the `quotes` state table).
 *
 * @example
 * ```ts
 * const def: AggregateDefinition<QuoteState> = {
 *   streamType: QUOTE_STREAM_TYPE, // 'quote'
 *   initialState: initialQuoteState, encode, decode,
 * };
 * ```
 */
export const QUOTE_STREAM_TYPE = 'quote';

const ref = idSchema<'Ref'>() as unknown as z.ZodType<string>;
const version = z.number().int().min(1);
const reason = z.string().trim().min(1).max(1000);

/** Payload of `quote.created` v1 (contract fields + optional header fields). */
export interface QuoteCreatedPayload {
  readonly quoteId: QuoteId;
  readonly quoteNumber: QuoteNumber;
  readonly opportunityId: string;
  readonly customerId: string;
  readonly currency: string;
  readonly version: 1;
  readonly title?: string;
  readonly validUntil?: string | null;
  readonly parentQuoteId?: string | null;
  readonly supersedesQuoteId?: string | null;
}
/** Payload of `quote.details_changed` v1 (only the changed header fields of a draft version). */
export interface QuoteDetailsChangedPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly title?: string;
  readonly validUntil?: string | null;
}
/** Payload of `quote.group_added` v1. */
export interface QuoteGroupAddedPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly group: {
    readonly groupId: string;
    readonly kind: LineGroupKind;
    readonly title: string;
    readonly recurring: RecurringTerms | null;
  };
}
/** Payload of `quote.line_added` v1 (the line with its frozen catalog/role snapshots). */
export interface QuoteLineAddedPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly groupId: string;
  readonly line: QuoteLine;
}
/** Payload of `quote.line_removed` v1. */
export interface QuoteLineRemovedPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly lineId: string;
}
/** Payload of `quote.payment_schedule_defined` v1. */
export interface QuotePaymentScheduleDefinedPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly total: Money;
  readonly items: readonly PaymentItem[];
}
/** Payload of `quote.approved` v1. */
export interface QuoteApprovedPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly approverEmployeeId: string;
  readonly triggers?: readonly string[];
}
/** Payload of `quote.sent` v1. */
export interface QuoteSentPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly opportunityId: string;
  readonly customerId: string;
  readonly totalSell: Money;
  readonly totalCost: Money;
}
/** Payload of `quote.version_created` v1: a draft copy of version `basedOn`. */
export interface QuoteVersionCreatedPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly basedOn: number | null;
}
/** Payload of `quote.superseded` v1. */
export interface QuoteSupersededPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly supersededBy: number;
}
/** Payload of `quote.expired` v1: a sent version passed its `validUntil`. */
export interface QuoteExpiredPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly asOf: string;
}
/** Payload of `quote.rejected` v1. */
export interface QuoteRejectedPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly reason: string;
}
/** Payload of `quote.accepted` v1. */
export interface QuoteAcceptedPayload {
  readonly quoteId: QuoteId;
  readonly version: number;
  readonly opportunityId: string;
  readonly customerId: string;
  readonly saleId: SaleId;
  readonly totalSell: Money;
  readonly totalCost: Money;
  readonly acceptedBy: string;
  readonly acceptedAt: Instant;
}
/** Payload of `quote.payment_item_due` v1 (fires once per item). */
export interface QuotePaymentItemDuePayload {
  readonly quoteId: QuoteId;
  readonly itemId: string;
  readonly title: string;
  readonly amount: Money;
  readonly dueDate: string;
}

/**
 * `quote.created` v1.
 *
 * @example
 * ```ts
 * quoteCreated.payload.parse({
 *   quoteId, quoteNumber: 'Q-2026-000042', opportunityId, customerId, currency: 'EUR', version: 1,
 * });
 * ```
 */
export const quoteCreated: EventDefinition<'quote.created', z.ZodType<QuoteCreatedPayload>> = defineEvent({
  type: 'quote.created',
  version: 1,
  payload: z.object({
    quoteId: quoteIdSchema,
    quoteNumber: quoteNumberSchema,
    opportunityId: ref,
    customerId: ref,
    currency: currencyCodeSchema,
    version: z.literal(1),
    title: z.string().max(255).exactOptional(),
    validUntil: dateSchema.nullable().exactOptional(),
    parentQuoteId: ref.nullable().exactOptional(),
    supersedesQuoteId: ref.nullable().exactOptional(),
  }),
});
/**
 * `quote.details_changed` v1.
 *
 * @example
 * ```ts
 * quoteDetailsChanged.payload.parse({ quoteId, version: 1, validUntil: '2026-06-30' });
 * ```
 */
export const quoteDetailsChanged: EventDefinition<
  'quote.details_changed',
  z.ZodType<QuoteDetailsChangedPayload>
> = defineEvent({
  type: 'quote.details_changed',
  version: 1,
  payload: z.object({
    quoteId: quoteIdSchema,
    version,
    title: z.string().trim().min(1).max(255).exactOptional(),
    validUntil: dateSchema.nullable().exactOptional(),
  }),
});
/**
 * `quote.group_added` v1.
 *
 * @example
 * ```ts
 * quoteGroupAdded.payload.parse({
 *   quoteId, version: 1, group: { groupId, kind: 'catalog', title: 'Hardware', recurring: null },
 * });
 * ```
 */
export const quoteGroupAdded: EventDefinition<
  'quote.group_added',
  z.ZodType<QuoteGroupAddedPayload>
> = defineEvent({
  type: 'quote.group_added',
  version: 1,
  payload: z.object({
    quoteId: quoteIdSchema,
    version,
    group: z.object({
      groupId: ref,
      kind: z.enum(['catalog', 'implementation', 'recurring', 'adjustment']),
      title: z.string().trim().min(1).max(255),
      recurring: recurringTermsSchema.nullable(),
    }),
  }),
});
/** `quote.line_added` v1. @example `quoteLineAdded.payload.parse({ quoteId, version: 1, groupId, line })` */
export const quoteLineAdded: EventDefinition<
  'quote.line_added',
  z.ZodType<QuoteLineAddedPayload>
> = defineEvent({
  type: 'quote.line_added',
  version: 1,
  payload: z.object({ quoteId: quoteIdSchema, version, groupId: ref, line: quoteLineSchema }),
});
/** `quote.line_removed` v1. @example `quoteLineRemoved.payload.parse({ quoteId, version: 1, lineId })` */
export const quoteLineRemoved: EventDefinition<
  'quote.line_removed',
  z.ZodType<QuoteLineRemovedPayload>
> = defineEvent({
  type: 'quote.line_removed',
  version: 1,
  payload: z.object({ quoteId: quoteIdSchema, version, lineId: ref }),
});
/**
 * `quote.payment_schedule_defined` v1.
 *
 * @example
 * ```ts
 * quotePaymentScheduleDefined.payload.parse({ quoteId, version: 1, total: money(120_000, 'EUR'), items });
 * ```
 */
export const quotePaymentScheduleDefined: EventDefinition<
  'quote.payment_schedule_defined',
  z.ZodType<QuotePaymentScheduleDefinedPayload>
> = defineEvent({
  type: 'quote.payment_schedule_defined',
  version: 1,
  payload: z.object({
    quoteId: quoteIdSchema,
    version,
    total: moneySchema,
    items: z.array(paymentItemSchema).min(1).max(500),
  }),
});
/**
 * `quote.approved` v1.
 *
 * @example
 * ```ts
 * quoteApproved.payload.parse({
 *   quoteId, version: 1, approverEmployeeId, triggers: ['margin_below_threshold'],
 * });
 * ```
 */
export const quoteApproved: EventDefinition<'quote.approved', z.ZodType<QuoteApprovedPayload>> = defineEvent({
  type: 'quote.approved',
  version: 1,
  payload: z.object({
    quoteId: quoteIdSchema,
    version,
    approverEmployeeId: ref,
    triggers: z.array(z.string()).exactOptional(),
  }),
});
/** `quote.sent` v1. @example `const { totalSell, totalCost } = quoteSent.payload.parse(raw)` */
export const quoteSent: EventDefinition<'quote.sent', z.ZodType<QuoteSentPayload>> = defineEvent({
  type: 'quote.sent',
  version: 1,
  payload: z.object({
    quoteId: quoteIdSchema,
    version,
    opportunityId: ref,
    customerId: ref,
    totalSell: moneySchema,
    totalCost: moneySchema,
  }),
});
/**
 * `quote.version_created` v1.
 *
 * @example
 * ```ts
 * quoteVersionCreated.payload.parse({ quoteId, version: 2, basedOn: 1 });
 * ```
 */
export const quoteVersionCreated: EventDefinition<
  'quote.version_created',
  z.ZodType<QuoteVersionCreatedPayload>
> = defineEvent({
  type: 'quote.version_created',
  version: 1,
  payload: z.object({ quoteId: quoteIdSchema, version, basedOn: version.nullable() }),
});
/**
 * `quote.superseded` v1.
 *
 * @example
 * ```ts
 * quoteSuperseded.payload.parse({ quoteId, version: 1, supersededBy: 2 });
 * ```
 */
export const quoteSuperseded: EventDefinition<
  'quote.superseded',
  z.ZodType<QuoteSupersededPayload>
> = defineEvent({
  type: 'quote.superseded',
  version: 1,
  payload: z.object({ quoteId: quoteIdSchema, version, supersededBy: version }),
});
/** `quote.expired` v1. @example `quoteExpired.payload.parse({ quoteId, version: 1, asOf: '2026-07-01' })` */
export const quoteExpired: EventDefinition<'quote.expired', z.ZodType<QuoteExpiredPayload>> = defineEvent({
  type: 'quote.expired',
  version: 1,
  payload: z.object({ quoteId: quoteIdSchema, version, asOf: dateSchema }),
});
/**
 * `quote.rejected` v1.
 *
 * @example
 * ```ts
 * quoteRejected.payload.parse({ quoteId, version: 1, reason: 'too expensive' });
 * ```
 */
export const quoteRejected: EventDefinition<'quote.rejected', z.ZodType<QuoteRejectedPayload>> = defineEvent({
  type: 'quote.rejected',
  version: 1,
  payload: z.object({ quoteId: quoteIdSchema, version, reason }),
});
/**
 * `quote.accepted` v1.
 *
 * @example
 * ```ts
 * const { saleId, acceptedBy, acceptedAt } = quoteAccepted.payload.parse(raw);
 * ```
 */
export const quoteAccepted: EventDefinition<'quote.accepted', z.ZodType<QuoteAcceptedPayload>> = defineEvent({
  type: 'quote.accepted',
  version: 1,
  payload: z.object({
    quoteId: quoteIdSchema,
    version,
    opportunityId: ref,
    customerId: ref,
    saleId: saleIdSchema,
    totalSell: moneySchema,
    totalCost: moneySchema,
    acceptedBy: z.string().min(1).max(64),
    acceptedAt: instantSchema,
  }),
});
/** `quote.payment_item_due` v1. @example `quotePaymentItemDue.type // 'quote.payment_item_due'` */
export const quotePaymentItemDue: EventDefinition<
  'quote.payment_item_due',
  z.ZodType<QuotePaymentItemDuePayload>
> = defineEvent({
  type: 'quote.payment_item_due',
  version: 1,
  payload: z.object({
    quoteId: quoteIdSchema,
    itemId: ref,
    title: z.string().min(1).max(255),
    amount: moneySchema,
    dueDate: dateSchema,
  }),
});

/** Every event a quote stream holds. */
export type QuoteEvent =
  | EventOf<typeof quoteCreated>
  | EventOf<typeof quoteDetailsChanged>
  | EventOf<typeof quoteGroupAdded>
  | EventOf<typeof quoteLineAdded>
  | EventOf<typeof quoteLineRemoved>
  | EventOf<typeof quotePaymentScheduleDefined>
  | EventOf<typeof quoteApproved>
  | EventOf<typeof quoteSent>
  | EventOf<typeof quoteVersionCreated>
  | EventOf<typeof quoteSuperseded>
  | EventOf<typeof quoteExpired>
  | EventOf<typeof quoteRejected>
  | EventOf<typeof quoteAccepted>
  | EventOf<typeof quotePaymentItemDue>;

/** The quote event definitions (current versions). @example `createEventRegistry({ events: quoteEvents })` */
export const quoteEvents: readonly EventDefinition[] = [
  quoteCreated,
  quoteDetailsChanged,
  quoteGroupAdded,
  quoteLineAdded,
  quoteLineRemoved,
  quotePaymentScheduleDefined,
  quoteApproved,
  quoteSent,
  quoteVersionCreated,
  quoteSuperseded,
  quoteExpired,
  quoteRejected,
  quoteAccepted,
  quotePaymentItemDue,
];
