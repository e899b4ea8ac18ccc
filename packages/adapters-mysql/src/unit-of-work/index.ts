export {
  createMysqlUnitOfWork,
  type MysqlUnitOfWorkOptions,
  mysqlScopeQuery,
  type ScopeQuery,
} from './unit-of-work.js';
