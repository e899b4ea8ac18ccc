// A migration's events land in one stream on every database: the seam's stream id (SQLite,
// PostgreSQL) is the MySQL engine's.
import { migrations } from '@pet-ops/migrations';
import { describe, expect, it } from 'vitest';
import { migrationStreamId as seamStreamId } from '../../../sql/src/migration-events.js';
import { migrationStreamId } from './events.js';

describe('migration stream ids', () => {
  it('given every migration of the list, then the seam’s stream id is the MySQL engine’s (UUIDv5 of the id)', () => {
    for (const m of migrations) expect(seamStreamId(m.id)).toBe(migrationStreamId(m.id));
    expect(seamStreamId('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
