import { describeOpenVarianceKeysContract } from '../../../sql/src/contract/open-variance-keys-contract.test.js';
import { mariadbEngineTarget } from './fresh-database.test.js';

describeOpenVarianceKeysContract('mariadb', () => mariadbEngineTarget('ov_'));
