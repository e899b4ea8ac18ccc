// kpi-fold-memory: the pure KPI fold (@pet-ops/kpi: catalogue v1 × 5 scopes and catalogue v2 × its
// dashboards' scopes, 122 definitions) over N events in memory, half commercial and half Execute-context
// (tickets with SLA clocks, time, projects, article links). lib: engine.apply per event, then results()
// (`extra`: the fold alone, and results() apart); raw-min: the hand-written folds of the same KPIs
// (kpi-hand-fold.ts for v1, kpi-hand-fold-v2.ts for v2), checked against the engine first (an untimed check both folding sides run, so both start equally warm); raw: a loop that only counts events per type and month (the least any
// consumer does). 200k events are generated once and replayed with increasing positions, so memory shows
// the fold's state, not the input.
import { createKpiEngine } from '@pet-ops/kpi';
import { emit, parseCaseArgs, peakRssMb } from '../harness.js';
import { benchDefinitionsV1V2, storedMixedEvents } from './kpi-execute.js';
import { createHandFold, handFoldMatchesEngine } from './kpi-hand-fold.js';
import { createHandFoldV2, handFoldV2MatchesEngine } from './kpi-hand-fold-v2.js';
import { BENCH_TIME_ZONE, benchOrgVersions, type ReplayableEvent } from './kpi-shared.js';

const args = parseCaseArgs(process.argv);
const chunk = Math.min(args.size, 200_000);
const events = storedMixedEvents(chunk);

let done = 0;
let base = 0n;
let extra: Record<string, unknown> | undefined;
// Both folding sides run the same untimed check first (the hand folds against a fresh engine on 20k
// events): each process's JIT then starts the timed fold equally warm. Until 2026-12-07 only the hand
// side ran it, and the engine's side paid its warm-up inside the timed part.
if (args.mode !== 'raw') {
  handFoldMatchesEngine(events.slice(0, 20_000));
  handFoldV2MatchesEngine(events.slice(0, 20_000));
}
const t0 = performance.now();
if (args.mode === 'lib') {
  const engine = createKpiEngine({
    definitions: benchDefinitionsV1V2,
    orgTimeZone: BENCH_TIME_ZONE,
    orgVersions: benchOrgVersions,
  });
  const state = engine.initialState();
  while (done < args.size) {
    for (let i = 0; i < events.length && done < args.size; i++, done++) {
      const e = events[i] as ReplayableEvent;
      e.position = base + BigInt(i + 1);
      engine.apply(state, e);
    }
    base += BigInt(events.length);
  }
  // results() is timed (a fold's output), and also reported apart: the hand folds' output is their cells.
  const folded = performance.now();
  const results = engine.results(state);
  if (results.length === 0) throw new Error('no results');
  extra = {
    foldOnlyEventsPerSecond: Math.round(done / ((folded - t0) / 1000)),
    resultsSeconds: Math.round(performance.now() - folded) / 1000,
    results: results.length,
  };
} else if (args.mode === 'raw-min') {
  const hand = createHandFold();
  const handV2 = createHandFoldV2();
  while (done < args.size) {
    for (let i = 0; i < events.length && done < args.size; i++, done++) {
      const e = events[i] as ReplayableEvent;
      e.position = base + BigInt(i + 1);
      hand.apply(e);
      handV2.apply(e);
    }
    base += BigInt(events.length);
  }
  if (hand.cells().size === 0 || handV2.cells().size === 0) throw new Error('nothing folded');
} else {
  const counts = new Map<string, number>();
  while (done < args.size) {
    for (let i = 0; i < events.length && done < args.size; i++, done++) {
      const e = events[i] as ReplayableEvent;
      e.position = base + BigInt(i + 1);
      const key = `${e.type}|${e.occurredAt.slice(0, 7)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    base += BigInt(events.length);
  }
  if (counts.size === 0) throw new Error('nothing counted');
}
const seconds = (performance.now() - t0) / 1000;
emit({
  value: done / seconds,
  unit: 'events/s',
  rssPeakMb: peakRssMb(),
  ...(extra === undefined ? {} : { extra }),
});
