import { describeDataStepCompile } from '../../sql/src/contract/compile-data-step-contract.test.js';
import { compileSqlite } from './compile.js';

describeDataStepCompile('sqlite', compileSqlite);
