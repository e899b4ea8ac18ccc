import type { Instant } from '@pet-ops/core';
import { col, defineMigration, type JournalEntry, type Migration } from '@pet-ops/migrations';
import { describe, expect, test } from 'vitest';
import { logicalChecksums } from './checksum.js';
import { compileSteps } from './migrate-resumable.js';
import { gateError, type JournalRow, journalReading, statusOf } from './migrate-status.js';

// Status reads only logical checksums: any compiler will do, so the SQL is just the operation's name.
const compiler = { compile: (op: { readonly op: string }) => [`-- ${op.op}`] };

const table = (id: string, name: string): Migration =>
  defineMigration({
    id,
    name,
    operations: [
      { op: 'createTable', table: name, columns: [col.id('id')], primaryKey: ['id'] },
      { op: 'addColumn', table: name, column: col.text('label', 20, { nullable: true }) },
    ],
  });

const list = [
  table('2030_01_01_0001_a', 'a'),
  table('2030_01_01_0002_b', 'b'),
  table('2030_01_01_0003_c', 'c'),
];
const at = '2030-01-01T00:00:00.000000Z' as Instant;

/** The journal row a run writes for `m` once applied (or as `status`, with `overrides`). */
function row(m: Migration, overrides: Partial<JournalRow> = {}): JournalRow {
  const { checksum, stepChecksums } = logicalChecksums(m);
  return {
    id: m.id,
    name: m.name,
    status: 'applied',
    checksum,
    appliedSteps: stepChecksums.length,
    totalSteps: stepChecksums.length,
    stepChecksums: [...stepChecksums],
    attempts: 1,
    failedStep: null,
    error: null,
    startedAt: at,
    updatedAt: at,
    finishedAt: at,
    ...overrides,
  };
}

function status(rows: readonly JournalRow[], recognise?: (entry: JournalEntry) => boolean) {
  return statusOf(
    journalReading({
      database: 'shop',
      prefix: 'p_',
      list,
      compiled: compileSteps(compiler, list, 'p_'),
      rows,
      recognise,
    }),
  );
}

const states = (s: ReturnType<typeof status>) => s.migrations.map((m) => [m.id, m.state]);

describe('schemaStatus over a journal (pure)', () => {
  test('given no journal rows (a fresh database), then every migration is pending and the schema is not current', () => {
    const s = status([]);
    expect(states(s)).toEqual(list.map((m) => [m.id, 'pending']));
    expect(s.migrations[0]).toMatchObject({
      appliedStatements: 0,
      totalStatements: 2,
      attempts: 0,
      checksum: null,
    });
    expect(s).toMatchObject({ current: false, unknown: [], legacyChecksums: [], problem: null });
    expect(gateError(s)?.code).toBe('SCHEMA_NOT_CURRENT');
  });

  test('given every migration applied, then the schema is current and the gate lets the application start', () => {
    const s = status(list.map((m) => row(m)));
    expect(states(s)).toEqual(list.map((m) => [m.id, 'applied']));
    expect(s).toMatchObject({ database: 'shop', prefix: 'p_', current: true, problem: null });
    expect(s.migrations[2]).toMatchObject({ appliedStatements: 2, totalStatements: 2, finishedAt: at });
    expect(gateError(s)).toBeUndefined();
  });

  test('given the journal behind the list, then the later migrations are pending, with no problem', () => {
    const s = status([row(list[0] as Migration)]);
    expect(states(s)).toEqual([
      [list[0]?.id, 'applied'],
      [list[1]?.id, 'pending'],
      [list[2]?.id, 'pending'],
    ]);
    expect(s).toMatchObject({ current: false, problem: null });
    expect(gateError(s)?.details).toMatchObject({ migrationId: list[1]?.id, state: 'pending' });
  });

  test('given a failed migration, then its state, failed statement and error are listed', () => {
    const s = status([
      row(list[0] as Migration),
      row(list[1] as Migration, {
        status: 'failed',
        appliedSteps: 1,
        failedStep: 2,
        error: 'disk full',
        finishedAt: null,
      }),
    ]);
    expect(s.migrations[1]).toMatchObject({
      state: 'failed',
      appliedStatements: 1,
      failedStatement: 2,
      error: 'disk full',
    });
    expect(s.current).toBe(false);
  });

  test('given a journal row the list does not know (a newer release migrated), then it is listed as unknown and is the problem', () => {
    const newer = table('2030_01_01_0009_z', 'z');
    const s = status([...list.map((m) => row(m)), row(newer)]);
    expect(s.unknown.map((m) => [m.id, m.state, m.totalStatements])).toEqual([[newer.id, 'applied', 2]]);
    expect(s.problem).toMatchObject({ kind: 'unknown', migrationId: newer.id });
    expect(s.current).toBe(false);
    expect(gateError(s)?.code).toBe('SCHEMA_NOT_CURRENT');
  });

  test('given an applied migration whose recorded checksum changed, then it is the tampered problem and the gate refuses', () => {
    const s = status([row(list[0] as Migration, { checksum: '0'.repeat(64) })]);
    expect(s.problem).toMatchObject({ kind: 'tampered', migrationId: list[0]?.id });
    expect(s.current).toBe(false);
    expect(gateError(s)?.code).toBe('MIGRATION_TAMPERED');
  });

  test('given a row with an earlier release checksum the dialect recognises, then it is accepted, listed, and read as the logical checksum', () => {
    const old = '1'.repeat(64);
    const rows = list.map((m, i) =>
      i === 1 ? row(m, { checksum: old, stepChecksums: [old, old] }) : row(m),
    );
    const s = status(rows, (entry) => entry.checksum === old);
    expect(s).toMatchObject({ current: true, problem: null, legacyChecksums: [list[1]?.id] });
    expect(s.migrations[1]?.checksum).toBe(logicalChecksums(list[1] as Migration).checksum);
  });

  test('given the same earlier checksum and a dialect that does not recognise it, then it is tampering', () => {
    const old = '1'.repeat(64);
    const s = status(list.map((m, i) => (i === 1 ? row(m, { checksum: old }) : row(m))));
    expect(s.problem?.kind).toBe('tampered');
    expect(s.legacyChecksums).toEqual([]);
  });

  test('given a later migration applied after one never run, then the problem is out of order', () => {
    const s = status([row(list[0] as Migration), row(list[2] as Migration)]);
    expect(s.problem).toMatchObject({ kind: 'out_of_order', migrationId: list[1]?.id });
    expect(gateError(s)?.code).toBe('SCHEMA_NOT_CURRENT');
  });
});
