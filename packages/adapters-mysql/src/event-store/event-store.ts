import { type EventStore, parseInput } from '@pet-ops/core';
import { parseAppend, parseReadAll, parseReadStream } from '@pet-ops/sql';
import type { Pool } from 'mysql2/promise';
import { z } from 'zod';
import { tablePrefixSchema } from '../prefix.js';
import { appendOn } from './append.js';
import {
  createEventLog,
  type GapSafetySettings,
  gapSafetyFields,
  poolSchema,
  resolveGapSafety,
  withConnection,
} from './event-log.js';
import { readAllFrom, readStreamOn } from './read.js';

/** Options of {@link createMysqlEventStore}. */
export interface MysqlEventStoreOptions extends Partial<GapSafetySettings> {
  /** A mysql2 promise pool made by `connect()` (BIGINT/DATETIME as strings, UTC); at least 2 connections. */
  readonly pool: Pool;
  /** Table prefix (`^[A-Za-z0-9_]{0,32}$`); the table is `<prefix>domain_events`. */
  readonly prefix: string;
}

const optionsSchema = z.object({ pool: poolSchema, prefix: tablePrefixSchema, ...gapSafetyFields });

/**
 * The event store on MySQL 8 / MariaDB 10.6+ (`<prefix>domain_events`).
 *
 * - `append` validates everything first (a `ValidationError` names the field; nothing is written),
 *   inserts up to 1000 rows per prepared multi-row INSERT in one transaction, and checks
 *   `expectedVersion` (`CONCURRENCY_CONFLICT`, retryable). A replay of an earlier append (same event ids
 *   or idempotency keys, same stream) is a no-op returning the first result; a partial overlap is
 *   `IDEMPOTENCY_MISMATCH`.
 * - `readStream` reads one stream in version order, from `fromVersion` (inclusive, default 1).
 * - `readAll` streams every committed event after a checkpoint in position order with bounded memory;
 *   the last position it yields is a safe checkpoint even under concurrent writers (GAP-SAFETY.md). It
 *   holds one pooled connection while iterating (two while it probes a gap): iterate with `for await`
 *   (a `break` releases them) rather than calling `next()` and walking away.
 *
 * @example
 * ```ts
 * const pool = await connect({ url: 'mysql://root@127.0.0.1:3306/pet' });
 * const store = createMysqlEventStore({ pool, prefix: 'wp_pet_' });
 * await store.append(quoteId, 'no_stream', [draft]);
 * for await (const event of store.readAll({ after: checkpoint })) checkpoint = event.position;
 * ```
 */
export function createMysqlEventStore(options: MysqlEventStoreOptions): EventStore {
  const valid = parseInput(optionsSchema, options, 'event store options');
  const log = createEventLog(valid.prefix, resolveGapSafety(valid));
  const pool = valid.pool;
  return {
    append(streamId, expectedVersion, events) {
      // Validation throws synchronously into the returned promise: nothing has touched the database.
      return Promise.resolve().then(() => {
        const input = parseAppend(streamId, expectedVersion, events);
        return withConnection(pool, 'append', (conn, health) =>
          appendOn(conn, log, input, 'own-transaction', health),
        );
      });
    },
    readStream(streamId, readOptions) {
      return Promise.resolve().then(() => {
        const v = parseReadStream(streamId, readOptions);
        return readStreamOn(pool, log, v.streamId, v.fromVersion);
      });
    },
    readAll(readOptions) {
      return readAllFrom(pool, log, parseReadAll(readOptions));
    },
  };
}
