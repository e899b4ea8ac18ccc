import { describeDataStepCompile } from '../../sql/src/contract/compile-data-step-contract.test.js';
import { compilePostgres } from './compile.js';

describeDataStepCompile('postgres', compilePostgres);
