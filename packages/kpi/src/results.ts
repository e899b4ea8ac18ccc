/**
 * Reading results out of the fold's state: cells → {@link KpiResult}s (values by aggregation or by the
 * plug-in kind, running levels carried forward), in a stable order, all or those changed since a
 * watermark. Not on the per-event path.
 */
import { divideHalfEven, ratioBp, safeAdd } from './arithmetic.js';
import { cached2 } from './cache.js';
import { nextPeriod, type Period, type PeriodGrid, periodOf } from './calendar.js';
import { classify } from './classify.js';
import type { KpiDefinitionVersion } from './definition.js';
import type { KpiResult, KpiState } from './engine.js';
import { bucketValue } from './histogram.js';
import { type CompiledMeasure, defaultValue, type ValueOf } from './measure-kind.js';
import { C, type Cell, CHUNK_MASK, D, FIELDS, K, type MutableState, N, OV, type Row, S, W } from './state.js';

/** What the result reader needs of the engine. */
export interface ResultCore {
  readonly definitions: readonly KpiDefinitionVersion[];
  readonly groups: readonly (readonly number[])[];
  readonly plugins: readonly (CompiledMeasure | null)[];
  readonly carries: readonly boolean[];
  readonly nsOf: readonly number[];
  readonly slotOf: readonly number[];
  resultId(di: number, scopeId: string, periodStart: string): string;
  chunkOf(st: MutableState, o: number): Float64Array;
}

/** The engine's result reader over a {@link ResultCore}. */
/** Reading results out of a state: every result, a definition's rows, a row's periods, and the id order. */
export interface ResultReader {
  readonly eachResult: (state: KpiState, since?: bigint) => Generator<KpiResult, void, undefined>;
  readonly sortedRows: (st: MutableState, di: number, after?: bigint) => Row[];
  readonly periodsOf: (st: MutableState, row: Row, slot: number, after?: number) => [string, Cell][];
  readonly byText: (a: string, b: string) => number;
}

