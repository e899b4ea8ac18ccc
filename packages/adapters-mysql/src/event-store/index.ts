export { DEFAULT_GAP_SAFETY, type GapSafetySettings } from './event-log.js';
export { createMysqlEventStore, type MysqlEventStoreOptions } from './event-store.js';
export { appendLatchName, MAX_ROWS_PER_STATEMENT } from './statements.js';
