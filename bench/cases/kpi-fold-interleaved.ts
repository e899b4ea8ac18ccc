// kpi-fold-interleaved: kpi-fold-memory's two sides folded in one process, event by event — the engine
// (catalogue v1 + v2, engine.apply) and the hand-written folds of the same KPIs (kpi-hand-fold.ts,
// kpi-hand-fold-v2.ts) each timed around its own call. One process sees the same machine speed, heap and
// JIT state on both sides, so the ratio moves far less between runs than kpi-fold-memory's, whose sides
// run in separate processes (on a 2-core VM whose speed drifts by ±25 % over minutes). `extra.byType`
// says where the engine spends more than the hand folds: per event type, both sides' milliseconds.
// lib: the engine's events/s; raw: the hand folds' events/s (the same run's other side: both modes run
// the same loop, so each round's pair is two measurements of one kind). The first pass over the 200k
// events warms both sides up and is not counted; N events are then folded into one state per side. Which
// side folds an event first is decided per event by a seeded coin: the first reader of an event pays for
// fetching it from memory, and with the engine always first (until 2026-12-07) the ratio read 0.66–0.67
// where the coin gives 0.73–0.74 (an engine against a copy of itself reads 0.81 in a fixed order, 0.99
// with the coin).
import { createKpiEngine } from '@pet-ops/kpi';
import { emit, parseCaseArgs, peakRssMb, seededCoin } from '../harness.js';
import { benchDefinitionsV1V2, storedMixedEvents } from './kpi-execute.js';
import { createHandFold } from './kpi-hand-fold.js';
import { createHandFoldV2 } from './kpi-hand-fold-v2.js';
import { BENCH_TIME_ZONE, benchOrgVersions, type ReplayableEvent } from './kpi-shared.js';

const args = parseCaseArgs(process.argv);
const chunk = Math.min(args.size, 200_000);
const events = storedMixedEvents(chunk);
const engineMs = new Map<string, number>();
const handMs = new Map<string, number>();

const coin = seededCoin();

const fold = (count: number, measured: boolean): void => {
  const engine = createKpiEngine({
    definitions: benchDefinitionsV1V2,
    orgTimeZone: BENCH_TIME_ZONE,
    orgVersions: benchOrgVersions,
  });
  const state = engine.initialState();
  const hand = createHandFold();
  const handV2 = createHandFoldV2();
  let base = 0n;
  for (let done = 0; done < count; base += BigInt(events.length)) {
    for (let i = 0; i < events.length && done < count; i++, done++) {
      const e = events[i] as ReplayableEvent;
      e.position = base + BigInt(i + 1);
      let engineTook: number;
      let handTook: number;
      // Whichever side reads an event first pays for fetching it from memory (the 200k events do not
      // fit in the CPU's caches): a coin decides, per event, which side goes first.
      if (coin()) {
        const t0 = performance.now();
        engine.apply(state, e);
        const t1 = performance.now();
        hand.apply(e);
        handV2.apply(e);
        const t2 = performance.now();
        engineTook = t1 - t0;
        handTook = t2 - t1;
      } else {
        const t0 = performance.now();
        hand.apply(e);
        handV2.apply(e);
        const t1 = performance.now();
        engine.apply(state, e);
        const t2 = performance.now();
        handTook = t1 - t0;
        engineTook = t2 - t1;
      }
      if (!measured) continue;
      engineMs.set(e.type, (engineMs.get(e.type) ?? 0) + engineTook);
      handMs.set(e.type, (handMs.get(e.type) ?? 0) + handTook);
    }
  }
  if (hand.cells().size === 0 || handV2.cells().size === 0) throw new Error('nothing folded');
};

fold(events.length, false);
fold(args.size, true);
const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
const engineTotal = sum(engineMs);
const handTotal = sum(handMs);
const round = (x: number): number => Math.round(x);
// The types where the engine's time exceeds the hand folds' most, then the rest as one line.
const byType = [...engineMs.keys()]
  .map((type) => ({
    type,
    engineMs: round(engineMs.get(type) ?? 0),
    handMs: round(handMs.get(type) ?? 0),
  }))
  .sort((a, b) => b.engineMs - b.handMs - (a.engineMs - a.handMs))
  .slice(0, 8);
emit({
  value: args.size / ((args.mode === 'lib' ? engineTotal : handTotal) / 1000),
  unit: 'events/s',
  rssPeakMb: peakRssMb(),
  extra: {
    ratioInProcess: Math.round((handTotal / engineTotal) * 1000) / 1000,
    engineSeconds: round(engineTotal) / 1000,
    handSeconds: round(handTotal) / 1000,
    byType,
  },
});
