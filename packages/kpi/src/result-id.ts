import { ValidationError } from '@pet-ops/core';

/** Splits a result id into its parts. @example `parseResultId('sales.win-rate@1/org:org/2026-04-01')` */
export function parseResultId(id: string): {
  versionId: string;
  scopeType: string;
  scopeId: string;
  periodStart: string;
} {
  const match = /^([^/]+@\d+)\/([a-z]+):(.+)\/(\d{4}-\d{2}-\d{2})$/.exec(id);
  if (match === null)
    throw new ValidationError('KPI result id', [
      { field: 'resultId', rule: 'must be key@version/scopeType:scopeId/YYYY-MM-DD' },
    ]);
  return {
    versionId: match[1] as string,
    scopeType: match[2] as string,
    scopeId: match[3] as string,
    periodStart: match[4] as string,
  };
}
