import { migrations } from '@pet-ops/migrations';
import type { Connection, Pool } from 'mysql2/promise';
import { describe, expect, test } from 'vitest';
import { migrate, status, verify } from './engine.js';
import { extendedIds, extendedList } from './fixtures.test.js';
import { useFreshDatabase } from './fresh-database.test.js';
import { tableExists } from './introspect.js';

let pool: Pool;
let conn: Connection;

useFreshDatabase((fresh) => {
  ({ pool, conn } = fresh);
});

// States of the list to upgrade from: the schema after its first k migrations. Every state made every run
// grow quadratically (each state's tables stay in the one database, and each migrate probes them all):
// the first, every sixteenth, the head of each released stop (0047, 0701) and the newest six (the fixtures
// of examples/agency upgrade real released databases on three engines).
const RELEASED_HEADS = [
  '2026_11_22_0047_create_kpi_checkpoint_parts',
  '2026_12_06_0701_add_kpi_result_set_zone',
];
const releasedStates = extendedIds
  .map((id, i) => [i + 1, id] as const)
  .filter(([k, id]) => k === 1 || k % 16 === 0 || k > extendedIds.length - 6 || RELEASED_HEADS.includes(id));

describe('upgrades from every earlier state', () => {
  test.each(releasedStates)(
    'given data written at state %i (%s), when migrated to head, then every row survives and reads back',
    async (k, id) => {
      const prefix = `up${k}_`;
      await migrate(pool, { prefix, migrations: extendedList, target: id });
      // Data written by the code of that time.
      const hasEvents = await tableExists(conn, `${prefix}domain_events`);
      const hasWidgets = await tableExists(conn, `${prefix}widgets`);
      if (hasEvents) {
        await conn.query(
          `INSERT INTO ${prefix}domain_events (event_id, event_type, schema_version, stream_type, stream_id, stream_version, occurred_at, actor_type, actor_id, context, payload)
           VALUES (UNHEX(REPLACE(UUID(), '-', '')), 'quote.accepted', 1, 'quote', UNHEX(REPLACE(UUID(), '-', '')), 1, '2026-11-22 10:00:00.123456', 'employee', 'e-1', '{}', '{"totalMinor": 9007199254740993, "text": "it''s 🚀"}')`,
        );
      }
      if (hasWidgets) {
        await conn.query(
          `INSERT INTO ${prefix}widgets (id, code, price, state) VALUES (UNHEX(REPLACE(UUID(), '-', '')), 'w-1', 1250000, 'live')`,
        );
      }
      const [eventsBefore] = hasEvents
        ? await conn.query(
            `SELECT event_id, occurred_at, payload FROM ${prefix}domain_events WHERE stream_type = 'quote'`,
          )
        : [[]];

      const result = await migrate(pool, { prefix, migrations: extendedList });
      expect(result.applied).toEqual(extendedIds.slice(k));
      expect((await status(pool, { prefix, migrations: extendedList })).current).toBe(true);
      expect(await verify(pool, { prefix, migrations: extendedList })).toMatchObject({
        ok: true,
        drifts: [],
      });

      const [eventsAfter] = await conn.query(
        `SELECT event_id, occurred_at, payload FROM ${prefix}domain_events WHERE stream_type = 'quote'`,
      );
      expect(eventsAfter).toEqual(eventsBefore);
      const [widgets] = await conn.query(`SELECT code, price, state, label, lead_time FROM ${prefix}widgets`);
      expect(widgets).toEqual(
        // Rows older than the label backfill (the second widget migration) get their code as label; newer
        // code writes it.
        hasWidgets
          ? [
              {
                code: 'w-1',
                price: '1250000',
                state: 'live',
                label: k < migrations.length + 2 ? 'w-1' : null,
                lead_time: 0,
              },
            ]
          : [],
      );
    },
  );
});
