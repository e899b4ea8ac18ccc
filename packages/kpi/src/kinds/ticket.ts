import { Calendar, divideRounded, instantFromEpochMs } from '@pet-ops/core';
import { dayCalendar } from '../calendar.js';
import type { TicketMeasure, TicketTimeMeasure } from '../definition.js';
import type {
  CellDelta,
  ContributionPart,
  EntityTracker,
  FoldContext,
  MeasureKind,
  MemberScopes,
  ValueOf,
} from '../measure-kind.js';
import { compilePath, intAt, keyOf, read } from '../paths.js';
import type { ScopeFacts, ScopeIds } from '../scopes.js';
import { unobserved } from './parts.js';

type BusinessCalendar = Calendar.BusinessCalendar;

/**
 * A ticket as the kind's tracker keeps it, once for every ticket measure: the facts derived from its own
 * events alone (plain JSON in checkpoints; short names keep them small).
 */
interface TrackedTicket {
  /** Created at (epoch ms) and the creating event (position, id). */
  c: number | null;
  cp: string | null;
  ci: string | null;
  /** Current priority, owner, status. */
  pr: string | null;
  ow: string | null;
  st: string | null;
  cu: string | null;
  pj: string | null;
  /** Assigned team / employee. */
  te: string | null;
  em: string | null;
  /** Bound SLA: calendar snapshot, tier, binding event. */
  cal: BusinessCalendar | null;
  tier: string | null;
  bp: string | null;
  bi: string | null;
  /** Breaches (position, id). */
  br: [string, string][];
  /** An article is linked. */
  art: boolean;
}

/**
 * What one ticket measure keeps of a ticket besides the shared facts: what depends on its definition
 * (plain JSON in checkpoints, kept only once set; each metric uses its own fields).
 */
interface TicketMarks {
  /** Breach-rate cohort: the binding's scopes and period; whether a breach was counted. */
  bs?: MemberScopes;
  bps?: string;
  bc?: boolean;
  /** First resolution counted (span metrics), first `sla.resolved` counted (compliance). */
  rs?: boolean;
  rc?: boolean;
  /** Open-tickets: the scopes the ticket is counted in. */
  os?: MemberScopes;
}

/** The breaches of a ticket with none, shared until its first. */
const NO_BREACHES: [string, string][] = Object.freeze([]) as unknown as [string, string][];

const blank = (): TrackedTicket => ({
  c: null,
  cp: null,
  ci: null,
  pr: null,
  ow: null,
  st: null,
  cu: null,
  pj: null,
  te: null,
  em: null,
  cal: null,
  tier: null,
  bp: null,
  bi: null,
  br: NO_BREACHES,
  art: false,
});

/** Statuses in which a ticket is no longer open. */
const DONE = new Set(['resolved', 'done', 'closed', 'archived']);
/** Statuses after which a ticket's stream ends (its tracking is dropped). */
const FINAL = new Set(['closed', 'archived']);

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

const TICKET_TYPES = [
  'ticket.created',
  'ticket.assigned',
  'ticket.priority_changed',
  'ticket.status_changed',
  'sla.created',
  'sla.updated',
  'sla.bound',
  'sla.breached',
  'sla.escalated',
  'sla.responded',
  'sla.resolved',
  'knowledge.linked',
];

const NO_IDS: readonly string[] = Object.freeze([]);

/**
 * The event types each metric's fold acts on (the tracker reads all of {@link TICKET_TYPES}): a ticket
 * event runs only the measures it can change. A metric that keeps marks reads `ticket.status_changed`
 * too, to forget them when the ticket's stream ends.
 */
const METRIC_TYPES: Readonly<Record<TicketMeasure['metric'], readonly string[]>> = {
  'open-tickets': ['ticket.created', 'ticket.assigned', 'ticket.priority_changed', 'ticket.status_changed'],
  'resolution-time': ['ticket.status_changed'],
  'resolution-acceleration': ['ticket.status_changed'],
  'sla-breach-rate': ['sla.bound', 'sla.breached', 'ticket.status_changed'],
  'breach-count': ['sla.breached'],
  'escalation-count': ['sla.escalated'],
  'response-compliance': ['sla.responded'],
  'resolution-compliance': ['sla.resolved', 'ticket.status_changed'],
  'sla-compliance': ['sla.resolved', 'ticket.status_changed'],
};

