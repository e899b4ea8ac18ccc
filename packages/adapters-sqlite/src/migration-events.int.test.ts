// Migration events on SQLite (transactional DDL): the shared contract.
import { describeMigrationEventsContract } from '../../sql/src/contract/migration-events-contract.test.js';
import { openSqlite } from './open.js';

describeMigrationEventsContract('sqlite', async () => openSqlite());
