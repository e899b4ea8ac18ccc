/**
 * `@pet-ops/core`: PET's pure domain kernel — ids, money, instants, results and rejections, the event
 * envelope and registry, deciders, ports and the command handler. No I/O, no clock, no randomness.
 *
 * @packageDocumentation
 * @module @pet-ops/core
 */

export * as Commercial from './commercial/index.js';
export * as Crm from './crm/index.js';
export * as Identity from './identity/index.js';
export * from './kernel/index.js';
