// Not a test file: the KPI fixtures of the runner's integration tests, shared with the seam's contract suites.
export { commercialDrafts, fixtureId } from '../../../sql/src/contract/kpi-fixtures.test.js';