/** Marks shared by every ticket a measure has counted so (never changed in place). */
const RESOLVED_MARK: TicketMarks = Object.freeze({ rs: true });
const CLOCK_STOPPED_MARK: TicketMarks = Object.freeze({ rc: true });

// The cell additions the ticket measures make, made once.
const SUM_UP: CellDelta = Object.freeze({ sum: 1 });
const SUM_DOWN: CellDelta = Object.freeze({ sum: -1 });
const COUNT_ONE: CellDelta = Object.freeze({ count: 1 });
const NUMERATOR_ONE: CellDelta = Object.freeze({ numerator: 1 });
const DENOMINATOR_ONE: CellDelta = Object.freeze({ denominator: 1 });
const WITHIN: CellDelta = Object.freeze({ numerator: 1, denominator: 1 });
const NOT_WITHIN: CellDelta = Object.freeze({ numerator: 0, denominator: 1 });

/** Whether two members' scope ids are the same (ids, or lists of ids, member by member). */
function sameScopes(a: MemberScopes, b: MemberScopes): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!sameIds(x, y)) return false;
  }
  return true;
}

const isoMinute = (ms: number): string => instantFromEpochMs(ms).slice(0, 16);
const spanRange = (fromMs: number, toMs: number): string => `[${isoMinute(fromMs)}Z, ${isoMinute(toMs)}Z)`;

/** Whether two scope ids (an id or a list of ids) are the same. */
function sameIds(x: MemberScopes[number] | undefined, y: MemberScopes[number] | undefined): boolean {
  if (x === y) return true;
  if (typeof x === 'string' || typeof y === 'string' || x === undefined || y === undefined) return false;
  if (x.length !== y.length) return false;
  for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  return true;
}

// An event's position as text, once per event: every ticket measure keeps it for its explanations.
let positionOf = -1n;
let positionText = '-1';
const positionTextOf = (position: bigint): string => {
  if (position !== positionOf) {
    positionOf = position;
    positionText = position.toString();
  }
  return positionText;
};

// The minutes of the last span asked: every resolution-time measure of an engine asks for the same one
// (same calendar snapshot object, same instants) in a row. Pure, so a hit is the same answer.
let spanCalendar: BusinessCalendar | null | undefined;
let spanFrom = 0;
let spanTo = 0;
let spanValue = 0;
/** {@link ticketSpan}'s minutes alone. */
function spanMinutes(calendar: BusinessCalendar | null, fromMs: number, toMs: number): number {
  if (calendar === spanCalendar && fromMs === spanFrom && toMs === spanTo) return spanValue;
  const minutes = ticketSpan(calendar, fromMs, toMs, false).minutes;
  spanCalendar = calendar;
  spanFrom = fromMs;
  spanTo = toMs;
  spanValue = minutes;
  return minutes;
}

/** Business minutes of `[from, to)` (epoch minutes) per local date of the calendar's zone, in order. */
function perLocalDate(
  calendar: BusinessCalendar,
  from: number,
  to: number,
): { date: string; minutes: number }[] {
  const zone = dayCalendar(calendar.timeZone);
  // The local date changes at a UTC midnight (zones at UTC+0) or inside a UTC day: cut at both, then
  // merge pieces of one local date.
  const cuts = [from];
  for (let day = Math.floor(from / 1440); day * 1440 < to; day++) {
    if (day * 1440 > from) cuts.push(day * 1440);
    const split = zone.utcDay(day);
    if (split.before === split.after) continue;
    const at = Math.floor(split.boundaryMs / 60_000);
    if (at > from && at < to) cuts.push(at);
  }
  cuts.push(to);
  const out: { date: string; minutes: number }[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i] as number;
    const minutes = Calendar.businessMinutesBetweenEpoch(calendar, a, cuts[i + 1] as number);
    if (minutes === 0) continue;
    const date = zone.localDate(instantFromEpochMs(a * 60_000));
    const last = out[out.length - 1];
    if (last !== undefined && last.date === date) last.minutes += minutes;
    else out.push({ date, minutes });
  }
  return out;
}

/**
 * The minutes of a ticket's span `[from, to)`: business minutes of the bound SLA's calendar snapshot,
 * else whole wall-clock minutes. With `explain`, the arithmetic in words: the business minutes of each
 * local date of the calendar's zone that has any (e.g. `600 = 480 (2026-01-05) + 120 (2026-01-06)`).
 *
 * @example `ticketSpan(null, 0, 90 * 60_000).minutes` → `90`
 */
