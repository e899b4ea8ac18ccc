import type { Identity, Instant } from '@pet-ops/core';
import type { AnyDatabase, PetDialect } from '../dialect.js';

/**
 * Every published org-structure version, oldest first, as the KPI engine and the activity feed take them
 * (`<prefix>org_structure_versions`; the prefix must already be validated). Internal to the runners.
 */
export async function loadOrgVersions(
  db: AnyDatabase,
  dialect: PetDialect,
  prefix: string,
): Promise<readonly Identity.OrgVersionSnapshot[]> {
  try {
    const rows = await db
      .selectFrom(`${prefix}org_structure_versions`)
      .select(['version_number', 'effective_from', 'structure'])
      .orderBy('version_number')
      .execute();
    return rows.map((r: Record<string, unknown>) => ({
      versionNumber: Number(r['version_number']),
      effectiveFrom: dialect.codecs.decodeInstant(r['effective_from']) as Instant,
      structure: dialect.codecs.decodeJson(r['structure']) as Identity.OrgStructure,
    }));
  } catch (e) {
    throw dialect.classifyError(e, 'loadOrgVersions');
  }
}

/** A number column read back (drivers hand BIGINTs over as text, numbers or bigints). */
export const toNumber = (v: unknown): number => Number(v as string | number | bigint);

/** A BIGINT column read back exactly. */
export const toBigInt = (v: unknown): bigint =>
  typeof v === 'bigint' ? v : BigInt(typeof v === 'number' ? v : String(v));

/** A BIGINT parameter: a number while exact (every driver binds it as an integer), else its decimal text. */
export const bigParam = (v: bigint): number | string =>
  v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
