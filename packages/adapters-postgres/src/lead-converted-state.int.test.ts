import { describeLeadConvertedStateContract } from '../../sql/src/contract/lead-converted-state-contract.test.js';
import { postgresEngineTarget } from './fixtures.test.js';

describeLeadConvertedStateContract('postgres', () => postgresEngineTarget('lc_'));
