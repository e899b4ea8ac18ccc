// Not a test file: migration lists and helpers shared by this folder's integration tests and the child
// process of the crash test. The `.test.ts` suffix keeps it out of the build and the published files.

import { isPetError, type PetError } from '@pet-ops/core';
import {
  appendOnlyGuards,
  CURRENT_INSTANT,
  col,
  defineMigration,
  type Migration,
  migrations,
} from '@pet-ops/migrations';
import type { Connection } from 'mysql2/promise';
import { bytesToUuid } from '../internal/uuid-bytes.js';

/** Extra migrations after the released ones: every operation kind, 9 statements in 3 migrations. */
export const widgetMigrations: readonly Migration[] = [
  defineMigration({
    id: '2026_12_31_0001_create_widgets',
    name: 'Create widgets',
    operations: [
      {
        op: 'createTable',
        table: 'widgets',
        columns: [
          col.id('id'),
          col.text('code', 32),
          col.money('price', { default: 0 }),
          col.enum('state', ['draft', 'live'], { default: 'draft' }),
          col.instant('created_at', { default: CURRENT_INSTANT }),
          col.bool('active', { default: true }),
          col.json('attrs', { nullable: true }),
        ],
        primaryKey: ['id'],
        uniques: [{ name: 'uq_code', columns: ['code'] }],
      },
    ],
  }),
  defineMigration({
    id: '2026_12_31_0002_widget_details',
    name: 'Widgets get a label, a lead time and indexes',
    operations: [
      { op: 'addColumn', table: 'widgets', column: col.text('label', 32, { nullable: true }) },
      {
        op: 'backfill',
        table: 'widgets',
        column: 'label',
        value: { kind: 'copyColumn', column: 'code' },
        description: 'existing widgets are labelled with their code',
      },
      { op: 'addColumn', table: 'widgets', column: col.minutes('lead_time', { default: 0 }) },
      { op: 'addIndex', table: 'widgets', index: { name: 'ix_state', columns: ['state', 'created_at'] } },
      { op: 'addUnique', table: 'widgets', index: { name: 'uq_label', columns: ['label'] } },
    ],
  }),
  defineMigration({
    id: '2026_12_31_0003_create_widget_log',
    name: 'Create the append-only widget log',
    operations: [
      {
        op: 'createTable',
        table: 'widget_log',
        columns: [
          col.bigintAutoIncrement('seq'),
          col.id('widget_id'),
          col.basisPoints('discount', { default: 0 }),
          col.smallint('qty', { unsigned: true, default: 1 }),
        ],
        primaryKey: ['seq'],
        indexes: [{ name: 'ix_widget', columns: ['widget_id'] }],
      },
      ...appendOnlyGuards('widget_log'),
    ],
  }),
];

/** A migration after the widget ones, used to check that a run stops exactly at its target. */
export const beyondTarget: Migration = defineMigration({
  id: '2026_12_31_0004_widget_price_index',
  name: 'Index widget prices',
  operations: [{ op: 'addIndex', table: 'widgets', index: { name: 'ix_price', columns: ['price'] } }],
});

/** The released list plus the widget migrations. */
export const extendedList: readonly Migration[] = [...migrations, ...widgetMigrations];

/** Ids of the extended list. */
export const extendedIds: readonly string[] = extendedList.map((m) => m.id);

/** Statements in the extended list. */
export const extendedStatements: number = extendedList.reduce((n, m) => n + m.operations.length, 0);

/** Journal rows (id, status, steps, attempts), in id order. */
export async function journal(
  conn: Connection,
  prefix: string,
): Promise<
  {
    id: string;
    status: string;
    applied_steps: number;
    attempts: number;
    failed_step: number | null;
    error: string | null;
  }[]
> {
  const [rows] = await conn.query(
    `SELECT id, status, applied_steps, attempts, failed_step, error FROM \`${prefix}schema_migrations\` ORDER BY id`,
  );
  return rows as never;
}

/** Migration events (type, migration id, stream version), in position order. */
export async function migrationEvents(
  conn: Connection,
  prefix: string,
): Promise<{ type: string; migrationId: string; streamId: string; version: number; error?: string }[]> {
  const [rows] = await conn.query(
    `SELECT event_type, stream_id, stream_version, payload, actor_type, actor_id FROM \`${prefix}domain_events\`
     WHERE stream_type = 'migration' ORDER BY position`,
  );
  return (rows as { event_type: string; stream_id: Buffer; stream_version: number; payload: string }[]).map(
    (r) => {
      const payload = JSON.parse(r.payload) as { migrationId: string; error?: string };
      return {
        type: r.event_type,
        migrationId: payload.migrationId,
        streamId: bytesToUuid(r.stream_id),
        version: Number(r.stream_version),
        ...(payload.error === undefined ? {} : { error: payload.error }),
      };
    },
  );
}

/** How many events of `type` each migration has. */
export function countByMigration(
  events: readonly { type: string; migrationId: string }[],
  type: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) if (e.type === type) out[e.migrationId] = (out[e.migrationId] ?? 0) + 1;
  return out;
}

/** The list the crash and concurrency tests run (to the target `extendedIds.at(-1)`, so `beyondTarget` stays pending). */
export const crashList: readonly Migration[] = [...extendedList, beyondTarget];

/**
 * Progress events of a fresh run of `extendedList`: `journal-created`, then per migration `started`,
 * `statement-executed` and `statement-recorded` per statement, and `completed`.
 */
export const extendedProgressEvents: number =
  1 + extendedList.reduce((n, m) => n + 2 + 2 * m.operations.length, 0);

/** The `PetError` a call rejects with; anything else (a resolve, a foreign error) fails the test. */
export async function failure(p: Promise<unknown>): Promise<PetError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isPetError(e)) throw new Error(`expected a PetError, got ${String(e)}`);
  return e;
}
