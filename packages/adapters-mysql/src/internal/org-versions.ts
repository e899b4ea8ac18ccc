import type { Identity, Instant } from '@pet-ops/core';
import type { Pool, RowDataPacket } from 'mysql2/promise';

/**
 * Every published org-structure version, oldest first, as the KPI engine and the activity feed take them
 * (`<prefix>org_structure_versions`; the prefix must already be validated).
 *
 * @example
 * ```ts
 * const orgVersions = await loadOrgVersions(pool, 'wp_');
 * ```
 */
export async function loadOrgVersions(
  pool: Pick<Pool, 'query'>,
  prefix: string,
): Promise<readonly Identity.OrgVersionSnapshot[]> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT version_number, DATE_FORMAT(effective_from, '%Y-%m-%dT%H:%i:%s.%fZ') AS effective_from, structure FROM \`${prefix}org_structure_versions\` ORDER BY version_number`,
  );
  return rows.map((r) => ({
    versionNumber: Number(r['version_number']),
    effectiveFrom: r['effective_from'] as Instant,
    structure: JSON.parse(r['structure'] as string) as Identity.OrgStructure,
  }));
}
