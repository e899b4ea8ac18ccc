import {
  type AggregateBinding,
  type AggregateDefinition,
  type CommandMetadata,
  type CommandRuntime,
  type DecidedEvent,
  type Instant,
  ok,
  type Rejection,
  type Result,
  runWorkflow,
  subtractMoney,
  type Uuid,
  type WorkflowOutcome,
  type WorkflowScope,
} from '../../kernel/index.js';
import type { QuoteCommand } from '../quote/commands.js';
import { quoteDecider } from '../quote/decider.js';
import type { QuoteEvent } from '../quote/events.js';
import { type QuoteId, type SaleId, soldMinutesByRole } from '../quote/model.js';
import type { QuoteFacts, QuotePolicy } from '../quote/policy.js';
import type { QuoteRejection } from '../quote/rejections.js';
import type { QuoteDetails, QuoteState } from '../quote/state.js';
import {
  type SaleCommand,
  type SaleCreatedPayload,
  type SaleEvent,
  type SaleRejection,
  type SaleState,
  saleDecider,
} from './sale.js';

/** The quote binding: the decider plus context references (`quoteId`, `customerId`) on every event. */
export type QuoteBinding = AggregateBinding<
  QuoteState,
  QuoteCommand,
  DecidedEvent,
  QuoteFacts | undefined,
  QuoteRejection
>;
/** The sale binding. */
export type SaleBinding = AggregateBinding<SaleState, SaleCommand, SaleEvent, undefined, SaleRejection>;

/**
 * Binds the quote decider to a storage definition; its events carry `context.quoteId` and
 * `context.customerId` (the CRM company), as the event contract asks.
 *
 * @example
 * ```ts
 * const handle = createCommandHandler(runtime, quoteBinding(quoteDefinition));
 * ```
 */
export function quoteBinding(definition: AggregateDefinition<QuoteState>): QuoteBinding {
  return {
    definition,
    decider: {
      initialState: quoteDecider.initialState,
      evolve: (s, e) => quoteDecider.evolve(s, e as QuoteEvent),
      decide: (c, s, f) => {
        const r = quoteDecider.decide(c, s, f);
        if (!r.ok) return r;
        return ok(
          r.value.map((e): DecidedEvent => {
            const p = e.payload as { quoteId: string; customerId?: string };
            const customerId = s.status === 'absent' ? p.customerId : s.customerId;
            return {
              ...e,
              context: { quoteId: p.quoteId, ...(customerId === undefined ? {} : { customerId }) },
            };
          }),
        );
      },
    },
  };
}

/**
 * Binds the sale decider to a storage definition.
 *
 * @example
 * ```ts
 * const sales = saleBinding(saleDefinition);
 * ```
 */
export function saleBinding(definition: AggregateDefinition<SaleState>): SaleBinding {
  return { definition, decider: saleDecider };
}

/** What the caller asks: accept `version` of `quoteId`, creating sale `saleId`. */
export interface AcceptQuoteInput {
  readonly quoteId: QuoteId;
  readonly saleId: SaleId;
  readonly version: number;
  readonly acceptedBy: string;
  readonly acceptedAt: Instant;
  /** The customer contact who accepted (a CRM person id), kept on the sale as `accepted_by_contact_id`. */
  readonly acceptedByContactId?: string | null;
}

/** What every step sees: the input, the accepted quote and the sale, and the open workflow. */
export interface AcceptanceContext {
  readonly input: AcceptQuoteInput;
  readonly workflow: WorkflowScope;
  readonly quote: QuoteDetails;
  readonly sale: SaleCreatedPayload;
}

/**
 * One participant of the acceptance transaction, run after the quote is accepted and the sale created
 * (e.g. delivery's project + sold constraints v1 + milestones + tasks, or marking the opportunity won).
 * A rejection rolls the whole acceptance back.
 */
export interface AcceptanceStep {
  readonly name: string;
  /** Runs inside the acceptance transaction; a rejection rolls the whole acceptance back. */
  readonly run: (context: AcceptanceContext) => Promise<Result<unknown, Rejection>>;
}

