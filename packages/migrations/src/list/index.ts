import type { Migration } from '../migration.js';
import { createSchemaMigrations } from './2026_11_22_0001_create_schema_migrations.js';
import { createDomainEvents } from './2026_11_22_0002_create_domain_events.js';

/**
 * PET's one authoritative, ordered migration list, used by every entry point (API, CLI, tests).
 * Append new migrations at the end with a later id; never edit, reorder or remove a released one.
 * The first entry is always the journal (bootstrap) migration.
 */
export const migrations: readonly Migration[] = Object.freeze([createSchemaMigrations, createDomainEvents]);

/** The bootstrap migration that creates the journal; every list the engine runs must start with it. */
export const journalMigration: Migration = createSchemaMigrations;

/** The logical name of the journal table (the engine prefixes it). */
export const JOURNAL_TABLE = 'schema_migrations';
/** The logical name of the event log table that migration events are written to. */
export const EVENTS_TABLE = 'domain_events';
