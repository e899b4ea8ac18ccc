export {
  createKpiRunner,
  type KpiResultQuery,
  type KpiRunner,
  type KpiRunnerOptions,
  type KpiRunSummary,
} from './runner.js';