export function ticketSpan(
  calendar: BusinessCalendar | null,
  fromMs: number,
  toMs: number,
  explain = true,
): { minutes: number; detail: string } {
  if (calendar === null) {
    const minutes = Math.max(0, Math.floor((toMs - fromMs) / 60_000));
    return {
      minutes,
      detail: explain ? `${minutes} wall-clock minutes ${spanRange(fromMs, toMs)} (no SLA bound)` : '',
    };
  }
  const from = Math.floor(fromMs / 60_000);
  const to = Math.floor(toMs / 60_000);
  const minutes = Calendar.businessMinutesBetweenEpoch(calendar, from, to);
  if (!explain) return { minutes, detail: '' };
  const days = minutes === 0 ? [] : perLocalDate(calendar, from, to);
  const shown = days.slice(0, 31).map((d) => `${d.minutes} (${d.date})`);
  const sum =
    days.length === 0
      ? ''
      : ` = ${shown.join(' + ')}${days.length > shown.length ? ` + … (${days.length - shown.length} more days)` : ''}`;
  return {
    minutes,
    detail:
      `${minutes} business minutes ${spanRange(fromMs, toMs)}${sum} in calendar ${calendar.calendarId} v${calendar.version} ` +
      `(${calendar.timeZone}, ${calendar.windows.length} weekly window(s), ${calendar.holidays.length} ` +
      'holiday(s)): the SLA snapshot bound to the ticket',
  };
}

const ticketIdPath = compilePath('payload.ticketId');

// The key of the last SLA definition asked (a stream binds many tickets to a few SLA definitions).
let tierOf = '';
let tierText = 'sla:';
const tierKey = (slaDefinitionId: string): string => {
  if (slaDefinitionId !== tierOf) {
    tierOf = slaDefinitionId;
    tierText = `sla:${slaDefinitionId}`;
  }
  return tierText;
};

/**
 * The ticket kind's shared facts: each ticket's {@link TrackedTicket} (and each SLA definition's tier, from
 * its terms), updated once per event for every ticket measure of the engine. A ticket is tracked from its
 * `ticket.created`, `sla.bound` or `knowledge.linked` until it is closed or archived; an event about no
 * tracked ticket (or a second `ticket.created`) is about none, and the measures skip it.
 */
const ticketTracker: EntityTracker = {
  eventTypes: TICKET_TYPES,
  fold(ctx) {
    const e = ctx.event;
    const p = e.payload as Record<string, unknown> | null;
    if (p === null || typeof p !== 'object') return null;
    if (e.type === 'sla.created' || e.type === 'sla.updated') {
      const def = str(p['slaDefinitionId']);
      const tier = str(read(p, ['terms', 'tier']));
      if (def !== null && tier !== null) ctx.set(tierKey(def), tier);
      return null;
    }
    const id =
      e.type === 'knowledge.linked'
        ? read(p, ['target', 'kind']) === 'ticket'
          ? str(read(p, ['target', 'id']))
          : null
        : keyOf(e, ticketIdPath);
    if (id === null) return null;
    let t = ctx.get<TrackedTicket>(id);
    if (t === undefined) {
      if (e.type !== 'ticket.created' && e.type !== 'sla.bound' && e.type !== 'knowledge.linked') return null;
      t = blank();
    }
    switch (e.type) {
      case 'ticket.created':
        if (t.c !== null) return null;
        t.c = ctx.ms;
        t.cp = positionTextOf(e.position);
        t.ci = e.eventId;
        t.pr = str(p['priority']);
        t.ow = str(p['owner']);
        t.st = str(p['status']);
        t.cu = str(p['customerId']);
        t.pj = str(p['projectId']);
        break;
      case 'ticket.assigned':
        t.te = str(p['assignedTeamId']);
        t.em = str(p['assignedEmployeeId']);
        break;
      case 'ticket.priority_changed':
        t.pr = str(p['to']);
        break;
      case 'ticket.status_changed': {
        const to = str(p['to']);
        t.st = to;
        // Its stream ends: the measures still fold this event with the facts handed to them.
        if (to !== null && FINAL.has(to)) {
          ctx.delete(id);
          return { key: id, value: t };
        }
        break;
      }
      case 'sla.bound': {
        t.cal = (p['calendar'] as BusinessCalendar | undefined) ?? null;
        const def = str(p['slaDefinitionId']);
        t.tier = def === null ? null : (ctx.get<string>(tierKey(def)) ?? null);
        t.bp = positionTextOf(e.position);
        t.bi = e.eventId;
        break;
      }
      case 'sla.breached':
        if (t.br === NO_BREACHES) t.br = [[positionTextOf(e.position), e.eventId]];
        else t.br.push([positionTextOf(e.position), e.eventId]);
        break;
      case 'knowledge.linked':
        t.art = true;
        break;
      default:
        // Escalations, responses, resolutions: read by the measures, nothing to keep.
        return { key: id, value: t };
    }
    ctx.set(id, t);
    return { key: id, value: t };
  },
};

