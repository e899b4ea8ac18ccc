/**
 * `@pet-ops/kpi`: PET's KPI engine — definitions as versioned data, a pure replay fold with
 * checkpoints, explanations and the activity-feed projection.
 *
 * @packageDocumentation
 * @module @pet-ops/kpi
 */
export {
  createLocalCalendar,
  type LocalCalendar,
  nextPeriod,
  type Period,
  type PeriodGrid,
  periodOf,
} from './calendar.js';
export { CATALOGUE_V1_KEYS, type CatalogueOptions, catalogueV1 } from './catalogue.js';
export {
  CATALOGUE_V2_KEYS,
  CATALOGUE_V2_MISSING,
  type CatalogueV2Options,
  catalogueV2,
  type Dashboard,
} from './catalogue-v2.js';
export { checkpointDeltaText } from './checkpoints.js';
export {
  type Aggregation,
  type ConversionMeasure,
  defineKpi,
  type EntityStep,
  type EventFilter,
  type EventSelector,
  type EventsMeasure,
  type KpiDefinitionVersion,
  type KpiUnit,
  type LevelMeasure,
  type LevelSetter,
  type Measure,
  type NumberSource,
  type OpenCountMeasure,
  type PlannedActualMeasure,
  type PluginKindInfo,
  type PluginMeasure,
  type RatioMeasure,
  SCOPE_TYPES,
  type ScopeType,
  type SpanMeasure,
  type SpreadMeasure,
  type SumRatioMeasure,
  type Thresholds,
  type TicketMeasure,
  type TicketMetric,
  type TicketTimeMeasure,
  type ValueSource,
  versionId,
} from './definition.js';
export { formatDuration } from './duration.js';
export {
  type Classification,
  type Contribution,
  createKpiEngine,
  type KpiCheckpoint,
  type KpiCheckpointDelta,
  type KpiEngine,
  type KpiEngineOptions,
  type KpiEvent,
  type KpiResult,
  type KpiState,
  parseResultId,
} from './engine.js';
export { type ContributingEvent, type Explanation, explain } from './explain.js';
export {
  type ActivityFeedOptions,
  type ActivityFeedProjection,
  type ActivityItem,
  type ActivityMapper,
  type ActivityMapping,
  type ActivitySeverity,
  type ActivityType,
  canSeeActivity,
  createActivityFeedProjection,
  DEFAULT_ACTIVITY_MAPPERS,
} from './feed.js';
export { BUILT_IN_MEASURE_KINDS, coefficientOfVariationBp, ticketSpan } from './kinds/index.js';
export {
  type CellDelta,
  type CellTotals,
  type CompiledMeasure,
  type ContributionPart,
  type ContributionRole,
  defaultValue,
  type EntityTracker,
  type FoldContext,
  type MeasureKind,
  type MemberScopes,
  type TrackContext,
  type Tracked,
  type ValueOf,
} from './measure-kind.js';
export {
  type ChartLibrary,
  DEFAULT_DASHBOARDS,
  formatValue,
  type KpiReportInput,
  type ReportExplanation,
  renderKpiReportHtml,
} from './report-html.js';
export {
  DEFAULT_EVENT_SCOPES,
  DEFAULT_FACT_SCOPES,
  type ScopeFacts,
  type ScopeIds,
  type ScopeSpec,
} from './scopes.js';
export {
  type KpiWindow,
  type KpiWindowResult,
  windowResults,
  windowStart,
} from './windows.js';
