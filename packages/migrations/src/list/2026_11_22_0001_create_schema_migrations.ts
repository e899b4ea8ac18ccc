import { defineMigration, type Migration } from '../migration.js';
import { col } from '../vocabulary.js';

/**
 * The migration journal, `<prefix>schema_migrations`: one row per started migration with its checksum,
 * status, per-statement progress and error. It is the bootstrap migration: the engine runs its single,
 * idempotent statement before it can read the journal, then records it like any other migration.
 * The engine's code depends on this exact shape; never change it in a later migration without
 * changing the engine in the same release.
 */
export const createSchemaMigrations: Migration = defineMigration({
  id: '2026_11_22_0001_create_schema_migrations',
  name: 'Create the migration journal',
  operations: [
    {
      op: 'createTable',
      table: 'schema_migrations',
      columns: [
        col.text('id', 128),
        col.text('name', 255),
        // sha256 (hex) of the migration's statements compiled for the empty prefix.
        col.text('checksum', 64),
        col.enum('status', ['running', 'applied', 'failed']),
        col.int('applied_steps', { unsigned: true, default: 0 }),
        col.int('total_steps', { unsigned: true }),
        // sha256 (hex) of each statement: the applied ones must never change, the rest may be fixed.
        col.json('step_checksums'),
        col.int('attempts', { unsigned: true, default: 1 }),
        col.int('failed_step', { unsigned: true, nullable: true }),
        col.longText('error', { nullable: true }),
        col.instant('started_at'),
        col.instant('updated_at'),
        col.instant('finished_at', { nullable: true }),
      ],
      primaryKey: ['id'],
      indexes: [{ name: 'ix_status', columns: ['status'] }],
    },
  ],
});
