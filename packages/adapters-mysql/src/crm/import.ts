import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Actor, type Clock, type IdGenerator, parseInput, ValidationError } from '@pet-ops/core';
import {
  type CrmImportReport,
  type ImportProgress,
  type ImportRowOutcome,
  importCompaniesCsv as importOnSeam,
} from '@pet-ops/sql';
import { Kysely } from 'kysely';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { poolSchema } from '../event-store/event-log.js';
import { mysqlDialect } from '../pet-dialect.js';
import { tablePrefixSchema } from '../prefix.js';

export type { ImportProgress, ImportRejection, ImportRowOutcome } from '@pet-ops/sql';

/** Options of {@link importCompaniesCsv}. */
export interface ImportCompaniesOptions {
  /** A mysql2 promise pool made by `connect()`. */
  readonly pool: Pool;
  /** Table prefix of the PET tables. */
  readonly prefix: string;
  /** Path of the CSV file (UTF-8, header row with `name` and any of `website`, `external_id`, `ein`). */
  readonly file: string;
  /** Report what would happen and write nothing at all. Default false. */
  readonly dryRun?: boolean;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: UUIDv7. */
  readonly ids?: IdGenerator;
  /** Who the events are attributed to. Default `{ type: 'integration', id: 'crm-import' }`. */
  readonly actor?: Actor;
  /** Called after every batch and once at the end. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Called for every data row, in file order (per batch). */
  readonly onRow?: (row: ImportRowOutcome) => void;
  /** Rows per transaction (1 … 5000). Default 1000. */
  readonly batchSize?: number;
  /** How many rejections the report lists (0 … 10 000). Default 100; all are dead-lettered anyway. */
  readonly maxReportedRejections?: number;
}

/** What an import did: the seam's report (`deadLettersWritten` included). */
export type CompanyImportReport = CrmImportReport;

const optionsSchema = z.object({
  pool: poolSchema,
  prefix: tablePrefixSchema,
  file: z.string().min(1, 'is required'),
});

/**
 * Imports companies from a CSV file on MySQL/MariaDB: the file-path form of `@pet-ops/sql`'s
 * `importCompaniesCsv`, which it runs on `mysqlDialect({ pool })` (one implementation for every database).
 * Every new company gets a `CO-…` uid and its three slots; a company already known by its website host
 * (first; keys stored with a path are found by their host) or its external id counts as `exists`; bad rows
 * go to `<prefix>crm_dead_letters` once (a re-run stores none again); `dryRun` writes nothing. Batches of
 * 1000 rows unless `batchSize` says otherwise.
 *
 * Throws a `ValidationError` for bad options, an unreadable file (`file`) or a file without a `name`
 * column, or a typed `PetError` when the run cannot go on; batches already committed stay.
 *
 * @example
 * ```ts
 * const report = await importCompaniesCsv({
 *   pool, prefix: 'wp_pet_', file: 'companies.csv', dryRun: true,
 *   onProgress: (p) => console.log(`${p.bytesRead}/${p.totalBytes} bytes, ${p.created} new`),
 * });
 * console.log(report.created, report.exists, report.rejected, report.rejections[0]);
 * ```
 */
export async function importCompaniesCsv(options: ImportCompaniesOptions): Promise<CompanyImportReport> {
  const valid = parseInput(optionsSchema, options, 'import options');
  let totalBytes: number;
  try {
    const st = await stat(valid.file);
    if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    totalBytes = st.size;
  } catch (e) {
    throw new ValidationError('import options', [
      {
        field: 'file',
        rule: `must be a readable file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      },
    ]);
  }
  const dialect = mysqlDialect({ pool: options.pool });
  // Not destroyed: Kysely's destroy() would end the host's pool.
  const db = new Kysely<never>({ dialect: dialect.kysely });
  const { pool: _pool, file: _file, batchSize, ...rest } = options;
  return importOnSeam({
    ...rest,
    db,
    dialect,
    source: createReadStream(valid.file),
    fileName: basename(valid.file).slice(0, 255),
    totalBytes,
    batchSize: batchSize ?? 1000,
  });
}
