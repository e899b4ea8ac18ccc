import { divideRounded } from '@pet-ops/core';
import type {
  NumberSource,
  OpenCountMeasure,
  PlannedActualMeasure,
  PresalesPerWinMeasure,
  SpreadMeasure,
  SumRatioMeasure,
} from '../definition.js';
import type { CellDelta, CellTotals, MeasureKind, MemberScopes, ValueOf } from '../measure-kind.js';
import { compilePath, compileWhere, intAt, keyOf, read } from '../paths.js';
import { selfPart, unobserved } from './parts.js';

const SUM_UP: CellDelta = Object.freeze({ sum: 1 });
const SUM_DOWN: CellDelta = Object.freeze({ sum: -1 });

const bp = (n: number, d: number): number => Number(divideRounded(BigInt(n) * 10_000n, BigInt(d)));

function numberReader(source: NumberSource): (e: unknown) => number | null {
  if ('path' in source) {
    const segs = compilePath(source.path);
    return (e) => intAt(e, segs);
  }
  const a = compilePath(source.absDiff[0]);
  const b = compilePath(source.absDiff[1]);
  return (e) => {
    const x = intAt(e, a);
    const y = intAt(e, b);
    return x === null || y === null ? null : Math.abs(x - y);
  };
}

/**
 * `sum-ratio`: Σ numerator ÷ Σ denominator of the same events, each event its own share (delivery
 * efficiency, estimate accuracy with `complement`).
 *
 * @example `createKpiEngine({ definitions: catalogueV2({ currency: 'EUR' }), orgTimeZone: 'UTC' })` folds it
 */
export const sumRatioKind: MeasureKind = {
  kind: 'sum-ratio',
  version: 1,
  aggregations: ['ratio'],
  compile(raw) {
    const m = raw as SumRatioMeasure;
    const pass = compileWhere(m.where);
    const num = numberReader(m.numerator);
    const den = numberReader(m.denominator);
    const complement = m.complement === true;
    return {
      eventTypes: m.eventTypes,
      fold(ctx) {
        const e = ctx.event;
        if (!pass(e)) return;
        const n = num(e);
        const d = den(e);
        if (n === null || d === null) return;
        ctx.add(
          ctx.eventScopes(),
          ctx.periodStart,
          { numerator: n, denominator: d },
          ctx.observing
            ? [{ position: e.position, eventId: e.eventId, role: 'event', numerator: n, denominator: d }]
            : unobserved(1),
        );
      },
      value(_aggregation, cell): ValueOf | null {
        if (cell.denominator === 0) return null;
        const ratio = bp(cell.numerator, cell.denominator);
        return {
          value: complement ? Math.max(0, 10_000 - ratio) : ratio,
          numerator: cell.numerator,
          denominator: cell.denominator,
        };
      },
    };
  },
};

/**
 * The coefficient of variation of per-member sums, in basis points (population σ ÷ mean), rounded
 * half-up from the exact square root: 0 when every member carries the same load.
 *
 * @example `coefficientOfVariationBp(new Map([['a', 60], ['b', 180]]))` → `5000`
 */
export function coefficientOfVariationBp(members: ReadonlyMap<string, number>): number {
  let n = 0;
  let s = 0;
  let q = 0;
  for (const x of members.values()) {
    n++;
    s += x;
    q += x * x;
  }
  if (n === 0 || s === 0) return 0;
  // σ ÷ μ = √(n·Σx² − (Σx)²) ÷ Σx, in integers until the one square root.
  const spread = BigInt(n) * BigInt(q) - BigInt(s) * BigInt(s);
  return Math.round((Math.sqrt(Number(spread)) * 10_000) / s);
}

/**
 * `spread`: team load distribution — each event adds its amount to its member's sum in the cells of
 * the member's scopes (team: the member's teams at the event's org version); the value is the
 * coefficient of variation across members. Numerator: Σ amounts; denominator: members.
 *
 * @example `createKpiEngine({ definitions: catalogueV2({ currency: 'EUR' }), orgTimeZone: 'UTC' })` folds it
 */
