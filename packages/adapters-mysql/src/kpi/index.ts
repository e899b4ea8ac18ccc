export { type MysqlKpiSeam, mysqlKpiSeam } from './accelerator.js';
export {
  createKpiRunner,
  type KpiResultQuery,
  type KpiRunner,
  type KpiRunnerOptions,
  type KpiRunnerStatus,
  type KpiRunSummary,
} from './runner.js';
