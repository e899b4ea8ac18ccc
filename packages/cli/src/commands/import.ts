import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { isPetError } from '@pet-ops/core';
import { type CrmImportReport, importCompaniesCsv, importPeopleCsv } from '@pet-ops/sql';
import { type Command, InvalidArgumentError } from 'commander';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { CliFailure } from '../failure.js';
import { createProgress } from '../progress.js';
import { withDatabaseOf } from '../target.js';
import type { CommandContext, Session } from './context.js';

interface ImportOptions {
  readonly dryRun?: boolean;
  readonly batchSize?: number;
}

/** What differs between `pet import companies` and `pet import people`. */
interface ImportKind {
  readonly importer: typeof importCompaniesCsv;
  /** The header the file must have. */
  readonly columns: string;
  readonly noun: string;
}

const COMPANIES: ImportKind = {
  importer: importCompaniesCsv,
  columns: 'name (required), website, external_id, ein',
  noun: 'company',
};
const PEOPLE: ImportKind = {
  importer: importPeopleCsv,
  columns: 'name (required), email (required), linkedin_url',
  noun: 'people',
};

/** A missing or unreadable file is "not found". */
function unreadable(file: string, code: string | undefined): CliFailure {
  return new CliFailure(
    'FILE_NOT_FOUND',
    `cannot read ${file} (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}); pass the path of a readable CSV file`,
    EXIT.notFound,
  );
}

/** A missing file is "not found"; a file that cannot be read as CSV is "input rejected". */
function fileFailure(e: unknown, file: string, kind: ImportKind): never {
  if (isPetError(e, 'VALIDATION_FAILED')) {
    const issues = (e.details['issues'] ?? []) as readonly { field: string; rule: string }[];
    const fileIssue = issues.find((i) => i.field === 'source' || i.field === 'file');
    if (fileIssue !== undefined) {
      if (/ENOENT|EISDIR|EACCES/.test(fileIssue.rule)) {
        const code = /(ENOENT|EISDIR|EACCES)/.exec(fileIssue.rule)?.[1];
        throw new CliFailure(
          'FILE_NOT_FOUND',
          `cannot read ${file} (${code === 'ENOENT' ? 'no such file' : code}); pass the path of a readable CSV file`,
          EXIT.notFound,
        );
      }
      throw new CliFailure(
        'INVALID_CSV',
        `${file} is not a usable ${kind.noun} CSV: ${fileIssue.rule}; the first row must name the columns: ${kind.columns}`,
        EXIT.invalidInput,
      );
    }
  }
  throw e;
}

function summary(r: CrmImportReport): string {
  const verb = r.dryRun ? 'would create' : 'created';
  const rejected = r.dryRun ? 'would be rejected' : 'rejected (kept as dead letters)';
  const kept =
    r.dryRun || r.rejected === r.deadLettersWritten
      ? ''
      : ` (${r.rejected - r.deadLettersWritten} already kept by an earlier run)`;
  return `${r.dryRun ? 'dry run of' : 'imported'} ${r.fileName}: ${r.rows} row(s) — ${r.created} ${verb}, ${r.exists} already there, ${r.rejected} ${rejected}${kept}${r.dryRun ? '; nothing was written' : ''}`;
}

async function runImport(
  ctx: CommandContext,
  kind: ImportKind,
  file: string,
  options: ImportOptions,
): Promise<ExitCode> {
  const { out, target } = ctx;
  const bar = createProgress(out);
  // The library reads a byte stream; opening the file is the command's job.
  const size = await stat(file).then(
    (st) => {
      if (!st.isFile()) throw unreadable(file, 'EISDIR');
      return st.size;
    },
    (e: NodeJS.ErrnoException) => {
      throw unreadable(file, e.code);
    },
  );
  const report = await withDatabaseOf(target, async ({ db, dialect }) => {
    let started = false;
    try {
      return await kind.importer({
        db,
        dialect,
        prefix: target.prefix,
        source: createReadStream(file),
        fileName: basename(file),
        totalBytes: size,
        dryRun: options.dryRun === true,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        onProgress: (p) => {
          if (!started) bar.start(p.totalBytes, 'bytes');
          started = true;
          bar.update(p.bytesRead, `bytes, ${p.rowsRead} rows`);
        },
      });
    } catch (e) {
      fileFailure(e, file, kind);
    } finally {
      bar.stop();
    }
  });
  out.data(report);
  out.line(summary(report));
  for (const r of report.rejections) out.line(`  line ${r.row}: ${r.reason} ${r.detail}`);
  if (report.rejected > report.rejections.length) {
    out.line(
      `  … and ${report.rejected - report.rejections.length} more (see the dead letters of run ${report.runId})`,
    );
  }
  return EXIT.ok;
}

const batchSize = (v: string): number => {
  if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > 5000) {
    throw new InvalidArgumentError(`--batch-size must be a whole number from 1 to 5000, got '${v}'`);
  }
  return Number(v);
};

/** `pet import companies|people <file.csv> [--dry-run] [--batch-size n]`. */
export function importCommand(program: Command, session: Session): void {
  const imp = program.command('import').description('import CRM data from files');
  const add = (name: string, kind: ImportKind, what: string): void => {
    imp
      .command(name)
      .description(
        `import ${what} from a CSV file with a header row: ${kind.columns}. ` +
          `Idempotent: ${kind === PEOPLE ? 'a person whose e-mail is known' : 'a company that already exists'} is reported, not duplicated; bad rows are rejected ` +
          'and kept as dead letters (once: a re-run adds none), the rest is imported (exit 0)',
      )
      .argument('<file.csv>', 'the CSV file (UTF-8)')
      .option('--dry-run', 'report what would happen, write nothing')
      .option('--batch-size <rows>', 'rows per transaction (default 500)', batchSize)
      .action(async (file: string, o: ImportOptions, cmd: Command) => {
        session.finish(await runImport(session.context(cmd), kind, file, o));
      });
  };
  add('companies', COMPANIES, 'companies (with their CEO/CFO/HR slots)');
  add('people', PEOPLE, 'people (each with a PE-… uid; link them to slots with `pet crm link`)');
}
