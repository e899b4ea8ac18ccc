export { createMysqlUnitOfWork, type MysqlUnitOfWorkOptions } from './unit-of-work.js';
