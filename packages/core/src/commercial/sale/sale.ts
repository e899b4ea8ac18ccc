import { z } from 'zod';
import {
  type Decider,
  defineEvent,
  type EventDefinition,
  type EventOf,
  err,
  type Instant,
  idSchema,
  instantSchema,
  type Money,
  moneySchema,
  ok,
  type Rejection,
  type Result,
  reject,
} from '../../kernel/index.js';
import { checkedDecision } from '../../kernel/validation.js';
import {
  dateSchema,
  type LineGroup,
  type PaymentItem,
  paymentItemSchema,
  type QuoteId,
  type QuoteNumber,
  quoteIdSchema,
  quoteLineSchema,
  quoteNumberSchema,
  recurringTermsSchema,
  type SaleId,
  saleIdSchema,
} from '../quote/model.js';

/**
 * The stream type of sale streams (key of the `sales` state table).
 *
 * @example
 * ```ts
 * const def: AggregateDefinition<SaleState> = {
 *   streamType: SALE_STREAM_TYPE, // 'sale'
 *   initialState: initialSaleState, encode, decode,
 * };
 * ```
 */
export const SALE_STREAM_TYPE = 'sale';

/**
 * The commercial content of the accepted version as sold (spec §2.13 `commercial_snapshot_json`): number,
 * title, currency, validity, every line group with its lines, and the totals. Never recalculated.
 */
export interface CommercialSnapshot {
  readonly quoteNumber: QuoteNumber;
  readonly title: string;
  readonly currency: string;
  readonly validUntil: string | null;
  readonly groups: readonly LineGroup[];
  readonly totals: { readonly sell: Money; readonly cost: Money; readonly margin: Money };
}

/**
 * Zod schema of a {@link CommercialSnapshot} (groups and lines as the quote model validates them).
 *
 * @example
 * ```ts
 * commercialSnapshotSchema.parse(sale.commercialSnapshot);
 * ```
 */
export const commercialSnapshotSchema: z.ZodType<CommercialSnapshot> = z.object({
  quoteNumber: quoteNumberSchema,
  title: z.string().max(255),
  currency: z.string().regex(/^[A-Z]{3}$/),
  validUntil: dateSchema.nullable(),
  groups: z.array(
    z.object({
      groupId: z.string().min(1).max(64),
      kind: z.enum(['catalog', 'implementation', 'recurring', 'adjustment']),
      title: z.string().max(255),
      recurring: recurringTermsSchema.nullable(),
      lines: z.array(quoteLineSchema),
    }),
  ),
  totals: z.object({ sell: moneySchema, cost: moneySchema, margin: moneySchema }),
}) as z.ZodType<CommercialSnapshot>;

/**
 * Payload of `sale.created` v1: the immutable commercial snapshot taken at acceptance. `commercialSnapshot`
 * and `acceptedByContactId` came later: events written before them have neither.
 */
export interface SaleCreatedPayload {
  readonly saleId: SaleId;
  readonly quoteId: QuoteId;
  readonly quoteVersion: number;
  readonly opportunityId: string;
  readonly customerId: string;
  readonly total: Money;
  readonly totalCost: Money;
  readonly soldMinutesByRole: Readonly<Record<string, number>>;
  readonly acceptedBy: string;
  readonly acceptedAt: Instant;
  /** The canonical payment schedule (never recalculated). */
  readonly paymentSchedule?: readonly PaymentItem[];
  /** The customer contact (a CRM person id) who accepted, when the acceptance named one. */
  readonly acceptedByContactId?: string | null;
  /** The accepted version's commercial content as sold. */
  readonly commercialSnapshot?: CommercialSnapshot;
}
/** Payload of `sale.fulfilled` v1. */
export interface SaleFulfilledPayload {
  readonly saleId: SaleId;
  readonly at: Instant;
}

const ref = idSchema<'Ref'>() as unknown as z.ZodType<string>;

/**
 * `sale.created` v1.
 *
 * @example
 * ```ts
 * decideSale({ type: 'create', snapshot: saleCreated.payload.parse(raw) }, state);
 * ```
 */
export const saleCreated: EventDefinition<'sale.created', z.ZodType<SaleCreatedPayload>> = defineEvent({
  type: 'sale.created',
  version: 1,
  payload: z.object({
    saleId: saleIdSchema,
    quoteId: quoteIdSchema,
    quoteVersion: z.number().int().min(1),
    opportunityId: ref,
    customerId: ref,
    total: moneySchema,
    totalCost: moneySchema,
    soldMinutesByRole: z.record(z.string(), z.number().int().min(0)),
    acceptedBy: z.string().min(1).max(64),
    acceptedAt: instantSchema,
    paymentSchedule: z.array(paymentItemSchema).exactOptional(),
    acceptedByContactId: ref.nullable().exactOptional(),
    commercialSnapshot: commercialSnapshotSchema.exactOptional(),
  }),
});
/**
 * `sale.fulfilled` v1: created → fulfilled (terminal).
 *
 * @example
 * ```ts
 * saleFulfilled.payload.parse({ saleId, at });
 * ```
 */
