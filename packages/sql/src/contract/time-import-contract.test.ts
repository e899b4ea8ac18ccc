/**
 * The timesheet CSV import's contract (`importTimeCsv`), written once and run against every database (not
 * a test file itself: each adapter's `time-import.int.test.ts` calls {@link describeTimeImportContract}).
 */
import { Time } from '@pet-ops/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTimeCsv, type TimeImportDeadLetter } from '../contexts/time-import.js';
import type { AnyDatabase, PetDialect } from '../dialect.js';
import { createEventStore } from '../event-store/event-store.js';
import { caught, newId } from './event-store-contract.test.js';

/** One migrated database under test, reachable over two connections. */
export interface TimeImportTarget {
  readonly prefix: string;
  readonly first: { readonly db: AnyDatabase; readonly dialect: PetDialect };
  readonly second: { readonly db: AnyDatabase; readonly dialect: PetDialect };
  readonly close: () => Promise<void>;
}

/** The bytes of `text`, in chunks of `size` (so the reader meets records split across chunks). */
async function* chunks(text: string, size = 64): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/**
 * Declares the timesheet import contract for one database.
 *
 * @example
 * ```ts
 * describeTimeImportContract('sqlite', async () => ({ prefix, first, second, close }));
 * ```
 */
export function describeTimeImportContract(name: string, open: () => Promise<TimeImportTarget>): void {
  describe(`time import contract (${name})`, () => {
    let t: TimeImportTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(async () => {
      await t?.close();
    });
    const run = (text: string, more: Partial<Parameters<typeof importTimeCsv>[0]> = {}, i: 0 | 1 = 0) =>
      importTimeCsv({
        ...(i === 0 ? t.first : t.second),
        prefix: t.prefix,
        source: chunks(text),
        fileName: 'timesheets.csv',
        ...more,
      });
    async function entriesOf(employeeId: string): Promise<Record<string, unknown>[]> {
      const codecs = t.first.dialect.codecs;
      const rows = (await t.first.db
        .selectFrom(`${t.prefix}time_entries`)
        .select([
          'id',
          'state',
          'start_time',
          'end_time',
          'duration_minutes',
          'is_billable',
          'work_type',
          'description',
        ])
        .where('employee_id', '=', codecs.encodeId(employeeId))
        .execute()) as Record<string, unknown>[];
      return rows
        .map((r) => ({
          id: codecs.decodeId(r['id']),
          state: r['state'],
          start: codecs.decodeInstant(r['start_time']),
          end: codecs.decodeInstant(r['end_time']),
          minutes: Number(r['duration_minutes']),
          billable: r['is_billable'] === null ? null : codecs.decodeBool(r['is_billable']),
          workType: r['work_type'],
          description: String(r['description']),
        }))
        .sort((a, b) => a.start.localeCompare(b.start));
    }
    const header = 'external_id,employee_id,start,end,description,billable,work_type';

    it('given good and bad rows, when imported, then the good rows become drafts with one time_entry.created event each, and every bad row is rejected with its typed reason, field and raw text', async () => {
      const emp = newId();
      const csv = [
        header,
        `TS-1,${emp},2026-03-02T09:00:00+01:00,2026-03-02T10:30:00+01:00,"Workshop, day 1",yes,project`,
        `,${emp},2026-03-02T11:00:00Z,2026-03-02T11:00:30Z,Quick call,no,support`,
        `TS-3,,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,no employee,,`,
        `TS-4,${emp},2026-03-02 9am,2026-03-02T10:00:00Z,bad start,,`,
        `TS-5,${emp},2026-03-02T10:00:00Z,2026-03-02T09:00:00Z,backwards,,`,
        `TS-6,${emp},2026-03-02T12:00:00Z,2026-03-02T13:00:00Z,bad flag,maybe,`,
        `TS-1,${emp},2026-03-03T09:00:00Z,2026-03-03T10:00:00Z,same external id again,,`,
        `TS-8,${emp},"2026-03-02T14:00:00Z"x,2026-03-02T15:00:00Z,broken,,`,
      ].join('\n');
      const letters: TimeImportDeadLetter[] = [];
      const report = await run(csv, { onRejection: (l) => letters.push(l) });
      expect(report).toMatchObject({
        fileName: 'timesheets.csv',
        dryRun: false,
        rows: 8,
        created: 2,
        exists: 0,
        rejected: 6,
      });
      expect(report.rejections.map((r) => [r.row, r.reason, r.field])).toEqual([
        [4, 'MISSING_FIELD', 'employeeId'],
        [5, 'MALFORMED_FIELD', 'start'],
        [6, 'INVALID_INTERVAL', null],
        [7, 'MALFORMED_FIELD', 'billable'],
        [8, 'DUPLICATE_IN_FILE', null],
        [9, 'UNPARSEABLE_LINE', null],
      ]);
      expect(letters.map((l) => l.row)).toEqual([4, 5, 6, 7, 8, 9]);
      expect(letters[0]?.raw).toBe('TS-3,,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,no employee,,');
      for (const c of Time.TIMESHEET_INTAKE_CODES) expect(typeof c).toBe('string');
      const stored = await entriesOf(emp);
      expect(stored.map(({ id: _id, ...rest }) => rest)).toEqual([
        {
          state: 'draft',
          start: '2026-03-02T08:00:00.000000Z',
          end: '2026-03-02T09:30:00.000000Z',
          minutes: 90,
          billable: true,
          workType: 'project',
          description: 'Workshop, day 1',
        },
        {
          state: 'draft',
          start: '2026-03-02T11:00:00.000000Z',
          end: '2026-03-02T11:00:30.000000Z',
          minutes: 1,
          billable: false,
          workType: 'support',
          description: 'Quick call',
        },
      ]);
      const events = createEventStore({ ...t.first, prefix: t.prefix });
      for (const s of stored) {
        const stream = await events.readStream(s['id'] as never);
        expect(stream.map((e) => [e.type, e.streamType, e.streamVersion])).toEqual([
          ['time_entry.created', 'time_entry', 1],
        ]);
      }
    });

    it('given a file imported once, when it is imported again (or its rows match entries logged by hand), then nothing new is created and every good row counts as exists', async () => {
      const emp = newId();
      const rows = Array.from(
        { length: 25 },
        (_, i) =>
          `${i % 2 === 0 ? `X-${emp.slice(-6)}-${i}` : ''},${emp},2026-04-01T${String(8 + (i % 10)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00Z,2026-04-01T${String(8 + (i % 10)).padStart(2, '0')}:${String(i + 30).padStart(2, '0')}:00Z,row ${i},,`,
      );
      const csv = [header, ...rows].join('\n');
      const first = await run(csv, { batchSize: 7 });
      expect(first).toMatchObject({ rows: 25, created: 25, exists: 0, rejected: 0 });
      const again = await run(csv, { batchSize: 4 });
      expect(again).toMatchObject({ rows: 25, created: 0, exists: 25, rejected: 0 });
      expect(again.fileSha256).toBe(first.fileSha256);
      // The same slots under new external ids: the same employee, start and end is the same entry.
      const renamed = [header, ...rows.map((r, i) => `N${i}${r.slice(r.indexOf(','))}`)].join('\n');
      expect(await run(renamed)).toMatchObject({ created: 0, exists: 25 });
      expect(await entriesOf(emp)).toHaveLength(25);
    });

    it('property: for any file of valid, duplicated and bad rows in any batch size, the first import creates one entry per distinct row, a second creates nothing, and both reject the same rows', async () => {
      const row = fc.record({
        employee: fc.integer({ min: 0, max: 2 }),
        hour: fc.integer({ min: 0, max: 5 }),
        minutes: fc.integer({ min: -5, max: 90 }),
        external: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(row, { maxLength: 12 }),
          fc.integer({ min: 1, max: 5 }),
          async (rows, batchSize) => {
            const run = newId();
            const employees = [newId(), newId(), newId()];
            const lines = rows.map((r) => {
              const start = Date.UTC(2026, 7, 3, 8 + r.hour);
              const end = new Date(start + r.minutes * 60_000).toISOString();
              const external = r.external === null ? '' : `P-${run.slice(-8)}-${r.external}`;
              return `${external},${employees[r.employee]},${new Date(start).toISOString()},${end},p,,`;
            });
            // The model: a row is bad when its end is not after its start; a duplicate when an earlier good
            // row has its external id or its employee, start and end; else it is created.
            const keys = new Set<string>();
            let created = 0;
            let rejected = 0;
            for (const r of rows) {
              const slot = `${r.employee}/${r.hour}/${r.minutes}`;
              const key = r.external === null ? slot : `x${r.external}`;
              if (r.minutes <= 0 || keys.has(key) || keys.has(slot)) {
                rejected++;
                continue;
              }
              keys.add(key);
              keys.add(slot);
              created++;
            }
            const csv = [header, ...lines].join('\n');
            const first = await run_(csv, batchSize);
            const second = await run_(csv, 6 - batchSize);
            expect([first.created, first.exists, first.rejected]).toEqual([created, 0, rejected]);
            expect([second.created, second.exists, second.rejected]).toEqual([0, created, rejected]);
            expect(second.rejections).toEqual(first.rejections);
          },
        ),
        { numRuns: 12 },
      );
      function run_(csv: string, batchSize: number) {
        return run(csv, { batchSize });
      }
    });

    it('given dryRun, then it reports what would happen and writes nothing', async () => {
      const emp = newId();
      const csv = [
        header,
        `,${emp},2026-05-01T09:00:00Z,2026-05-01T10:00:00Z,a,,`,
        `,${emp},2026-05-01T10:00:00Z,2026-05-01T11:00:00Z,b,,`,
        `,${emp},2026-05-01T10:00:00Z,2026-05-01T11:00:00Z,b again,,`,
      ].join('\n');
      const dry = await run(csv, { dryRun: true });
      expect(dry).toMatchObject({ dryRun: true, rows: 3, created: 2, exists: 0, rejected: 1 });
      expect(await entriesOf(emp)).toEqual([]);
      await run(csv);
      expect(await run(csv, { dryRun: true })).toMatchObject({ created: 0, exists: 2, rejected: 1 });
    });

    it('given a header without the required columns, an empty file or bad options, then VALIDATION_FAILED naming the field and rule, nothing written', async () => {
      const emp = newId();
      for (const [text, rule] of [
        [`employee_id,start\n${emp},2026-05-01T09:00:00Z\n`, 'the header row has no end column'],
        ['', 'the file is empty'],
      ] as const) {
        const e = await caught(run(text));
        expect(e.code).toBe('VALIDATION_FAILED');
        expect(JSON.stringify(e.details)).toContain(rule);
      }
      const bad = await caught(run(`${header}\n`, { batchSize: 0 }));
      expect(bad.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(bad.details)).toContain('batchSize');
      expect(await entriesOf(emp)).toEqual([]);
    });

    it('given an import that stops in the middle of a source (onRejection throws), then it fails and the source is closed (its finally runs)', async () => {
      let closed = false;
      async function* source(): AsyncGenerator<Uint8Array> {
        try {
          yield new TextEncoder().encode(`${header}\n`);
          for (let i = 0; i < 50; i++) yield new TextEncoder().encode(`,not-an-employee,x,y,row ${i},,\n`);
        } finally {
          closed = true;
        }
      }
      const failed = await importTimeCsv({
        ...t.first,
        prefix: t.prefix,
        source: source(),
        fileName: 'stops.csv',
        onRejection: () => {
          throw new Error('the dead-letter sink is full');
        },
      }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(Error);
      expect(closed).toBe(true);
    });

    it('given a large source, then it is read batch by batch: the first batches are committed before the source is read to its end, at most one batch in flight', async () => {
      const emp = newId();
      let committedWhileReading = -1;
      const codecs = t.first.dialect.codecs;
      async function* source(): AsyncGenerator<Uint8Array> {
        yield new TextEncoder().encode(`${header}\n`);
        for (let i = 0; i < 300; i++) {
          if (i === 250) {
            const r = (await t.first.db
              .selectFrom(`${t.prefix}time_entries`)
              .select((eb) => eb.fn.countAll().as('n'))
              .where('employee_id', '=', codecs.encodeId(emp))
              .executeTakeFirst()) as { n: unknown };
            committedWhileReading = Number(r.n);
          }
          const start = new Date(Date.UTC(2026, 5, 1) + i * 3_600_000).toISOString();
          const end = new Date(Date.UTC(2026, 5, 1) + i * 3_600_000 + 1_800_000).toISOString();
          yield new TextEncoder().encode(`,${emp},${start},${end},row ${i},,\n`);
        }
      }
      const report = await importTimeCsv({
        ...t.first,
        prefix: t.prefix,
        source: source(),
        fileName: 'big.csv',
        batchSize: 100,
      });
      expect(report).toMatchObject({ rows: 300, created: 300 });
      // Rows 0–199 filled two batches; the second may still be in flight while row 250 is read.
      expect([100, 200]).toContain(committedWhileReading);
    });

    it('given two imports of the same file on two connections at once, then every entry is created once (the losing batch retries and finds them)', async () => {
      const emp = newId();
      const rows = Array.from(
        { length: 60 },
        (_, i) =>
          `,${emp},${new Date(Date.UTC(2026, 6, 1) + i * 3_600_000).toISOString()},${new Date(Date.UTC(2026, 6, 1) + i * 3_600_000 + 600_000).toISOString()},r${i},,`,
      );
      const csv = [header, ...rows].join('\n');
      const [a, b] = await Promise.all([run(csv, { batchSize: 10 }, 0), run(csv, { batchSize: 15 }, 1)]);
      expect(a.created + b.created).toBe(60);
      expect(a.exists + b.exists).toBe(60);
      expect(await entriesOf(emp)).toHaveLength(60);
    });
  });
}
