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
  type RatioMeasure,
  type ScopeType,
  type SpanMeasure,
  type Thresholds,
  type ValueSource,
  versionId,
} from './definition.js';
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
