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
});
