/**
 * Knowledge context: articles, their immutable versions and additive comments (spec §2.26–2.28), and
 * the offer to link or write an article when a ticket is resolved. Pure: no I/O, no clock.
 *
 * - **Article** (`knowledge_article` stream, {@link articleDecider}, no facts): draft → published →
 *   revised → published …; published or revised → archived, terminal. `revised` = published with a
 *   newer, unpublished version (readers still see the published one). A draft cannot be archived
 *   (nobody read it; it simply stays a draft).
 * - **Versions**: every content change (title or content) is a new version numbered current + 1 with
 *   its author and change summary; `revise` names the version it was based on and `publish` the version
 *   the publisher reviewed, so a concurrent revision is refused, never overwritten. Versions are only
 *   appended, so a published version means the same forever; the publication history is kept.
 * - **Links** to tickets, projects, tasks and customers are `knowledge.linked` events. Linking is
 *   idempotent: an already linked target is skipped and linking twice emits nothing (a no-op, not a
 *   rejection), so a retried link is safe. Links are never removed.
 * - **Comment** (`knowledge_comment` stream, one event, {@link commentDecider}): on one version of a
 *   non-archived article, optional rating 1–5, optional parent comment of the same article (threads;
 *   {@link commentThreads} arranges them). No edit: a correction is a new comment answering the old.
 *   {@link commentFactsLoader} reads its facts (the article, the parent) through the unit of work.
 * - **Resolved tickets**: {@link suggestForResolvedTicket} turns a `ticket.resolved`-like fact into a
 *   `knowledge.suggested` event; {@link linkFromSuggestion} / {@link createFromSuggestion} build the
 *   command that accepts it.
 * - **Envelope context**: {@link withKnowledgeContext} puts the article and the linked ticket, project,
 *   task or customer on each event for KPI scopes and the feed.
 *
 * @packageDocumentation
 * @module
 */
export {
  ARTICLE_REJECTION_CODES,
  ARTICLE_STREAM_TYPE,
  type ArchiveArticle,
  type ArticleArchivedPayload,
  type ArticleCommand,
  type ArticleCreatedPayload,
  type ArticleDetails,
  type ArticleEvent,
  type ArticleLink,
  type ArticleLinkedPayload,
  type ArticlePublication,
  type ArticlePublishedPayload,
  type ArticleRejection,
  type ArticleRejectionCode,
  type ArticleRevisedPayload,
  type ArticleState,
  type ArticleStatus,
  type ArticleVersion,
  articleArchived,
  articleCommandSchema,
  articleCreated,
  articleDecider,
  articleEvents,
  articleLinked,
  articlePublished,
  articleRevised,
  type CreateArticle,
  currentVersion,
  decideArticle,
  type ExistingArticle,
  evolveArticle,
  initialArticleState,
  isLinked,
  type LinkArticle,
  type PublishArticle,
  publishedVersion,
  type ReviseArticle,
  type VersionPayload,
  versionByNumber,
} from './article/index.js';
export {
  type ArticleFact,
  articleCommented,
  articleFactOf,
  COMMENT_REJECTION_CODES,
  COMMENT_STREAM_TYPE,
  type CommentCommand,
  type CommentEvent,
  type CommentedPayload,
  type CommentFacts,
  type CommentFactsDefinitions,
  type CommentFactsInput,
  type CommentRejection,
  type CommentRejectionCode,
  type CommentState,
  type CommentThread,
  commentCommandSchema,
  commentDecider,
  commentEvents,
  commentFactsLoader,
  commentThreads,
  decideComment,
  evolveComment,
  initialCommentState,
  type ParentCommentFact,
  type PostComment,
  type PostedComment,
  parentFactOf,
} from './comment/index.js';
export {
  type KnowledgeEvent,
  knowledgeEventContext,
  knowledgeEventDefinitions,
  knowledgeEventRegistry,
  withKnowledgeContext,
} from './events.js';
export {
  archiveReasonSchema,
  articleCategorySchema,
  articleContentSchema,
  articleTitleSchema,
  changeSummarySchema,
  commentBodySchema,
  DEFAULT_ARTICLE_CATEGORY,
  distinctTargets,
  LINK_KINDS,
  type LinkKind,
  type LinkTarget,
  linkTargetSchema,
  MAX_ARTICLE_CONTENT_LENGTH,
  MAX_COMMENT_BODY_LENGTH,
  type Rating,
  ratingSchema,
  sameTarget,
} from './fields.js';
export {
  type ArticleId,
  type ArticleVersionId,
  articleIdSchema,
  articleVersionIdSchema,
  type CommentId,
  commentIdSchema,
  newArticleId,
  newArticleVersionId,
  newCommentId,
} from './ids.js';
export {
  type ArticleCandidate,
  type ArticleFromSuggestionInput,
  articleSuggested,
  createFromSuggestion,
  linkFromSuggestion,
  MAX_SUGGESTED_CANDIDATES,
  type ResolutionSuggestion,
  SUGGESTION_STREAM_TYPE,
  type SuggestedEvent,
  type SuggestedPayload,
  suggestForResolvedTicket,
  suggestionEvents,
  type TicketResolvedFact,
  ticketResolvedFactSchema,
  ticketSubjectSchema,
} from './suggestion/index.js';
