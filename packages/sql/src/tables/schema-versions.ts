import type { Commercial } from '@pet-ops/core';
import { definePartTable, derivedId, type PartTable } from '../state-table.js';

type Schema = Commercial.MalleableSchemaState;

/** The row id of version `version` of a malleable schema. @example `schemaVersionRowId(schemaId, 2)` */
export function schemaVersionRowId(schemaId: string, version: number): string {
  return derivedId('lead_schema_versions', schemaId, version);
}

/**
 * `lead_schema_versions` (spec §2.6): one row per version of a malleable schema (leads' and every other
 * entity type's — the seed names the table after its first use), UNIQUE(entity_type, version), kept in
 * step with the schema's state by the unit of work. A draft's fields change until it is published; then
 * the database freezes the row except the status, which only moves active → historical, and a
 * historical row entirely. A discarded draft keeps its row with `discarded_at` set (nothing is deleted).
 *
 * @example `malleableSchemasTable.parts` → `[leadSchemaVersionsTable]`
 */
export const leadSchemaVersionsTable: PartTable<Schema> = definePartTable<Schema>({
  table: 'lead_schema_versions',
  columns: {
    id: { type: 'id' },
    schema_id: { type: 'id' },
    entity_type: { type: 'text' },
    version: { type: 'int' },
    status: { type: 'enum' },
    schema_json: { type: 'json' },
    published_at: { type: 'instant', nullable: true },
    discarded_at: { type: 'instant', nullable: true },
  },
  rowsOf: (s, schemaId) =>
    s.status === 'absent'
      ? []
      : s.versions.map((v) => ({
          id: schemaVersionRowId(schemaId, v.version),
          schema_id: schemaId,
          entity_type: v.entityType,
          version: v.version,
          status: v.status,
          schema_json: v.fields,
          published_at: v.publishedAt,
          discarded_at: null,
        })),
  retiredColumn: 'discarded_at',
});

/**
 * The versions of a schema from its rows (discarded drafts skipped), oldest first: the inverse of
 * {@link leadSchemaVersionsTable}.
 *
 * @example `assembleSchemaVersions(rows)` → `[{ version: 1, status: 'active', … }]`
 */
export function assembleSchemaVersions(
  rows: readonly Readonly<Record<string, unknown>>[],
): Commercial.MalleableSchemaVersion[] {
  return rows
    .filter((r) => r['discarded_at'] === null)
    .sort((a, b) => Number(a['version']) - Number(b['version']))
    .map((r) => ({
      entityType: String(r['entity_type']),
      version: Number(r['version']),
      status: r['status'] as Commercial.SchemaVersionStatus,
      fields: r['schema_json'] as Commercial.MalleableField[],
      publishedAt: (r['published_at'] as Commercial.MalleableSchemaVersion['publishedAt']) ?? null,
    }));
}