/**
 * `ticket`: per-ticket support measures (spec §4, Support and the SLA auto-KPIs). Each ticket's facts —
 * customer, project, current priority and owner, assignee (team or employee), bound SLA calendar
 * snapshot and tier (from `sla.created`/`sla.updated` terms), breaches, linked articles — are tracked
 * from its own events, once for all ticket measures (the kind's tracker); each measure keeps only what
 * its definition adds (a counted resolution, its breach-rate cohort, the scopes an open ticket is counted
 * in). Results are scoped by those facts at the contributing event (team at its org version). A ticket's
 * tracking ends when it is closed or archived.
 *
 * @example `createKpiEngine({ definitions: catalogueV2({ currency: 'EUR' }), orgTimeZone: 'UTC' })` folds it
 */
export const ticketKind: MeasureKind = {
  kind: 'ticket',
  // 2: facts tracked once per ticket (`tracker:ticket`), a measure's own marks apart; v1 kept all per measure.
  version: 2,
  aggregations: ['ratio', 'avg', 'count', 'sum'],
  tracker: ticketTracker,
  compile(raw) {
    const m = raw as TicketMeasure;
    const metric = m.metric;
    const passes = (t: TrackedTicket): boolean =>
      (m.priority === undefined || t.pr === m.priority) && (m.owner === undefined || t.ow === m.owner);
    // One facts object per measure, filled per use: the engine resolves it at once and keeps nothing of it.
    const facts = {
      ticketId: null as string | null,
      customerId: null as string | null,
      projectId: null as string | null,
      teamId: null as string | null,
      employeeId: null as string | null,
      slaTier: null as string | null,
    };
    const scopesOf = (ctx: FoldContext, id: string, t: TrackedTicket): MemberScopes => {
      facts.ticketId = id;
      facts.customerId = t.cu;
      facts.projectId = t.pj;
      facts.teamId = t.te;
      facts.employeeId = t.em;
      facts.slaTier = t.tier;
      return ctx.factScopes(facts);
    };
    const self = (
      ctx: FoldContext,
      role: ContributionPart['role'],
      n?: number,
      d?: number,
    ): ContributionPart => ({
      position: ctx.event.position,
      eventId: ctx.event.eventId,
      role,
      ...(n === undefined ? {} : { numerator: n }),
      ...(d === undefined ? {} : { denominator: d }),
    });
    const ref = (p: string | null, i: string | null, role: ContributionPart['role'], detail?: string) =>
      p === null || i === null
        ? []
        : [{ position: BigInt(p), eventId: i, role, ...(detail === undefined ? {} : { detail }) }];
    /** Adds with the event itself as the one part (built only when observed). */
    const addSelf = (
      ctx: FoldContext,
      scopes: MemberScopes,
      ps: string,
      delta: CellDelta,
      role: ContributionPart['role'],
      n?: number,
      d?: number,
    ): void => ctx.add(scopes, ps, delta, ctx.observing ? [self(ctx, role, n, d)] : unobserved(1));

    /** Open-tickets: keeps the ticket counted in exactly the scopes it belongs to now. */
    const recount = (ctx: FoldContext, id: string, t: TrackedTicket): void => {
      const should = t.c !== null && !DONE.has(t.st ?? '') && passes(t);
      const counted = ctx.get<TicketMarks>(id)?.os;
      if (counted !== undefined) {
        if (should) {
          const now = scopesOf(ctx, id, t);
          if (sameScopes(now, counted)) return;
          // Only the members whose scope ids changed move: a member's results must not depend on which
          // other definitions share its measure (explaining folds one definition alone).
          const from: ScopeIds[] = [];
          const to: ScopeIds[] = [];
          for (let i = 0; i < now.length; i++) {
            const moved = !sameIds(now[i], counted[i] ?? NO_IDS);
            from.push(moved ? (counted[i] as ScopeIds) : NO_IDS);
            to.push(moved ? (now[i] as ScopeIds) : NO_IDS);
          }
          addSelf(ctx, from, ctx.periodStart, SUM_DOWN, 'change', -1);
          addSelf(ctx, to, ctx.periodStart, SUM_UP, 'change', 1);
          ctx.set(id, { os: now } satisfies TicketMarks);
          return;
        }
        addSelf(ctx, counted, ctx.periodStart, SUM_DOWN, 'change', -1);
        ctx.delete(id);
      } else if (should) {
        const now = scopesOf(ctx, id, t);
        addSelf(ctx, now, ctx.periodStart, SUM_UP, 'change', 1);
        ctx.set(id, { os: now } satisfies TicketMarks);
      }
    };

    /** The span metrics at a ticket's first resolution. */
    const resolved = (ctx: FoldContext, id: string, t: TrackedTicket): void => {
      if (ctx.get<TicketMarks>(id)?.rs === true) return;
      ctx.set(id, RESOLVED_MARK);
      if (t.c === null || !passes(t)) return;
      const scopes = scopesOf(ctx, id, t);
      if (!ctx.observing) {
        const minutes = spanMinutes(t.cal, t.c, ctx.ms);
        const parts = unobserved(
          (t.cp === null || t.ci === null ? 0 : 1) + (t.bp === null || t.bi === null ? 0 : 1) + 1,
        );
        const delta =
          metric === 'resolution-time' || t.art
            ? { count: 1, sum: minutes }
            : { denominator: 1, numerator: minutes };
        ctx.add(scopes, ctx.periodStart, delta, parts);
        return;
      }
      const span = ticketSpan(t.cal, t.c, ctx.ms, true);
      const parts: ContributionPart[] = [
        ...ref(t.cp, t.ci, 'start', 'the ticket opened: the span starts'),
        ...ref(t.bp, t.bi, 'context', 'the SLA binding: its calendar snapshot counts the minutes'),
      ];
      if (metric === 'resolution-time') {
        parts.push({ ...self(ctx, 'end', span.minutes, 1), detail: span.detail });
        ctx.add(scopes, ctx.periodStart, { count: 1, sum: span.minutes }, parts);
      } else {
        const detail = `${span.detail}; ${t.art ? 'with' : 'without'} a linked article`;
        parts.push({ ...self(ctx, 'end'), detail });
        ctx.add(
          scopes,
          ctx.periodStart,
          t.art ? { count: 1, sum: span.minutes } : { denominator: 1, numerator: span.minutes },
          parts,
        );
      }
    };

    /** Response and resolution compliance: each (first, for resolutions) SLA clock stop against its target. */
    const stopped = (ctx: FoldContext, id: string, t: TrackedTicket, p: Record<string, unknown>): void => {
      const kind = p['targetKind'];
      if (metric === 'response-compliance' ? kind !== 'response' : kind !== 'resolution') return;
      if (metric === 'resolution-compliance') {
        if (ctx.get<TicketMarks>(id)?.rc === true) return;
        ctx.set(id, CLOCK_STOPPED_MARK);
      }
      if (!passes(t)) return;
      const elapsed = intAt(p, ['elapsedBusinessMinutes']);
      const target = intAt(p, ['targetMinutes']);
      const within = elapsed !== null && target !== null && elapsed <= target ? 1 : 0;
      ctx.add(
        scopesOf(ctx, id, t),
        ctx.periodStart,
        within === 1 ? WITHIN : NOT_WITHIN,
        ctx.observing
          ? [
              {
                ...self(ctx, within === 1 ? 'numerator' : 'denominator', within, 1),
                detail: `${elapsed} elapsed business minutes ${within === 1 ? '≤' : '>'} target ${target}`,
              },
            ]
          : unobserved(1),
      );
    };

    /** SLA compliance: a ticket's first resolution clock stop counts as compliant when it had no breach. */
    const compliant = (ctx: FoldContext, id: string, t: TrackedTicket, p: Record<string, unknown>): void => {
      if (p['targetKind'] !== 'resolution' || ctx.get<TicketMarks>(id)?.rc === true) return;
      ctx.set(id, CLOCK_STOPPED_MARK);
      if (!passes(t)) return;
      const clean = t.br.length === 0 ? 1 : 0;
      const scopes = scopesOf(ctx, id, t);
      const delta = clean === 1 ? WITHIN : NOT_WITHIN;
      if (!ctx.observing) {
        const bound = t.bp === null || t.bi === null ? 0 : 1;
        ctx.add(scopes, ctx.periodStart, delta, unobserved(bound + t.br.length + 1));
        return;
      }
      ctx.add(scopes, ctx.periodStart, delta, [
        ...ref(t.bp, t.bi, 'context', 'the SLA binding: the ticket is SLA-bound'),
        ...t.br.map(([bp, bi]) => ({
          position: BigInt(bp),
          eventId: bi,
          role: 'context' as const,
          detail: 'a breach: the resolution does not count as compliant',
        })),
        {
          ...self(ctx, clean === 1 ? 'numerator' : 'denominator', clean, 1),
          detail: clean === 1 ? 'resolved with no breach' : `resolved after ${t.br.length} breach(es)`,
        },
      ]);
    };

    return {
      eventTypes: METRIC_TYPES[metric],
      carryForward: metric === 'open-tickets',
      fold(ctx) {
        // The tracker has folded the event into the ticket's facts already (and skipped what is about none).
        const tracked = ctx.tracked;
        if (tracked === null) return;
        const id = tracked.key;
        const t = tracked.value as TrackedTicket;
        switch (ctx.event.type) {
          case 'ticket.created':
          case 'ticket.assigned':
          case 'ticket.priority_changed':
            if (metric === 'open-tickets') recount(ctx, id, t);
            return;
          case 'ticket.status_changed': {
            const to = t.st;
            if (metric === 'open-tickets') recount(ctx, id, t);
            if (
              (metric === 'resolution-time' || metric === 'resolution-acceleration') &&
              to !== null &&
              DONE.has(to)
            )
              resolved(ctx, id, t);
            // The tracker stopped tracking the ticket: so does the measure.
            if (to !== null && FINAL.has(to)) ctx.delete(id);
            return;
          }
          case 'sla.bound':
            if (metric === 'sla-breach-rate' && ctx.get<TicketMarks>(id) === undefined && passes(t)) {
              const marks: TicketMarks = { bs: scopesOf(ctx, id, t), bps: ctx.periodStart, bc: false };
              ctx.set(id, marks);
              addSelf(ctx, marks.bs as MemberScopes, ctx.periodStart, DENOMINATOR_ONE, 'denominator', 0, 1);
            }
            return;
          case 'sla.breached':
            if (metric === 'breach-count' && passes(t))
              addSelf(ctx, scopesOf(ctx, id, t), ctx.periodStart, COUNT_ONE, 'event', 1);
            if (metric === 'sla-breach-rate') {
              const marks = ctx.get<TicketMarks>(id);
              if (marks?.bs !== undefined && marks.bps !== undefined && marks.bc !== true) {
                marks.bc = true;
                ctx.set(id, marks);
                addSelf(ctx, marks.bs, marks.bps, NUMERATOR_ONE, 'numerator', 1, 0);
              }
            }
            return;
          case 'sla.escalated':
            if (metric === 'escalation-count' && passes(t))
              addSelf(ctx, scopesOf(ctx, id, t), ctx.periodStart, COUNT_ONE, 'event', 1);
            return;
          case 'sla.responded':
            if (metric === 'response-compliance')
              stopped(ctx, id, t, ctx.event.payload as Record<string, unknown>);
            return;
          case 'sla.resolved':
            if (metric === 'resolution-compliance')
              stopped(ctx, id, t, ctx.event.payload as Record<string, unknown>);
            else if (metric === 'sla-compliance')
              compliant(ctx, id, t, ctx.event.payload as Record<string, unknown>);
            return;
        }
      },
      ...(metric === 'resolution-acceleration'
        ? {
            value(
              _aggregation: unknown,
              cell: { count: number; sum: number; numerator: number; denominator: number },
            ): ValueOf | null {
              if (cell.count === 0 || cell.denominator === 0) return null;
              const withArticle = Number(divideRounded(BigInt(cell.sum), BigInt(cell.count)));
              const without = Number(divideRounded(BigInt(cell.numerator), BigInt(cell.denominator)));
              return { value: without - withArticle, numerator: without, denominator: withArticle };
            },
          }
        : {}),
    };
  },
};

