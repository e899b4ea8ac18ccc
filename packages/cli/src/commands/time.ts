import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { isPetError } from '@pet-ops/core';
import { importTimeCsv, TIME_IMPORT_COLUMNS, type TimeImportReport } from '@pet-ops/sql';
import { type Command, InvalidArgumentError } from 'commander';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { CliFailure } from '../failure.js';
import { createProgress } from '../progress.js';
import { withDatabaseOf } from '../target.js';
import type { CommandContext, Session } from './context.js';

interface TimeImportOptions {
  readonly dryRun?: boolean;
  readonly batchSize?: number;
  readonly deadLetters?: string;
}

function unreadable(file: string, code: string | undefined): CliFailure {
  return new CliFailure(
    'FILE_NOT_FOUND',
    `cannot read ${file} (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}); pass the path of a readable CSV file`,
    EXIT.notFound,
  );
}

/** A file that cannot be read as a timesheet CSV is "input rejected"; a vanished one "not found". */
function fileFailure(e: unknown, file: string): never {
  if (isPetError(e, 'VALIDATION_FAILED')) {
    const issues = (e.details['issues'] ?? []) as readonly { field: string; rule: string }[];
    const fileIssue = issues.find((i) => i.field === 'source');
    if (fileIssue !== undefined) {
      const code = /(ENOENT|EISDIR|EACCES)/.exec(fileIssue.rule)?.[1];
      if (code !== undefined) throw unreadable(file, code);
      throw new CliFailure(
        'INVALID_CSV',
        `${file} is not a usable timesheet CSV: ${fileIssue.rule}; the first row must name the columns: ${TIME_IMPORT_COLUMNS}`,
        EXIT.invalidInput,
      );
    }
  }
  throw e;
}

/** One CSV field, quoted when it needs to be. */
const csvField = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function summary(r: TimeImportReport): string {
  const verb = r.dryRun ? 'would create' : 'created';
  return `${r.dryRun ? 'dry run of' : 'imported'} ${r.fileName}: ${r.rows} row(s) — ${r.created} draft entr${r.created === 1 ? 'y' : 'ies'} ${verb}, ${r.exists} already there, ${r.rejected} rejected${r.dryRun ? '; nothing was written' : ''}`;
}

async function runImport(ctx: CommandContext, file: string, options: TimeImportOptions): Promise<ExitCode> {
  const { out, target } = ctx;
  const size = await stat(file).then(
    (st) => {
      if (!st.isFile()) throw unreadable(file, 'EISDIR');
      return st.size;
    },
    (e: NodeJS.ErrnoException) => {
      throw unreadable(file, e.code);
    },
  );
  let letters: WriteStream | undefined;
  if (options.deadLetters !== undefined) {
    const path = options.deadLetters;
    letters = createWriteStream(path, { flags: 'w' });
    await new Promise<void>((resolve, reject) => {
      letters?.once('open', () => resolve());
      letters?.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new CliFailure(
            'DEAD_LETTERS_UNWRITABLE',
            `cannot write the dead letters to ${path} (${e.code ?? e.message}); pass a writable path to --dead-letters`,
            EXIT.usage,
          ),
        ),
      );
    });
    letters.write('row,reason,field,detail,raw\n');
  }
  const bar = createProgress(out);
  try {
    const report = await withDatabaseOf(target, async ({ db, dialect }) => {
      let started = false;
      try {
        return await importTimeCsv({
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
          ...(letters === undefined
            ? {}
            : {
                onRejection: (l) => {
                  letters?.write(
                    `${[l.row, l.reason, l.field, l.detail, l.raw].map((v) => csvField(v)).join(',')}\n`,
                  );
                },
              }),
        });
      } catch (e) {
        fileFailure(e, file);
      } finally {
        bar.stop();
      }
    });
    out.data({ ...report, deadLetters: options.deadLetters ?? null });
    out.line(summary(report));
    for (const r of report.rejections)
      out.line(`  line ${r.row}: ${r.reason}${r.field === null ? '' : ` (${r.field})`} ${r.detail}`);
    if (report.rejected > report.rejections.length)
      out.line(`  … and ${report.rejected - report.rejections.length} more`);
    if (options.deadLetters !== undefined && report.rejected > 0)
      out.line(`rejected rows (with their raw text) written to ${options.deadLetters}`);
    return EXIT.ok;
  } finally {
    if (letters !== undefined) {
      const l = letters;
      await new Promise<void>((resolve) => l.end(() => resolve()));
    }
  }
}

const batchSize = (v: string): number => {
  if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > 5000) {
    throw new InvalidArgumentError(`--batch-size must be a whole number from 1 to 5000, got '${v}'`);
  }
  return Number(v);
};

/** `pet time import <file.csv> [--dry-run] [--dead-letters <file>]`. */
export function timeCommand(program: Command, session: Session): void {
  const time = program.command('time').description('time entries: timesheets from other systems');
  time
    .command('import')
    .description(
      `import timesheets from a CSV file with a header row (${TIME_IMPORT_COLUMNS}) as draft time entries ` +
        '(each owner submits their own). Idempotent: a row already imported (same external id, or same ' +
        'employee, start and end) is reported, not duplicated; bad rows are rejected with a typed reason ' +
        '(kept as dead letters with --dead-letters), the rest is imported (exit 0)',
    )
    .argument('<file.csv>', 'the CSV file (UTF-8); times ISO-8601 with an offset or Z')
    .option('--dry-run', 'report what would happen, write nothing')
    .option(
      '--dead-letters <file>',
      'write every rejected row (line, reason, field, detail, raw text) to this CSV',
    )
    .option('--batch-size <rows>', 'rows per transaction (default 1000)', batchSize)
    .action(async (file: string, o: TimeImportOptions, cmd: Command) => {
      session.finish(await runImport(session.context(cmd), file, o));
    });
}