/** What an acceptance produced. */
export interface AcceptanceResult {
  readonly quoteId: QuoteId;
  readonly saleId: SaleId;
  readonly sale: SaleCreatedPayload;
}

/** The acceptance workflow: one call, one transaction. */
export type AcceptQuote = (
  input: AcceptQuoteInput,
  metadata: CommandMetadata,
) => Promise<Result<WorkflowOutcome<AcceptanceResult>, Rejection>>;

/**
 * Builds the acceptance workflow: in **one** unit of work it accepts the sent version (row-locked, so
 * of two concurrent accepts exactly one wins and the other gets `QUOTE_ACCEPTED`), creates the sale
 * (snapshot of totals, currency, payment schedule, sold minutes per role, the accepted version's
 * commercial content, who accepted — with the customer contact when named — and when), fires
 * the due events of undated payment items, then runs `steps` in order. Any rejection writes nothing.
 *
 * @example
 * ```ts
 * const accept = createQuoteAcceptance(runtime, { quotes: quoteDefinition, sales: saleDefinition }, [markOpportunityWon]);
 * const r = await accept({ quoteId, saleId, version: 1, acceptedBy: contactId, acceptedAt }, { actor });
 * ```
 */
export function createQuoteAcceptance(
  runtime: CommandRuntime,
  definitions: {
    readonly quotes: AggregateDefinition<QuoteState>;
    readonly sales: AggregateDefinition<SaleState>;
    readonly policy?: QuotePolicy;
  },
  steps: readonly AcceptanceStep[] = [],
): AcceptQuote {
  const quotes = quoteBinding(definitions.quotes);
  const sales = saleBinding(definitions.sales);
  const facts: QuoteFacts | undefined =
    definitions.policy === undefined ? undefined : { policy: definitions.policy };
  return (input, metadata) =>
    runWorkflow<AcceptanceResult, Rejection>(runtime, metadata, async (workflow) => {
      const accepted = await workflow.execute(quotes, {
        streamId: input.quoteId as unknown as Uuid,
        command: {
          type: 'accept',
          saleId: input.saleId,
          version: input.version,
          acceptedBy: input.acceptedBy,
          acceptedAt: input.acceptedAt,
        },
        facts,
      });
      if (!accepted.ok) return accepted;
      const quote = accepted.value.state as QuoteDetails;
      const version = quote.versions.find((v) => v.version === input.version);
      const event = accepted.value.events[0]?.payload as
        | { totalSell: SaleCreatedPayload['total']; totalCost: SaleCreatedPayload['totalCost'] }
        | undefined;
      if (version === undefined || event === undefined) throw new Error('accept produced no quote.accepted');
      const sale: SaleCreatedPayload = {
        saleId: input.saleId,
        quoteId: input.quoteId,
        quoteVersion: input.version,
        opportunityId: quote.opportunityId,
        customerId: quote.customerId,
        total: event.totalSell,
        totalCost: event.totalCost,
        soldMinutesByRole: soldMinutesByRole(version.groups),
        acceptedBy: input.acceptedBy,
        acceptedAt: input.acceptedAt,
        paymentSchedule: version.schedule ?? [],
        ...(input.acceptedByContactId === undefined || input.acceptedByContactId === null
          ? {}
          : { acceptedByContactId: input.acceptedByContactId }),
        commercialSnapshot: {
          quoteNumber: quote.quoteNumber,
          title: version.title,
          currency: quote.currency,
          validUntil: version.validUntil,
          groups: version.groups,
          totals: {
            sell: event.totalSell,
            cost: event.totalCost,
            margin: subtractMoney(event.totalSell, event.totalCost),
          },
        },
      };
      const created = await workflow.execute(sales, {
        streamId: input.saleId as unknown as Uuid,
        command: { type: 'create', snapshot: sale },
      });
      if (!created.ok) return created;
      const context: AcceptanceContext = { input, workflow, quote, sale };
      for (const step of steps) {
        const r = await step.run(context);
        if (!r.ok) return r;
      }
      return ok({ quoteId: input.quoteId, saleId: input.saleId, sale });
    });
}
