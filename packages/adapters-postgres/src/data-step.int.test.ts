// Data steps in migrations on PostgreSQL (@pet-ops/sql's engine, in the migration's transaction): the
// shared contract, with the live-schema verify.
import { describeDataStepContract } from '../../sql/src/contract/data-step-contract.test.js';
import { postgresEngineTarget } from './fixtures.test.js';

describeDataStepContract('postgres', () => postgresEngineTarget('ds_'));
