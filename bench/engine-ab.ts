// Two builds of the KPI engine folded in one process, event by event, each event's order decided by a
// seeded coin (the first reader of an event pays for fetching it from memory): what an engine change
// gains, to ±2 %, where two separate processes on this 2-core VM differ by ±25 %. Copy the packages'
// `dist` of the build to compare against first, e.g.
//   cp -r packages/kpi/dist /tmp/kpi-before   (then change the engine, and rebuild)
//   node --import tsx bench/engine-ab.ts --a /tmp/kpi-before/index.js [--size 1000000] [--v2]
// A: that copy; B: the current build. Prints both totals, B/A, the types B gains or loses most on, and
// fails when the two builds' results differ. Run with `--a` naming the current build itself for the
// method's own error (B/A 0.99–1.05 on 2026-12-07).
import { pathToFileURL } from 'node:url';
import * as current from '@pet-ops/kpi';
import { benchDefinitionsV1V2, storedMixedEvents } from './cases/kpi-execute.js';
import { BENCH_TIME_ZONE, benchOrgVersions, type ReplayableEvent } from './cases/kpi-shared.js';
import { seededCoin } from './harness.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const path = arg('a');
if (path === undefined) throw new Error('--a <path to the other build of @pet-ops/kpi: its dist/index.js>');
const other = (await import(pathToFileURL(path).href)) as typeof current;
const size = Number(arg('size') ?? 1_000_000);
const definitions = process.argv.includes('--v2')
  ? current.catalogueV2({ scopes: ['org', 'team', 'department', 'employee', 'customer', 'project'] })
  : benchDefinitionsV1V2;
const events = storedMixedEvents(Math.min(size, 200_000));

const coin = seededCoin();
const aMs = new Map<string, number>();
const bMs = new Map<string, number>();
const add = (m: Map<string, number>, type: string, ms: number): void =>
  void m.set(type, (m.get(type) ?? 0) + ms);

/** Folds `count` events into a fresh state of each build; returns both engines' results as text. */
const fold = (count: number, measured: boolean): [string, string] => {
  const options = { definitions, orgTimeZone: BENCH_TIME_ZONE, orgVersions: benchOrgVersions };
  const a = other.createKpiEngine(options);
  const b = current.createKpiEngine(options);
  const sa = a.initialState();
  const sb = b.initialState();
  let base = 0n;
  for (let done = 0; done < count; base += BigInt(events.length)) {
    for (let i = 0; i < events.length && done < count; i++, done++) {
      const e = events[i] as ReplayableEvent;
      e.position = base + BigInt(i + 1);
      const aFirst = coin();
      const t0 = performance.now();
      if (aFirst) a.apply(sa, e);
      else b.apply(sb, e);
      const t1 = performance.now();
      if (aFirst) b.apply(sb, e);
      else a.apply(sa, e);
      const t2 = performance.now();
      if (!measured) continue;
      add(aMs, e.type, aFirst ? t1 - t0 : t2 - t1);
      add(bMs, e.type, aFirst ? t2 - t1 : t1 - t0);
    }
  }
  const text = (r: readonly current.KpiResult[]): string =>
    JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return [text(a.results(sa)), text(b.results(sb))];
};

fold(events.length, false);
const [ra, rb] = fold(size, true);
const total = (m: Map<string, number>): number => [...m.values()].reduce((x, y) => x + y, 0);
const a = total(aMs);
const b = total(bMs);
console.log(`A ${Math.round(a)} ms, B ${Math.round(b)} ms, B/A ${(b / a).toFixed(3)} (${size} events)`);
const gain = (type: string): number => (bMs.get(type) ?? 0) - (aMs.get(type) ?? 0);
const types = [...aMs.keys()].sort((x, y) => gain(x) - gain(y));
for (const type of [...types.slice(0, 5), ...types.slice(-3)])
  console.log(
    `${type.padEnd(34)} A ${Math.round(aMs.get(type) ?? 0)} ms, B ${Math.round(bMs.get(type) ?? 0)} ms`,
  );
if (ra !== rb) {
  console.error('the two builds computed different results');
  process.exitCode = 1;
}
