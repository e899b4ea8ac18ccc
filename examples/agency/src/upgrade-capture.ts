// What a database holds, read through the public API only: every event, every aggregate's state and
// every KPI result. An upgrade fixture stores this next to its dump (`expected.json.gz`); the upgrade
// test reads the same after migrating the restored dump to head and compares.
import { createHash } from 'node:crypto';
import type { StoredEvent } from '@pet-ops/core';
import { catalogueV1, type KpiResult } from '@pet-ops/kpi';
import {
  type AnyDatabase,
  aggregateOf,
  createEventStore,
  createKpiRunner,
  createUnitOfWork,
  type PetDialect,
  STATE_TABLES,
} from '@pet-ops/sql';
import { CURRENCY, ORG_TIME_ZONE } from './scenario.js';

/** One database's content as the public API reads it. */
export interface Capture {
  /** Every event in position order. */
  readonly events: readonly StoredEvent[];
  /** sha-256 of the events' JSON, to compare at a glance. */
  readonly eventsSha256: string;
  /** `<streamType>/<streamId>` → the loaded aggregate state (with its stream version). */
  readonly states: Readonly<Record<string, { readonly version: number; readonly state: unknown }>>;
  /** The stored KPI results, ordered by result id. */
  readonly kpiResults: readonly KpiResult[];
}

/** The KPI runner the agency example rebuilds with (catalogue v1, org and team scopes, months). */
export function agencyKpiRunner(db: AnyDatabase, dialect: PetDialect, prefix: string) {
  return createKpiRunner({
    db,
    dialect,
    prefix,
    definitions: catalogueV1({ currency: CURRENCY, scopes: ['org', 'team'], period: 'month' }),
    orgTimeZone: ORG_TIME_ZONE,
  });
}

/** JSON of a capture: event positions are bigints, written as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

const byId = (a: KpiResult, b: KpiResult): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Reads everything through the public API: the event store's `readAll`, a unit of work's `load` of every
 * stream of every declared state table, and the KPI runner's `results()`.
 */
export async function capture(db: AnyDatabase, dialect: PetDialect, prefix: string): Promise<Capture> {
  const store = createEventStore({ db, dialect, prefix });
  const events: StoredEvent[] = [];
  for await (const e of store.readAll()) events.push(e);
  const uow = createUnitOfWork({ dialect, prefix, events: store, tables: STATE_TABLES });
  const states: Record<string, { version: number; state: unknown }> = {};
  for (const table of STATE_TABLES) {
    const ids = [...new Set(events.filter((e) => e.streamType === table.streamType).map((e) => e.streamId))];
    const definition = aggregateOf(table);
    for (const id of ids.sort()) {
      const loaded = await uow.run((scope) => scope.aggregate(definition).load(id));
      states[`${table.streamType}/${id}`] = { version: loaded.version, state: loaded.state };
    }
  }
  const kpiResults = (await agencyKpiRunner(db, dialect, prefix).results()).sort(byId);
  return {
    events,
    eventsSha256: createHash('sha256').update(toJson(events)).digest('hex'),
    states,
    kpiResults,
  };
}
