export { markOpportunityWon } from '@pet-ops/sql';
