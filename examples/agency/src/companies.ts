// The customer base: a generated CSV (with a few bad rows) imported through `importCompaniesCsv`.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Crm, Identity } from '@pet-ops/core';
import { type CompanyImportReport, crmRepository, importCompaniesCsv } from '@pet-ops/sql';
import type { Agency } from './agency.js';
import type { Progress } from './progress.js';
import { companyCsv, QUARTER, type Scenario } from './scenario.js';
import { simClock } from './sim-clock.js';

/** The imported customers, in the order of the good CSV rows (a lead's `companyIndex` points here). */
export interface Customers {
  readonly companyIds: readonly Crm.CompanyId[];
  readonly report: CompanyImportReport;
}

/**
 * Writes the scenario's CSV to a temporary file and imports it (the import streams and batches the file,
 * dead-letters the bad rows and records the run), then looks the companies up by their external ids.
 *
 * @example
 * ```ts
 * const { companyIds, report } = await importCustomers(agency, scenario, directorId, progress);
 * ```
 */
export async function importCustomers(
  agency: Agency,
  scenario: Scenario,
  importedBy: Identity.EmployeeId,
  progress: Progress,
): Promise<Customers> {
  const dir = await mkdtemp(join(tmpdir(), 'pet-agency-'));
  const file = join(dir, 'companies.csv');
  const phase = progress.phase('company import (CSV)', scenario.companyRows.length);
  try {
    await writeFile(file, companyCsv(scenario), 'utf8');
    let seen = 0;
    // The library reads any byte stream (no file I/O of its own): here, the file.
    const report = await importCompaniesCsv({
      db: agency.db,
      dialect: agency.dialect,
      events: agency.events,
      prefix: agency.prefix,
      source: createReadStream(file),
      fileName: 'companies.csv',
      totalBytes: (await stat(file)).size,
      clock: simClock(QUARTER.start - 7 * 24 * 3_600_000),
      actor: { type: 'employee', id: importedBy },
      batchSize: 200,
      onProgress: (p) => {
        phase.tick(p.rowsRead - seen);
        seen = p.rowsRead;
      },
    });
    const good = scenario.companyRows.filter((r) => r.externalId !== null);
    const companyIds = await agency.unitOfWork.run(async (scope) => {
      const ids: Crm.CompanyId[] = [];
      for (const row of good) {
        const company = await crmRepository.companyByExternalId(scope, row.externalId!);
        if (company === null) throw new Error(`company ${row.externalId} was not imported`);
        ids.push(company.companyId);
      }
      return ids;
    });
    const byReason = new Map<string, number>();
    for (const r of report.rejections) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
    const reasons = [...byReason].map(([reason, n]) => `${reason} ×${n}`).join(', ');
    phase.done(
      `${report.created} created, ${report.exists} existing, ${report.rejected} dead-lettered (${reasons})`,
    );
    return { companyIds, report };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
