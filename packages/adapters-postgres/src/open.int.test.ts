import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { POSTGRES_URL } from './fixtures.test.js';
import { createDatabase, openPostgres } from './open.js';

/** The test server's URL with `sslmode` set. */
function withSslmode(mode: string): string {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('sslmode', mode);
  return url.toString();
}

describe('openPostgres / createDatabase with sslmode in the URL', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('given ?sslmode=disable, when opened and asked to create the database, then both connect (the libpq flag PET adds is not sent to the server) and nothing is warned', async () => {
    const warned = vi.spyOn(process, 'emitWarning');
    const url = withSslmode('disable');
    const { db, close } = await openPostgres({ url });
    try {
      const r = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
      expect(r.rows).toEqual([{ one: 1 }]);
    } finally {
      await close();
    }
    expect(await createDatabase({ url })).toEqual({ created: false });
    expect(warned).not.toHaveBeenCalled();
  });
});
