// Plumbing of the SQLite cases: a database file (in a temporary directory `bench/run.ts` makes and removes)
// instead of a server, opened raw through `node:sqlite` with the same settings as the adapter's driver.
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { openSqlite } from '@pet-ops/adapters-sqlite';
import type { EventDraft, Uuid } from '@pet-ops/core';
import { migrate } from '@pet-ops/sql';
import { eventRow } from './events.js';

export interface SqliteCaseArgs {
  readonly mode: 'lib' | 'raw';
  readonly size: number;
  /** The database file (its directory exists; the file may not). */
  readonly path: string;
}

export function parseSqliteArgs(argv: readonly string[]): SqliteCaseArgs {
  const get = (k: string): string | undefined => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const mode = get('mode');
  if (mode !== 'lib' && mode !== 'raw') throw new Error('--mode lib|raw required');
  const path = get('database');
  if (path === undefined) throw new Error('--database <file> required');
  return { mode, size: Number(get('size') ?? '1000'), path };
}

/** Removes the database file and its WAL and shared-memory files. */
export function removeSqliteFile(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/** A fresh database file migrated to head by the library (prefix ''), not measured. */
export async function freshSqliteFile(path: string): Promise<void> {
  removeSqliteFile(path);
  const { db, dialect, close } = openSqlite({ path });
  await migrate(db, dialect, { prefix: '' });
  await close();
}

/** Opens `path` raw with the adapter driver's settings: busy timeout, WAL, foreign keys, synchronous NORMAL. */
export function rawOpen(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA synchronous = NORMAL');
  return db;
}

export const SQLITE_EVENT_COLUMNS =
  'event_id, event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, actor_type, actor_id, correlation_id, causation_id, idempotency_key, context, payload';

/** One row's INSERT, prepared once by a raw script. */
export const SQLITE_INSERT = `INSERT INTO domain_events (${SQLITE_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Inserts one stream's events raw, in one transaction (`BEGIN IMMEDIATE`, like the adapter), one prepared
 * single-row INSERT per event: what a hand-written node:sqlite script does. Returns the positions.
 */
export function rawAppend(
  db: DatabaseSync,
  insert: ReturnType<DatabaseSync['prepare']>,
  streamId: Uuid,
  events: readonly EventDraft[],
): number[] {
  const positions: number[] = [];
  db.exec('BEGIN IMMEDIATE');
  try {
    for (let i = 0; i < events.length; i++) {
      const e = events[i] as EventDraft;
      const r = insert.run(...eventRow(streamId, i + 1, e));
      positions.push(Number(r.lastInsertRowid));
    }
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
  return positions;
}