export const spreadKind: MeasureKind = {
  kind: 'spread',
  version: 1,
  aggregations: ['ratio'],
  compile(raw) {
    const m = raw as SpreadMeasure;
    const pass = compileWhere(m.where);
    const member = compilePath(m.member);
    const value = compilePath(m.value);
    const project = compilePath('payload.projectId');
    return {
      eventTypes: m.eventTypes,
      fold(ctx) {
        const e = ctx.event;
        if (!pass(e)) return;
        const who = keyOf(e, member);
        const v = intAt(e, value);
        if (who === null || v === null) return;
        const projectId = keyOf(e, project);
        const scopes = ctx.factScopes({ employeeId: who, projectId });
        ctx.add(
          scopes,
          ctx.periodStart,
          { sum: v, member: who, memberAmount: v },
          ctx.observing
            ? [{ position: e.position, eventId: e.eventId, role: 'event', numerator: v }]
            : unobserved(1),
        );
      },
      value(_aggregation, cell: CellTotals): ValueOf | null {
        const members = cell.members;
        if (members === null || members.size === 0) return null;
        return { value: coefficientOfVariationBp(members), numerator: cell.sum, denominator: members.size };
      },
    };
  },
};

interface Opened {
  /** Scope ids per member the +1 went to. */
  readonly s: MemberScopes;
  readonly p: string;
  readonly i: string;
}

/**
 * `open-count`: entities opened and not yet closed at each period's end (a running level), e.g. open
 * project variances. The −1 goes to the scopes the +1 went to.
 *
 * @example `createKpiEngine({ definitions: catalogueV2({ currency: 'EUR' }), orgTimeZone: 'UTC' })` folds it
 */
export const openCountKind: MeasureKind = {
  kind: 'open-count',
  version: 1,
  aggregations: ['sum'],
  carryForward: true,
  compile(raw) {
    const m = raw as OpenCountMeasure;
    const openPass = compileWhere(m.open.where);
    const openKey = compilePath(m.open.key);
    const closers = m.close.map((c) => ({
      type: c.eventType,
      pass: compileWhere(c.where),
      key: compilePath(c.key),
    }));
    return {
      eventTypes: [...new Set([m.open.eventType, ...m.close.map((c) => c.eventType)])],
      fold(ctx) {
        const e = ctx.event;
        // Closing first: a type that both closes and opens reopens.
        for (const c of closers) {
          if (c.type !== e.type || !c.pass(e)) continue;
          const k = keyOf(e, c.key);
          if (k === null) continue;
          const open = ctx.get<Opened>(k);
          if (open === undefined) continue;
          ctx.add(
            open.s,
            ctx.periodStart,
            SUM_DOWN,
            ctx.observing
              ? [{ position: e.position, eventId: e.eventId, role: 'change', numerator: -1 }]
              : unobserved(1),
          );
          ctx.delete(k);
        }
        if (e.type !== m.open.eventType || !openPass(e)) return;
        const k = keyOf(e, openKey);
        if (k === null || ctx.get<Opened>(k) !== undefined) return;
        const scopes = ctx.eventScopes();
        ctx.add(
          scopes,
          ctx.periodStart,
          SUM_UP,
          ctx.observing
            ? [{ position: e.position, eventId: e.eventId, role: 'change', numerator: 1 }]
            : unobserved(1),
        );
        ctx.set(k, { s: scopes, p: e.position.toString(), i: e.eventId });
      },
    };
  },
};

/**
 * `planned-actual`: per project, to date — Σ net actual minutes (time submitted on the project, then its
 * adjustments' deltas) ÷ Σ planned minutes (task estimates, re-estimates as deltas), in basis points.
 * Numerator actual, denominator planned; no result while nothing is planned.
 *
 * @example `createKpiEngine({ definitions: catalogueV2({ currency: 'EUR' }), orgTimeZone: 'UTC' })` folds it
 */
