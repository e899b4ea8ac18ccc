import type { Decider } from '../../kernel/index.js';
import type { QuoteCommand } from './commands.js';
import { decideQuote } from './decide.js';
import type { QuoteEvent } from './events.js';
import type { QuoteFacts } from './policy.js';
import type { QuoteRejection } from './rejections.js';
import { evolveQuote, initialQuoteState, type QuoteState } from './state.js';

/**
 * The quote aggregate as a decider (stream type `quote`); its facts carry the approval policy
 * (`undefined` = `DEFAULT_QUOTE_POLICY`).
 *
 * @example
 * ```ts
 * DeciderSpecification.for(quoteDecider).given([created]).when({ type: 'send' }).thenRejects('QUOTE_NOT_READY');
 * ```
 */
export const quoteDecider: Decider<
  QuoteState,
  QuoteCommand,
  QuoteEvent,
  QuoteFacts | undefined,
  QuoteRejection
> = {
  initialState: initialQuoteState,
  decide: decideQuote,
  evolve: evolveQuote,
};
