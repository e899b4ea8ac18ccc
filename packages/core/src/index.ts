/**
 * `@pet-ops/core`: PET's pure domain kernel — ids, money, instants, results and rejections, the event
 * envelope and registry, deciders, ports and the command handler. No I/O, no clock, no randomness.
 *
 * @packageDocumentation
 * @module @pet-ops/core
 */

/** Commercial context: leads, opportunities, quotes, sales. @example `Commercial.decideLead(cmd, state)` */
export * as Commercial from './commercial/index.js';
/** CRM context: companies, their slots, people, CSV intake. @example `Crm.normalizeWebsite(raw)` */
export * as Crm from './crm/index.js';
/** Identity context: employees, teams, org versions. @example `Identity.decideEmployee(cmd, state, facts)` */
export * as Identity from './identity/index.js';
export * from './kernel/index.js';
