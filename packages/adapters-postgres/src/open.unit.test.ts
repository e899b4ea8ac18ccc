import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPostgresPool } from './open.js';

const BASE = 'postgres://pet:secret@127.0.0.1:1/pet';

/** The TLS settings a client of the pool would connect with (node-postgres reads the URL here). */
async function sslOf(url: string): Promise<unknown> {
  const pool = createPostgresPool({ url });
  try {
    const client = new pg.Client(pool.options) as pg.Client & { connectionParameters: { ssl: unknown } };
    return client.connectionParameters.ssl;
  } finally {
    await pool.end();
  }
}

describe('createPostgresPool: sslmode', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('given ?sslmode=require, when a client reads the pool options, then no SECURITY WARNING is emitted and TLS goes unverified (libpq)', async () => {
    // node-postgres warns once per process, so this runs first; the TLS settings tell the readings apart too.
    const warned = vi.spyOn(process, 'emitWarning');
    const stderr = vi.spyOn(process.stderr, 'write');
    const consoleWarn = vi.spyOn(console, 'warn');
    const ssl = [await sslOf(`${BASE}?sslmode=require`), await sslOf(`${BASE}?sslmode=prefer&schema=tenant`)];
    expect(warned).not.toHaveBeenCalled();
    expect(consoleWarn).not.toHaveBeenCalled();
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).not.toContain('SECURITY WARNING');
    expect(ssl).toEqual([{ rejectUnauthorized: false }, { rejectUnauthorized: false }]);
  });

  it('given disable, verify-full, no-verify or no sslmode, then no TLS, verified TLS, unverified TLS, the default', async () => {
    const warned = vi.spyOn(process, 'emitWarning');
    expect(await sslOf(`${BASE}?sslmode=disable`)).toBe(false);
    expect(await sslOf(`${BASE}?sslmode=verify-full`)).toEqual({});
    // A libpq reading asked for in the URL would verify no-verify: it is node-postgres's own mode.
    expect(await sslOf(`${BASE}?sslmode=no-verify&uselibpqcompat=true`)).toEqual({
      rejectUnauthorized: false,
    });
    expect(await sslOf(BASE)).toBe(pg.defaults.ssl);
    expect(warned).not.toHaveBeenCalled();
  });

  it('given verify-ca or require with sslrootcert, then TLS verified against that CA, any host name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pet-pg-ca-'));
    try {
      const ca = join(dir, 'ca.pem');
      await writeFile(ca, 'not checked before connect');
      for (const mode of ['verify-ca', 'require']) {
        const ssl = await sslOf(`${BASE}?sslmode=${mode}&sslrootcert=${encodeURIComponent(ca)}`);
        expect(ssl).toMatchObject({ ca: 'not checked before connect' });
        expect(ssl).not.toHaveProperty('rejectUnauthorized');
        expect((ssl as { checkServerIdentity: () => unknown }).checkServerIdentity()).toBeUndefined();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('given an unknown, repeated or verify-ca sslmode without sslrootcert, then VALIDATION_FAILED naming the rule, not the URL', () => {
    for (const [query, rule] of [
      ['sslmode=allow', 'one of disable, prefer, require, verify-ca, verify-full, no-verify'],
      ['sslmode=requre', 'one of'],
      ['sslmode=disable&sslmode=require', 'given once'],
      ['sslmode=verify-ca', 'needs sslrootcert'],
    ] as const) {
      let caught: unknown;
      try {
        createPostgresPool({ url: `${BASE}?${query}` });
      } catch (e) {
        caught = e;
      }
      expect(caught).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(String((caught as Error).message)).toContain(rule);
      expect(String((caught as Error).message)).not.toContain('secret');
    }
  });
});
