import { describeOpenVarianceKeysContract } from '../../sql/src/contract/open-variance-keys-contract.test.js';
import { postgresEngineTarget } from './fixtures.test.js';

describeOpenVarianceKeysContract('postgres', () => postgresEngineTarget('ov_'));