export function createResultReader(core: ResultCore): ResultReader {
  const { definitions, groups, plugins, carries, nsOf, slotOf, resultId, chunkOf } = core;
  const build = (
    di: number,
    scopeId: string,
    period: Period,
    cell: Cell,
    value: number,
    numerator: number,
    denominator: number | null,
  ): KpiResult => {
    const def = definitions[di] as KpiDefinitionVersion;
    const { classification, reason } = classify(value, def);
    return {
      id: resultId(di, scopeId, period.start),
      definitionKey: def.key,
      definitionVersion: def.version,
      unit: def.unit,
      scopeType: def.scope,
      scopeId,
      periodStart: period.start,
      periodEnd: period.end,
      value,
      numerator,
      denominator,
      target: def.target,
      classification,
      classificationReason: reason,
      orgStructureVersion: cell.ov,
      watermark: BigInt(cell.w),
      contributingEventCount: cell.c,
    };
  };

  const percentileOf = (h: Map<number, number>, count: number, p: number): number => {
    const rank = Math.ceil((p / 100) * count);
    let seen = 0;
    for (const b of [...h.keys()].sort((x, y) => x - y)) {
      seen += h.get(b) ?? 0;
      if (seen >= rank) return bucketValue(b);
    }
    return 0;
  };

  const levels = carries;
  /** Per definition: its plug-in measure's value function (`null`: an inline kind). */
  const valueFns = definitions.map((d, di) => {
    const gi = groups.findIndex((members) => members.includes(di));
    const compiled = plugins[gi] ?? null;
    if (compiled === null) return null;
    const custom = compiled.value;
    return (cell: Cell): ValueOf | null => {
      const totals = {
        count: cell.k,
        sum: cell.s,
        numerator: cell.n,
        denominator: cell.d,
        contributing: cell.c,
        members: cell.x,
      };
      return custom === undefined ? defaultValue(d.aggregation, totals) : custom(d.aggregation, totals);
    };
  });
  const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  /** A definition's rows (only those with a cell touched after `after`, when given), by scope id: filtered before sorting, so a catch-up pays for what it touched. */
  const sortedRows = (st: MutableState, di: number, after?: bigint): Row[] => {
    const ns = nsOf[di] as number;
    // Since the journal's base only the rows touched since can hold newer cells.
    const all =
      after !== undefined && after === st.base && st.touched !== null
        ? (st.touched[ns] as Set<Row>).values()
        : (st.rows[ns] as Map<string, Row>).values();
    const slot = slotOf[di] as number;
    const floor = after === undefined ? -1 : Number(after);
    const picked: Row[] = [];
    for (const row of all) {
      const w = row.lw[slot];
      if (w !== undefined && w > floor) picked.push(row);
    }
    return picked.sort((a, b) => byText(a.id, b.id));
  };
  /** A definition's cells in a row (only those touched after `after`: filtered before sorting), by period. */
  const periodsOf = (st: MutableState, row: Row, slot: number, after = -1): [string, Cell][] => {
    const out: [string, Cell][] = [];
    for (const [ps, blk] of row.periods) {
      const pool = chunkOf(st, blk);
      const at = blk + slot * FIELDS;
      const o = at & CHUNK_MASK;
      const w = pool[o + W] as number;
      if (w <= 0 || w <= after) continue;
      const ov = pool[o + OV] as number;
      out.push([
        ps,
        {
          k: pool[o + K] as number,
          s: pool[o + S] as number,
          n: pool[o + N] as number,
          d: pool[o + D] as number,
          c: pool[o + C] as number,
          w,
          ov: ov < 0 ? null : ov,
          h: st.hist.get(at) ?? null,
          x: st.aux.get(at) ?? null,
        },
      ]);
    }
    return out.sort((a, b) => byText(a[0], b[0]));
  };
  // Results of many scopes share a few periods: compute each (grid, start) once.
  const periodCache = new Map<PeriodGrid, Map<string, Period>>();
  const periodFor = (grid: PeriodGrid, start: string): Period => periodOf(start, grid);
  const periodAt = (start: string, grid: PeriodGrid): Period => cached2(periodCache, grid, start, periodFor);
  const nextCache = new Map<PeriodGrid, Map<string, Period>>();
  /** The period after `period`: a running level walks every period of its row on each catch-up. */
  const nextFor = (grid: PeriodGrid, start: string): Period => nextPeriod(periodAt(start, grid), grid);
  const nextAt = (period: Period, grid: PeriodGrid): Period =>
    cached2(nextCache, grid, period.start, nextFor);

  /** Results of a plug-in measure's cells: each on its own, or (carrying forward) running totals over every period from the first. */
  const pluginResults = (
    out: KpiResult[],
    di: number,
    def: KpiDefinitionVersion,
    cellValue: (cell: Cell) => ValueOf | null,
    scopeId: string,
    periods: [string, Cell][],
    since: bigint | undefined,
  ): void => {
    if (!carries[di]) {
      for (const [ps, cell] of periods) {
        if (since !== undefined && cell.w <= since) continue;
        const v = cellValue(cell);
        if (v !== null)
          out.push(build(di, scopeId, periodAt(ps, def.period), cell, v.value, v.numerator, v.denominator));
      }
      return;
    }
    const byStart = new Map(periods);
    const last = (periods[periods.length - 1] as [string, Cell])[0];
    let period = periodAt((periods[0] as [string, Cell])[0], def.period);
    const acc: Cell = { k: 0, s: 0, n: 0, d: 0, c: 0, w: 0, ov: null, h: null, x: null };
    let spannedBefore = '';
    if (since !== undefined)
      for (const [ps, cell] of periods) if (cell.w <= since && ps > spannedBefore) spannedBefore = ps;
    for (;;) {
      const cell = byStart.get(period.start);
      if (cell !== undefined) {
        acc.k += cell.k;
        acc.s = safeAdd(acc.s, cell.s);
        acc.n = safeAdd(acc.n, cell.n);
        acc.d = safeAdd(acc.d, cell.d);
        acc.c += cell.c;
        if (cell.w > acc.w) acc.w = cell.w;
        if (cell.ov !== null && (acc.ov === null || cell.ov > acc.ov)) acc.ov = cell.ov;
      }
      if (since === undefined || acc.w > since || period.start > spannedBefore) {
        const running = { ...acc };
        const v = cellValue(running);
        if (v !== null) out.push(build(di, scopeId, period, running, v.value, v.numerator, v.denominator));
      }
      if (period.start >= last) break;
      period = nextAt(period, def.period);
    }
  };

  const groupResults = (
    out: KpiResult[],
    di: number,
    scopeId: string,
    periods: [string, Cell][],
    since: bigint | undefined,
  ): void => {
    const def = definitions[di] as KpiDefinitionVersion;
    const cellValue = valueFns[di] ?? null;
    if (cellValue !== null) {
      pluginResults(out, di, def, cellValue, scopeId, periods, since);
      return;
    }
    if (def.measure.kind === 'level') {
      // A running level: every period from the first change to the last, carrying the sum forward.
      const byStart = new Map(periods);
      const last = (periods[periods.length - 1] as [string, Cell])[0];
      let period = periodAt((periods[0] as [string, Cell])[0], def.period);
      let level = 0;
      const acc: Cell = { k: 0, s: 0, n: 0, d: 0, c: 0, w: 0, ov: null, h: null, x: null };
      // Since a watermark: a period changed when a touched cell is at or before it, or it lies past the
      // last period the untouched cells spanned (new carried-forward periods).
      let spannedBefore = '';
      if (since !== undefined)
        for (const [ps, cell] of periods) if (cell.w <= since && ps > spannedBefore) spannedBefore = ps;
      for (;;) {
        const cell = byStart.get(period.start);
        if (cell !== undefined) {
          level = safeAdd(level, cell.s);
          acc.c += cell.c;
          if (cell.w > acc.w) acc.w = cell.w;
          if (cell.ov !== null && (acc.ov === null || cell.ov > acc.ov)) acc.ov = cell.ov;
        }
        if (since === undefined || acc.w > since || period.start > spannedBefore)
          out.push(build(di, scopeId, period, { ...acc }, level, level, null));
        if (period.start >= last) break;
        period = nextAt(period, def.period);
      }
      return;
    }
    for (const [ps, cell] of periods) {
      if (since !== undefined && cell.w <= since) continue;
      const period = periodAt(ps, def.period);
      switch (def.aggregation) {
        case 'count':
          out.push(build(di, scopeId, period, cell, cell.k, cell.k, null));
          break;
        case 'sum':
          out.push(build(di, scopeId, period, cell, cell.s, cell.s, null));
          break;
        case 'avg':
          out.push(build(di, scopeId, period, cell, divideHalfEven(cell.s, cell.k), cell.s, cell.k));
          break;
        case 'ratio':
          out.push(build(di, scopeId, period, cell, ratioBp(cell.n, cell.d), cell.n, cell.d));
          break;
        case 'percentile': {
          const value = percentileOf(cell.h ?? new Map(), cell.k, def.percentile ?? 50);
          out.push(build(di, scopeId, period, cell, value, value, cell.k));
          break;
        }
      }
    }
  };

  function* eachResult(state: KpiState, since?: bigint): Generator<KpiResult, void, undefined> {
    const st = state as MutableState;
    for (let di = 0; di < definitions.length; di++) {
      const slot = slotOf[di] as number;
      // A cell's watermark is the last event that touched it: whole groups are recomputed (a level carries forward).
      // A level needs every period (it carries sums forward); the others only the cells touched since.
      const floor = since === undefined || levels[di] ? -1 : Number(since);
      for (const row of sortedRows(st, di, since)) {
        const out: KpiResult[] = [];
        groupResults(out, di, row.id, periodsOf(st, row, slot, floor), since);
        yield* out;
      }
    }
  }

  return { eachResult, sortedRows, periodsOf, byText };
}