export const plannedActualKind: MeasureKind = {
  kind: 'planned-actual',
  version: 1,
  aggregations: ['ratio'],
  carryForward: true,
  compile(raw) {
    void (raw as PlannedActualMeasure);
    const project = compilePath('payload.projectId');
    const entry = compilePath('payload.timeEntryId');
    const minutes = compilePath('payload.minutes');
    const estimate = compilePath('payload.estimatedMinutes');
    const from = compilePath('payload.from');
    const to = compilePath('payload.to');
    const delta = compilePath('payload.deltaMinutes');
    return {
      eventTypes: [
        'delivery.task_created',
        'delivery.task_re_estimated',
        'time_entry.submitted',
        'time_entry.adjusted',
      ],
      fold(ctx) {
        const e = ctx.event;
        switch (e.type) {
          case 'delivery.task_created':
          case 'delivery.task_re_estimated': {
            const projectId = keyOf(e, project);
            const d =
              e.type === 'delivery.task_created'
                ? intAt(e, estimate)
                : (intAt(e, to) ?? 0) - (intAt(e, from) ?? 0);
            if (projectId === null || d === null || d === 0) return;
            ctx.add(
              ctx.factScopes({ projectId }),
              ctx.periodStart,
              { denominator: d },
              selfPart(ctx, 'change', 0, d),
            );
            return;
          }
          case 'time_entry.submitted': {
            const projectId = keyOf(e, project);
            const id = keyOf(e, entry);
            const m = intAt(e, minutes);
            if (projectId === null || id === null || m === null) return;
            ctx.set(id, projectId);
            ctx.add(
              ctx.factScopes({ projectId }),
              ctx.periodStart,
              { numerator: m },
              selfPart(ctx, 'change', m, 0),
            );
            return;
          }
          case 'time_entry.adjusted': {
            const id = keyOf(e, entry);
            const projectId = id === null ? undefined : ctx.get<string>(id);
            const d = intAt(e, delta);
            if (projectId === undefined || d === null || d === 0) return;
            ctx.add(
              ctx.factScopes({ projectId }),
              ctx.periodStart,
              { numerator: d },
              selfPart(ctx, 'change', d, 0),
            );
            return;
          }
        }
      },
      value(_aggregation, cell) {
        if (cell.denominator === 0) return null;
        return {
          value: bp(cell.numerator, cell.denominator),
          numerator: cell.numerator,
          denominator: cell.denominator,
        };
      },
    };
  },
};

/**
 * `presales-per-win`: Σ net minutes on pre-sales projects ÷ wins, per period, in whole minutes.
 *
 * @example `createKpiEngine({ definitions: catalogueV2(), orgTimeZone: 'UTC' })` folds it
 */
export const presalesPerWinKind: MeasureKind = {
  kind: 'presales-per-win',
  // 2: projects and entries keyed by their bare ids (UUIDs); v1 keyed them `p:<id>` and `e:<id>`.
  version: 2,
  aggregations: ['avg'],
  compile(raw) {
    void (raw as PresalesPerWinMeasure);
    const project = compilePath('payload.projectId');
    const kind = compilePath('payload.kind');
    const entry = compilePath('payload.timeEntryId');
    const employee = compilePath('payload.employeeId');
    const minutes = compilePath('payload.minutes');
    const delta = compilePath('payload.deltaMinutes');
    return {
      eventTypes: [
        'delivery.project_created',
        'time_entry.submitted',
        'time_entry.adjusted',
        'opportunity.won',
      ],
      fold(ctx) {
        const e = ctx.event;
        switch (e.type) {
          case 'delivery.project_created': {
            const id = keyOf(e, project);
            if (id !== null && read(e, kind) === 'presales') ctx.set(id, true);
            return;
          }
          case 'time_entry.submitted': {
            const projectId = keyOf(e, project);
            const id = keyOf(e, entry);
            const who = keyOf(e, employee);
            const m = intAt(e, minutes);
            if (projectId === null || id === null || who === null || m === null) return;
            if (ctx.get<boolean>(projectId) !== true) return;
            ctx.set(id, who);
            ctx.add(
              ctx.factScopes({ employeeId: who, projectId }),
              ctx.periodStart,
              { numerator: m },
              selfPart(ctx, 'numerator', m, 0),
            );
            return;
          }
          case 'time_entry.adjusted': {
            const id = keyOf(e, entry);
            const who = id === null ? undefined : ctx.get<string>(id);
            const d = intAt(e, delta);
            if (who === undefined || d === null || d === 0) return;
            ctx.add(
              ctx.factScopes({ employeeId: who }),
              ctx.periodStart,
              { numerator: d },
              selfPart(ctx, 'numerator', d, 0),
            );
            return;
          }
          case 'opportunity.won':
            ctx.add(
              ctx.eventScopes(),
              ctx.periodStart,
              { denominator: 1 },
              selfPart(ctx, 'denominator', 0, 1),
            );
            return;
        }
      },
      value(_aggregation, cell) {
        if (cell.denominator === 0) return null;
        return {
          value: Number(divideRounded(BigInt(cell.numerator), BigInt(cell.denominator))),
          numerator: cell.numerator,
          denominator: cell.denominator,
        };
      },
    };
  },
};
