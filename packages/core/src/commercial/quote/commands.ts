import { z } from 'zod';
import { currencyCodeSchema, type Instant, idSchema, instantSchema } from '../../kernel/index.js';
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

/** Creates a quote with a draft version 1. `quoteNumber` was allocated by the adapter. */
export interface CreateQuote {
  readonly type: 'create';
  readonly quoteId: QuoteId;
  readonly quoteNumber: QuoteNumber;
  readonly opportunityId: string;
  readonly customerId: string;
  readonly currency: string;
  readonly title: string;
  readonly validUntil: string | null;
  /** Delta quote: the accepted parent it adds to or corrects. */
  readonly parentQuoteId: string | null;
  /** Clone: the quote it explicitly supersedes. */
  readonly supersedesQuoteId: string | null;
}
/** Changes the draft version's header. */
export interface ChangeQuoteDetails {
  readonly type: 'change_details';
  readonly title?: string;
  readonly validUntil?: string | null;
}
/** Adds a line group (component) to the draft version. */
export interface AddLineGroup {
  readonly type: 'add_group';
  readonly groupId: string;
  readonly kind: LineGroupKind;
  readonly title: string;
  readonly recurring: RecurringTerms | null;
}
/** Adds a line (with its snapshots) to a group of the draft version. */
export interface AddQuoteLine {
  readonly type: 'add_line';
  readonly groupId: string;
  readonly line: QuoteLine;
}
/** Removes a line from the draft version. */
export interface RemoveQuoteLine {
  readonly type: 'remove_line';
  readonly lineId: string;
}
/** Defines (replaces) the draft version's payment schedule. */
export interface DefinePaymentSchedule {
  readonly type: 'define_payment_schedule';
  readonly items: readonly PaymentItem[];
}
/** Approves the draft version's current content. */
export interface ApproveQuote {
  readonly type: 'approve';
  readonly approverEmployeeId: string;
}
/** Sends the draft version (readiness and approval gates). Its content is frozen from then on. */
export interface SendQuote {
  readonly type: 'send';
}
/** Makes a new draft version from the sent (or expired) current one, which is superseded. */
export interface ReviseQuote {
  readonly type: 'revise';
}
/** The customer rejects the sent version (terminal). */
export interface RejectQuote {
  readonly type: 'reject';
  readonly reason: string;
}
/** Marks the sent version expired once `asOf` is after its `validUntil`. */
export interface ExpireQuote {
  readonly type: 'expire';
  readonly asOf: string;
}
/** Accepts the sent version (run inside the acceptance workflow, which also creates the sale). */
export interface AcceptQuote {
  readonly type: 'accept';
  readonly version: number;
  readonly saleId: SaleId;
  /** The customer contact (or employee on their behalf) who accepted. */
  readonly acceptedBy: string;
  readonly acceptedAt: Instant;
}
/** Fires the due events of dated payment items whose date is on or before `asOf` (each once). */
export interface ReleaseDuePaymentItems {
  readonly type: 'release_due_items';
  readonly asOf: string;
}

/** Every quote command. */
export type QuoteCommand =
  | CreateQuote
  | ChangeQuoteDetails
  | AddLineGroup
  | AddQuoteLine
  | RemoveQuoteLine
  | DefinePaymentSchedule
  | ApproveQuote
  | SendQuote
  | ReviseQuote
  | RejectQuote
  | ExpireQuote
  | AcceptQuote
  | ReleaseDuePaymentItems;

const ref = idSchema<'Ref'>() as unknown as z.ZodType<string>;

/**
 * Zod schema of a {@link QuoteCommand} (shape only; the decider checks the rules).
 *
 * @example
 * ```ts
 * const command = parseInput(quoteCommandSchema, raw, 'quote command');
 * ```
 */
export const quoteCommandSchema: z.ZodType<QuoteCommand> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('create'),
    quoteId: quoteIdSchema,
    quoteNumber: quoteNumberSchema,
    opportunityId: ref,
    customerId: ref,
    currency: currencyCodeSchema,
    title: z.string().trim().min(1).max(255),
    validUntil: dateSchema.nullable().default(null),
    parentQuoteId: ref.nullable().default(null),
    supersedesQuoteId: ref.nullable().default(null),
  }),
  z.object({
    type: z.literal('change_details'),
    title: z.string().trim().min(1).max(255).exactOptional(),
    validUntil: dateSchema.nullable().exactOptional(),
  }),
  z.object({
    type: z.literal('add_group'),
    groupId: ref,
    kind: z.enum(['catalog', 'implementation', 'recurring', 'adjustment']),
    title: z.string().trim().min(1).max(255),
    recurring: recurringTermsSchema.nullable().default(null),
  }),
  z.object({ type: z.literal('add_line'), groupId: ref, line: quoteLineSchema }),
  z.object({ type: z.literal('remove_line'), lineId: ref }),
  z.object({ type: z.literal('define_payment_schedule'), items: z.array(paymentItemSchema).max(500) }),
  z.object({ type: z.literal('approve'), approverEmployeeId: ref }),
  z.object({ type: z.literal('send') }),
  z.object({ type: z.literal('revise') }),
  z.object({ type: z.literal('reject'), reason: z.string().max(1000) }),
  z.object({ type: z.literal('expire'), asOf: dateSchema }),
  z.object({
    type: z.literal('accept'),
    version: z.number().int().min(1),
    saleId: saleIdSchema,
    acceptedBy: z.string().min(1).max(64),
    acceptedAt: instantSchema,
  }),
  z.object({ type: z.literal('release_due_items'), asOf: dateSchema }),
]) as unknown as z.ZodType<QuoteCommand>;
