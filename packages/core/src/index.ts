/**
 * `@pet-ops/core`: PET's pure domain kernel — ids, money, instants, results and rejections, the event
 * envelope and registry, deciders, ports and the command handler. No I/O, no clock, no randomness.
 *
 * @packageDocumentation
 * @module @pet-ops/core
 */

/** Business calendars: zones, working windows, holidays, business minutes. @example `Calendar.addBusinessMinutes(cal, start, 240)` */
export * as Calendar from './calendar/index.js';
/** Commercial context: leads, opportunities, quotes, sales. @example `Commercial.decideLead(cmd, state)` */
export * as Commercial from './commercial/index.js';
/** CRM context: companies, their slots, people, CSV intake. @example `Crm.normalizeWebsite(raw)` */
export * as Crm from './crm/index.js';
/** Delivery context: projects, sold constraints, milestones, tasks, variances. @example `Delivery.decideProject(cmd, state, facts)` */
export * as Delivery from './delivery/index.js';
/** Identity context: employees, teams, org versions. @example `Identity.decideEmployee(cmd, state, facts)` */
export * as Identity from './identity/index.js';
export * from './kernel/index.js';
/** Knowledge context: articles, versions, comments. @example `Knowledge.decideArticle(cmd, state)` */
export * as Knowledge from './knowledge/index.js';
export { createPetRegistry, type PetRegistryOptions, petEventDefinitions } from './registry.js';
/** Support context: tickets, SLA definitions, assignments and clocks, SLA events. @example `Support.decideTicket(cmd, state, facts)` */
export * as Support from './support/index.js';
/** Time context: time entries, adjustments, allocations, capacity. @example `Time.decideTimeEntry(cmd, state, facts)` */
export * as Time from './time/index.js';
