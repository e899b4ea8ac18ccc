import { describeLeadConvertedStateContract } from '../../../sql/src/contract/lead-converted-state-contract.test.js';
import { mariadbEngineTarget } from './fresh-database.test.js';

describeLeadConvertedStateContract('mariadb', () => mariadbEngineTarget('lc_'));
