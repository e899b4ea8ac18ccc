// Shared plumbing for benchmark cases. A case runs in its own process (so its peak RSS is its own),
// does one measured piece of work in either `lib` or `raw` mode, and prints one JSON line.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connectionOptions, withDatabase } from '@pet-ops/adapters-mysql';
import { createConnection } from 'mysql2/promise';

export { type CaseResult, emit, peakRssMb, seeded } from './common.js';

export interface CaseArgs {
  /**
   * `raw-min`: an optional second baseline, the least a hand-written script would do; `raw-write`: a case's
   * hand-written script doing all the library's work (kpi-rebuild: folding and writing the results).
   */
  readonly mode: 'lib' | 'raw' | 'raw-min' | 'raw-write';
  readonly size: number;
  readonly url: string;
  readonly database: string;
}

export function parseCaseArgs(argv: readonly string[]): CaseArgs {
  const get = (k: string): string | undefined => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const mode = get('mode');
  if (mode !== 'lib' && mode !== 'raw' && mode !== 'raw-min' && mode !== 'raw-write')
    throw new Error('--mode lib|raw|raw-min|raw-write required');
  const database = get('database');
  if (database === undefined) throw new Error('--database required');
  return { mode, size: Number(get('size') ?? '1000'), url: get('url') ?? serverUrl(), database };
}

export function serverUrl(): string {
  return process.env['MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306';
}

/**
 * The database server's process id, or `null` when its CPU time cannot be read: only a server on this
 * Linux machine, found through its pid file. Looked up once per bench run, so no extra connection falls
 * inside a measured case.
 */
export async function serverPid(url: string): Promise<string | null> {
  try {
    const host = new URL(url).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') return null;
    const admin = await createConnection(connectionOptions(withDatabase(url, '')));
    try {
      const [rows] = await admin.query('SELECT @@pid_file AS f');
      const pid = (await readFile(String((rows as { f: string }[])[0]?.f ?? ''), 'utf8')).trim();
      return serverCpuSeconds(pid) === null ? null : pid;
    } finally {
      await admin.end();
    }
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) the process `pid` has used so far, from `/proc/<pid>/stat`, or `null`.
 * Read before and after a case, it tells how much of the machine's cores the server took beside the client.
 */
export function serverCpuSeconds(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th, in clock ticks (100/s on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Creates (or re-creates) a scratch database for a benchmark run. Benchmark data is disposable. */
export async function freshDatabase(url: string, name: string): Promise<string> {
  const admin = await createConnection(connectionOptions(withDatabase(url, '')));
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return withDatabase(url, name);
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  const admin = await createConnection(connectionOptions(withDatabase(url, '')));
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await admin.end();
  }
}

/**
 * A coin from a fixed xorshift sequence (every run tosses the same coins): which of two sides timed in
 * one process reads an event first. The first reader of an event pays for fetching it from memory, so a
 * fixed order favours the second side (an engine against a copy of itself read 0.81 in a fixed order,
 * 0.99 with the coin).
 */
export function seededCoin(seed = 0x2545f491): () => boolean {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x & 1) === 0;
  };
}
