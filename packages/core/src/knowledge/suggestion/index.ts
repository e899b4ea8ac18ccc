export {
  articleSuggested,
  MAX_SUGGESTED_CANDIDATES,
  SUGGESTION_STREAM_TYPE,
  type SuggestedEvent,
  type SuggestedPayload,
  suggestionEvents,
  ticketSubjectSchema,
} from './events.js';
export {
  type ArticleCandidate,
  type ArticleFromSuggestionInput,
  createFromSuggestion,
  linkFromSuggestion,
  type ResolutionSuggestion,
  suggestForResolvedTicket,
  type TicketResolvedFact,
  ticketResolvedFactSchema,
} from './suggest.js';
