import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, test } from 'vitest';
import type { Instant } from '../../kernel/index.js';
import { emp, entryId, task, ticket } from '../test-support.test.js';
import { timeEntryDecider } from './decider.js';
import {
  TIMESHEET_INTAKE_CODES,
  timesheetCreateCommand,
  timesheetRowKey,
  validateTimesheetRow,
} from './import.js';

const row = {
  externalId: ' TS-42 ',
  employeeId: emp(1).toUpperCase(),
  start: '2026-03-02T09:00:00+01:00',
  end: '2026-03-02T10:30:00.5+01:00',
  description: '  Workshop; "quoted", emoji 🚀, DROP TABLE x; ',
  billable: 'Yes',
  workType: 'Project',
  ticketId: '',
  taskId: task(1),
};

describe('timesheet CSV rows (for `pet time import`)', () => {
  test('a good row: times in UTC with microseconds, ⌈duration⌉, trimmed text kept verbatim, ids normalised', () => {
    const r = validateTimesheetRow(row);
    expect(r).toEqual({
      ok: true,
      value: {
        externalId: 'TS-42',
        employeeId: emp(1),
        start: '2026-03-02T08:00:00.000000Z',
        end: '2026-03-02T09:30:00.500000Z',
        minutes: 91,
        description: 'Workshop; "quoted", emoji 🚀, DROP TABLE x;',
        billable: true,
        workType: 'project',
        ticketId: null,
        taskId: task(1),
        bucketId: null,
      },
    });
    if (!r.ok) return;
    expect(timesheetRowKey(r.value)).toBe('external:TS-42');
    expect(timesheetRowKey({ ...r.value, externalId: null })).toBe(
      `slot:${emp(1)}/2026-03-02T08:00:00.000000Z/2026-03-02T09:30:00.500000Z`,
    );
    const command = timesheetCreateCommand(r.value, entryId(7), '2026-04-01T00:00:00.000000Z' as Instant);
    const decided = timeEntryDecider.decide(command, timeEntryDecider.initialState(), undefined);
    expect(decided.ok && decided.value[0]?.payload).toMatchObject({
      minutes: 91,
      employeeId: emp(1),
      taskId: task(1),
    });
  });

  test('classification and attribution may stay open on a draft', () => {
    const r = validateTimesheetRow({
      employeeId: emp(1),
      start: '2026-03-02T09:00:00Z',
      end: '2026-03-02T09:10:00Z',
      ticketId: ticket(1),
    });
    expect(r.ok && [r.value.billable, r.value.workType, r.value.ticketId, r.value.description]).toEqual([
      null,
      null,
      ticket(1),
      '',
    ]);
  });

  test.each([
    [{ ...row, employeeId: ' ' }, 'MISSING_FIELD', { field: 'employeeId' }],
    [{ ...row, start: undefined }, 'MISSING_FIELD', { field: 'start' }],
    [{ ...row, employeeId: 'bob@example.com' }, 'MALFORMED_FIELD', { field: 'employeeId' }],
    [{ ...row, start: '2026-03-02 09:00' }, 'MALFORMED_FIELD', { field: 'start' }],
    [{ ...row, end: '2026-03-02T10:30:00' }, 'MALFORMED_FIELD', { field: 'end' }],
    [{ ...row, billable: 'maybe' }, 'MALFORMED_FIELD', { field: 'billable' }],
    [{ ...row, workType: 'sales' }, 'MALFORMED_FIELD', { field: 'workType' }],
    [{ ...row, ticketId: '42' }, 'MALFORMED_FIELD', { field: 'ticketId' }],
    [{ ...row, bucketId: 'admin' }, 'MALFORMED_FIELD', { field: 'bucketId' }],
    [{ ...row, end: row.start }, 'INVALID_INTERVAL', {}],
    [{ ...row, description: 'x'.repeat(10_001) }, 'FIELD_TOO_LONG', { field: 'description' }],
    [{ ...row, externalId: 'x'.repeat(129) }, 'FIELD_TOO_LONG', { field: 'externalId' }],
  ])('a bad row is dead-lettered with a stable code naming the field (%#)', (bad, code, details) => {
    const r = validateTimesheetRow(bad);
    expect(r.ok ? null : r.error).toMatchObject({ code, details });
    expect(TIMESHEET_INTAKE_CODES).toContain(code);
  });

  test('property: a UTC date-time reads as Temporal reads it (fraction truncated to six digits), and what Temporal refuses is MALFORMED_FIELD', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    const dateTime = fc
      .record({
        year: fc.oneof(fc.integer({ min: 0, max: 9998 }), fc.constantFrom(1900, 2000, 2023, 2024, 2100)),
        month: fc.integer({ min: 0, max: 13 }),
        day: fc.integer({ min: 0, max: 32 }),
        hour: fc.integer({ min: 0, max: 24 }),
        minute: fc.integer({ min: 0, max: 60 }),
        second: fc.integer({ min: 0, max: 61 }),
        fraction: fc.option(fc.stringMatching(/^[0-9]{1,10}$/), { nil: undefined }),
      })
      .map(
        (t) =>
          `${String(t.year).padStart(4, '0')}-${two(t.month)}-${two(t.day)}T${two(t.hour)}:${two(t.minute)}:${two(t.second)}${t.fraction === undefined ? '' : `.${t.fraction}`}Z`,
      );
    fc.assert(
      fc.property(dateTime, (start) => {
        let expected: string | undefined;
        try {
          expected = Temporal.Instant.from(start).toString({ fractionalSecondDigits: 6 });
        } catch {
          expected = undefined;
        }
        const r = validateTimesheetRow({ employeeId: emp(1), start, end: '9999-12-31T23:59:59Z' });
        if (expected === undefined || !/^\d{4}-/.test(expected)) {
          expect(!r.ok && r.error.code).toBe('MALFORMED_FIELD');
          expect(!r.ok && r.error.details).toMatchObject({ field: 'start' });
        } else {
          expect(r.ok && r.value.start).toBe(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
