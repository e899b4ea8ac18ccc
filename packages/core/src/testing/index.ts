/**
 * `@pet-ops/core/testing`: in-memory ports and given/when/then helpers for deciders.
 *
 * @packageDocumentation
 */
export {};