interface TicketFacts {
  readonly ow: string | null;
  readonly cu: string | null;
  readonly pj: string | null;
}
interface EntryFacts {
  t: string;
  m: number;
  em: string;
}

/** A time event as the one part of an addition of `minutes` (a function: no closure per event). */
const timePart = (ctx: FoldContext, minutes: number): readonly ContributionPart[] =>
  ctx.observing
    ? [{ position: ctx.event.position, eventId: ctx.event.eventId, role: 'event', numerator: minutes }]
    : unobserved(1);

/**
 * `ticket-time`: Σ net minutes of submitted time on tickets (entry minutes, then adjustment deltas;
 * a re-attribution moves the entry's minutes to its new ticket), scoped by the ticket's customer and
 * project and the entry's employee (team: the employee's teams at the event's org version). With
 * `owner`, only tickets of that lifecycle owner (support hours by customer).
 *
 * @example `createKpiEngine({ definitions: catalogueV2({ currency: 'EUR' }), orgTimeZone: 'UTC' })` folds it
 */
export const ticketTimeKind: MeasureKind = {
  kind: 'ticket-time',
  // 2: tickets and entries keyed by their bare ids (UUIDs, so they never clash): a prefixed key was a new
  // string per event, hashed again at every lookup. v1 keyed them `t:<id>` and `e:<id>`.
  version: 2,
  aggregations: ['sum'],
  compile(raw) {
    const m = raw as TicketTimeMeasure;
    const facts = (ticketId: string, t: TicketFacts, employeeId: string): ScopeFacts => ({
      ticketId,
      customerId: t.cu,
      projectId: t.pj,
      employeeId,
    });
    return {
      eventTypes: ['ticket.created', 'time_entry.submitted', 'time_entry.adjusted'],
      fold(ctx) {
        const e = ctx.event;
        const p = e.payload as Record<string, unknown> | null;
        if (p === null || typeof p !== 'object') return;
        switch (e.type) {
          case 'ticket.created': {
            const id = str(p['ticketId']);
            const ow = str(p['owner']);
            if (id === null || (m.owner !== undefined && ow !== m.owner)) return;
            ctx.set(id, { ow, cu: str(p['customerId']), pj: str(p['projectId']) });
            return;
          }
          case 'time_entry.submitted': {
            const entry = str(p['timeEntryId']);
            const ticket = str(p['ticketId']);
            const employee = str(p['employeeId']);
            const minutes = intAt(p, ['minutes']);
            if (entry === null || ticket === null || employee === null || minutes === null) return;
            const t = ctx.get<TicketFacts>(ticket);
            if (t === undefined) return;
            ctx.set(entry, { t: ticket, m: minutes, em: employee });
            ctx.add(
              ctx.factScopes(facts(ticket, t, employee)),
              ctx.periodStart,
              { sum: minutes },
              timePart(ctx, minutes),
            );
            return;
          }
          case 'time_entry.adjusted': {
            const entry = str(p['timeEntryId']);
            const x = entry === null ? undefined : ctx.get<EntryFacts>(entry);
            const delta = intAt(p, ['deltaMinutes']) ?? 0;
            if (entry === null || x === undefined) return;
            const moveTo = str(p['newTicketId']);
            const old = ctx.get<TicketFacts>(x.t);
            if (moveTo !== null && moveTo !== x.t) {
              if (old !== undefined && x.m !== 0)
                ctx.add(
                  ctx.factScopes(facts(x.t, old, x.em)),
                  ctx.periodStart,
                  { sum: -x.m },
                  timePart(ctx, -x.m),
                );
              const next = ctx.get<TicketFacts>(moveTo);
              if (next === undefined) {
                ctx.delete(entry);
                return;
              }
              const moved = x.m + delta;
              if (moved !== 0)
                ctx.add(
                  ctx.factScopes(facts(moveTo, next, x.em)),
                  ctx.periodStart,
                  { sum: moved },
                  timePart(ctx, moved),
                );
              ctx.set(entry, { t: moveTo, m: moved, em: x.em });
              return;
            }
            if (delta === 0 || old === undefined) return;
            ctx.add(
              ctx.factScopes(facts(x.t, old, x.em)),
              ctx.periodStart,
              { sum: delta },
              timePart(ctx, delta),
            );
            ctx.set(entry, { t: x.t, m: x.m + delta, em: x.em });
            return;
          }
        }
      },
    };
  },
};