export const saleFulfilled: EventDefinition<'sale.fulfilled', z.ZodType<SaleFulfilledPayload>> = defineEvent({
  type: 'sale.fulfilled',
  version: 1,
  payload: z.object({ saleId: saleIdSchema, at: instantSchema }),
});

/** Every event a sale stream holds. */
export type SaleEvent = EventOf<typeof saleCreated> | EventOf<typeof saleFulfilled>;
/** The sale event definitions (current versions). @example `createEventRegistry({ events: saleEvents })` */
export const saleEvents: readonly EventDefinition[] = [saleCreated, saleFulfilled];

/** Creates the sale (only the acceptance workflow does). */
export interface CreateSale {
  readonly type: 'create';
  readonly snapshot: SaleCreatedPayload;
}
/** created → fulfilled. */
export interface FulfilSale {
  readonly type: 'fulfil';
  readonly at: Instant;
}
/** Every sale command. */
export type SaleCommand = CreateSale | FulfilSale;

/**
 * Why a sale command was refused: `SALE_ALREADY_EXISTS` (one sale per id; `quote_id` is unique in the
 * table too), `SALE_NOT_FOUND`, `SALE_FULFILLED` (terminal).
 */
export type SaleRejectionCode = 'SALE_ALREADY_EXISTS' | 'SALE_NOT_FOUND' | 'SALE_FULFILLED';
/** A refused sale command. */
export type SaleRejection = Rejection<SaleRejectionCode>;
/**
 * Every sale rejection code.
 *
 * @example
 * ```ts
 * expect([...seen].sort()).toEqual([...SALE_REJECTION_CODES].sort()); // every code is reachable
 * ```
 */
export const SALE_REJECTION_CODES: readonly SaleRejectionCode[] = [
  'SALE_ALREADY_EXISTS',
  'SALE_NOT_FOUND',
  'SALE_FULFILLED',
];

/** A sale's state: everything but `status` is immutable. */
export type SaleState =
  | { readonly status: 'absent' }
  | (Omit<SaleCreatedPayload, 'paymentSchedule' | 'acceptedByContactId' | 'commercialSnapshot'> & {
      readonly status: 'created' | 'fulfilled';
      readonly paymentSchedule: readonly PaymentItem[];
      readonly fulfilledAt: Instant | null;
      /** The accepting customer contact; null when not named (and for sales made before it was kept). */
      readonly acceptedByContactId: string | null;
      /** The commercial snapshot; null for sales made before it was kept. */
      readonly commercialSnapshot: CommercialSnapshot | null;
    });

/** The state before any event. @example `initialSaleState()` → `{ status: 'absent' }` */
export function initialSaleState(): SaleState {
  return { status: 'absent' };
}

/**
 * Folds one event into a sale's state.
 *
 * @example
 * ```ts
 * const state = events.reduce(evolveSale, initialSaleState());
 * ```
 */
export function evolveSale(state: SaleState, event: SaleEvent): SaleState {
  if (event.type === 'sale.created') {
    if (state.status !== 'absent') return state;
    return {
      ...event.payload,
      paymentSchedule: event.payload.paymentSchedule ?? [],
      acceptedByContactId: event.payload.acceptedByContactId ?? null,
      commercialSnapshot: event.payload.commercialSnapshot ?? null,
      status: 'created',
      fulfilledAt: null,
    };
  }
  return state.status === 'created'
    ? { ...state, status: 'fulfilled', fulfilledAt: event.payload.at }
    : state;
}

/**
 * Decides a sale command.
 *
 * @example
 * ```ts
 * decideSale({ type: 'fulfil', at }, state);
 * ```
 */
export function decideSale(
  command: SaleCommand,
  state: SaleState,
  _facts?: undefined,
): Result<readonly SaleEvent[], SaleRejection> {
  return checkedDecision(saleCommandSchema, command, 'sale command', () => {
    if (command.type === 'create') {
      if (state.status !== 'absent') return err(reject('SALE_ALREADY_EXISTS', 'the sale exists already'));
      return ok([{ type: 'sale.created', payload: command.snapshot }]);
    }
    if (state.status === 'absent') return err(reject('SALE_NOT_FOUND', 'no such sale'));
    if (state.status === 'fulfilled') return err(reject('SALE_FULFILLED', 'a fulfilled sale is final'));
    return ok([{ type: 'sale.fulfilled', payload: { saleId: state.saleId, at: command.at } }]);
  });
}

/** The shape of a {@link SaleCommand} (the snapshot is the `sale.created` payload). */
const saleCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('create'), snapshot: saleCreated.payload }),
  z.object({ type: z.literal('fulfil'), at: instantSchema }),
]);

/**
 * The sale aggregate as a decider (stream type `sale`).
 *
 * @example
 * ```ts
 * DeciderSpecification.for(saleDecider).given([]).when(createSale).then([saleCreatedEvent]);
 * ```
 */
export const saleDecider: Decider<SaleState, SaleCommand, SaleEvent, undefined, SaleRejection> = {
  initialState: initialSaleState,
  decide: decideSale,
  evolve: evolveSale,
};
