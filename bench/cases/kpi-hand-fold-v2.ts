// The catalogue-v2 half of the kpi-fold-memory `raw-min` baseline: the v2 KPIs the bench computes
// (their dashboards' scopes, monthly, Europe/Berlin) folded by hand-written code that knows them — a
// switch on the event type, plain maps of tickets, entries and projects, rows and cells per scope. What a
// script written for these KPIs alone would do: no definitions as data, no plug-in contexts, no
// watermarks, change journal or explain hooks. `handFoldV2MatchesEngine` checks it computes the engine's
// numbers, so the baseline is the same work.
import { Calendar, divideRounded, type Identity } from '@pet-ops/core';
import {
  CATALOGUE_V2_KEYS,
  catalogueV2,
  createKpiEngine,
  createLocalCalendar,
  type KpiEvent,
} from '@pet-ops/kpi';
import { BENCH_TIME_ZONE, benchOrgVersions } from './kpi-shared.js';

/** One KPI's cell in one scope row and month (members: per-member sums of the spread). */
interface Cell {
  k: number;
  s: number;
  n: number;
  d: number;
  m: Map<string, number> | null;
}
interface Row {
  ps: string;
  cells: (Cell | undefined)[];
  readonly periods: Map<string, (Cell | undefined)[]>;
}

/** The v2 definitions the bench computes: its dashboards' scopes among the stored ones. */
export const benchV2Scopes = ['org', 'team', 'department', 'employee', 'customer', 'project'] as const;
const SCOPES = ['org', 'team', 'employee', 'customer', 'project'] as const;
const ORG = 0;
const TEAM = 1;
const EMP = 2;
const CUST = 3;
const PROJ = 4;

const KEYS: readonly string[] = Object.values(CATALOGUE_V2_KEYS).flat();
const slot = (key: string): number => KEYS.indexOf(key);
const PRESALES = slot('sales.presales-minutes-per-win');
const EFFICIENCY = slot('delivery.efficiency');
const ACCURACY = slot('delivery.estimate-accuracy');
const SLA_COMPLIANCE = slot('support.sla-compliance');
const VARIANCE_TREND = slot('delivery.variance-trend');
const PLANNED = slot('delivery.planned-vs-actual');
const OPEN_VARIANCES = slot('delivery.open-variances');
const OPEN = slot('support.open-tickets');
const OPEN_BY: Record<string, number> = {
  low: slot('support.open-tickets.low'),
  medium: slot('support.open-tickets.medium'),
  high: slot('support.open-tickets.high'),
  critical: slot('support.open-tickets.critical'),
};
const BREACH_RATE = slot('support.sla-breach-rate');
const MTTR = slot('support.mttr');
const MTTR_BY: Record<string, number> = {
  low: slot('support.mttr.low'),
  medium: slot('support.mttr.medium'),
  high: slot('support.mttr.high'),
  critical: slot('support.mttr.critical'),
};
const HOURS = slot('support.hours-by-customer');
const RESPONSE = slot('support.response-compliance');
const RESOLUTION = slot('support.resolution-compliance');
const BREACHES = slot('support.breach-count');
const ESCALATIONS = slot('support.escalation-count');
const SPREAD = slot('people.team-load-spread');
const REUSE = slot('knowledge.reuse');
const ACCELERATION = slot('knowledge.resolution-acceleration');
/** KPIs whose results run to date (compared by their monthly change). */
const RUNNING = new Set([PLANNED, OPEN_VARIANCES, OPEN, ...Object.values(OPEN_BY)]);

/** A ticket as the hand fold tracks it. */
interface Ticket {
  c: number;
  pr: string;
  cu: string | null;
  em: string | null;
  cal: Calendar.BusinessCalendar | null;
  breaches: number;
  /** Breach-rate cohort: rows and month of the binding, breach counted. */
  bs: (Row | null)[] | null;
  bps: string;
  bc: boolean;
  resolved: boolean;
  slaResolved: boolean;
  /** Open-ticket rows counted in (org, team, customer), and the priority slot counted for. */
  open: (Row | null)[] | null;
  openSlot: number;
  art: boolean;
}

/** The hand fold's state: `apply` per event, `cells` to read the numbers. */
export function createHandFoldV2(): { apply(e: KpiEvent): void; cells(): Map<string, Cell> } {
  const local = createLocalCalendar(BENCH_TIME_ZONE);
  const versions = [...benchOrgVersions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  const teamOf = versions.map(
    (v) => new Map(v.structure.memberships.map((m) => [m.employeeId as string, m.teamId as string])),
  );
  const rows = SCOPES.map(() => new Map<string, Row>());
  const rowOf = (scope: number, id: unknown): Row | null => {
    if (typeof id !== 'string' || id === '') return null;
    const map = rows[scope] as Map<string, Row>;
    let row = map.get(id);
    if (row === undefined) {
      row = { ps: '', cells: [], periods: new Map() };
      map.set(id, row);
    }
    return row;
  };
  const orgRow = rowOf(ORG, 'org') as Row;
  const cell = (row: Row, kpi: number, ps: string): Cell => {
    if (row.ps !== ps) {
      row.ps = ps;
      let cells = row.periods.get(ps);
      if (cells === undefined) {
        cells = [];
        row.periods.set(ps, cells);
      }
      row.cells = cells;
    }
    let c = row.cells[kpi];
    if (c === undefined) {
      c = { k: 0, s: 0, n: 0, d: 0, m: null };
      row.cells[kpi] = c;
    }
    return c;
  };
  const bump = (
    sc: readonly (Row | null)[],
    kpi: number,
    ps: string,
    k: number,
    s: number,
    n: number,
    d: number,
  ) => {
    for (const row of sc) {
      if (row === null) continue;
      const c = cell(row, kpi, ps);
      c.k += k;
      c.s += s;
      c.n += n;
      c.d += d;
    }
  };
  const months = new Map<string, string>();
  const monthOf = (at: string): string => {
    const date = local.localDate(at);
    let m = months.get(date);
    if (m === undefined) {
      m = `${date.slice(0, 8)}01`;
      months.set(date, m);
    }
    return m;
  };
  const num = (s: string, from: number, to: number): number => {
    let n = 0;
    for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48;
    return n;
  };
  const msOf = (at: string): number =>
    Date.UTC(
      num(at, 0, 4),
      num(at, 5, 7) - 1,
      num(at, 8, 10),
      num(at, 11, 13),
      num(at, 14, 16),
      num(at, 17, 19),
    ) + num(at, 20, 23);

  const tickets = new Map<string, Ticket>();
  const supportCustomer = new Map<string, string | null>();
  const supportEntries = new Map<string, string | null>();
  const projectOfEntry = new Map<string, string>();
  const presalesProjects = new Set<string>();
  const presalesEntries = new Map<string, string>();
  const openVariances = new Map<string, (Row | null)[]>();

  return {
    apply(e: KpiEvent): void {
      const p = e.payload as Record<string, unknown>;
      const ms = msOf(e.occurredAt);
      let vi = versions.length - 1;
      while (vi >= 0 && (versions[vi] as Identity.OrgVersionSnapshot).effectiveFrom > e.occurredAt) vi--;
      const ps = monthOf(e.occurredAt);
      const actor = e.actor.type === 'employee' ? e.actor.id : null;
      const teamRow = (employee: string | null): Row | null =>
        employee === null || vi < 0 ? null : rowOf(TEAM, teamOf[vi]?.get(employee));
      /** A ticket's rows: org, team (of its assignee at this event), employee, customer. */
      const ticketRows = (t: Ticket) => ({
        org: orgRow,
        team: teamRow(t.em),
        emp: rowOf(EMP, t.em),
        cust: rowOf(CUST, t.cu),
      });
      const recount = (t: Ticket): void => {
        const r = ticketRows(t);
        const now = t.resolved ? null : [r.org, r.team, r.cust];
        const nowSlot = OPEN_BY[t.pr] ?? -1;
        const same = (a: (Row | null)[] | null, b: (Row | null)[] | null) =>
          a === b || (a !== null && b !== null && a.every((x, i) => x === b[i]));
        if (t.open !== null && (!same(t.open, now) || t.openSlot !== nowSlot)) {
          if (!same(t.open, now)) bump(t.open, OPEN, ps, 0, -1, 0, 0);
          if (t.openSlot >= 0) bump(t.open, t.openSlot, ps, 0, -1, 0, 0);
          if (now !== null && !same(t.open, now)) bump(now, OPEN, ps, 0, 1, 0, 0);
          if (now !== null && nowSlot >= 0) bump(now, nowSlot, ps, 0, 1, 0, 0);
        } else if (t.open === null && now !== null) {
          bump(now, OPEN, ps, 0, 1, 0, 0);
          if (nowSlot >= 0) bump(now, nowSlot, ps, 0, 1, 0, 0);
        }
        t.open = now;
        t.openSlot = now === null ? -1 : nowSlot;
      };
      switch (e.type) {
        case 'ticket.created': {
          const id = p['ticketId'] as string;
          const t: Ticket = {
            c: ms,
            pr: p['priority'] as string,
            cu: (p['customerId'] as string | null) ?? null,
            em: null,
            cal: null,
            breaches: 0,
            bs: null,
            bps: '',
            bc: false,
            resolved: false,
            slaResolved: false,
            open: null,
            openSlot: -1,
            art: false,
          };
          tickets.set(id, t);
          if (p['owner'] === 'support') supportCustomer.set(id, t.cu);
          recount(t);
          break;
        }
        case 'ticket.assigned': {
          const t = tickets.get(p['ticketId'] as string);
          if (t === undefined) break;
          t.em = (p['assignedEmployeeId'] as string | null) ?? null;
          recount(t);
          break;
        }
        case 'ticket.priority_changed': {
          const t = tickets.get(p['ticketId'] as string);
          if (t === undefined) break;
          t.pr = p['to'] as string;
          recount(t);
          break;
        }
        case 'ticket.status_changed': {
          const id = p['ticketId'] as string;
          const t = tickets.get(id);
          if (t === undefined) break;
          const to = p['to'] as string;
          const done = to === 'resolved' || to === 'done' || to === 'closed' || to === 'archived';
          if (done && !t.resolved) {
            t.resolved = true;
            recount(t);
            const minutes =
              t.cal === null
                ? Math.max(0, Math.floor((ms - t.c) / 60_000))
                : Calendar.businessMinutesBetweenEpoch(
                    t.cal,
                    Math.floor(t.c / 60_000),
                    Math.floor(ms / 60_000),
                  );
            const r = ticketRows(t);
            bump([r.org, r.team, r.cust], MTTR, ps, 1, minutes, 0, 0);
            const byPriority = MTTR_BY[t.pr];
            if (byPriority !== undefined) bump([r.org, r.team, r.cust], byPriority, ps, 1, minutes, 0, 0);
            if (t.art) bump([r.org, r.team], ACCELERATION, ps, 1, minutes, 0, 0);
            else bump([r.org, r.team], ACCELERATION, ps, 0, 0, minutes, 1);
          }
          if (to === 'closed' || to === 'archived') tickets.delete(id);
          break;
        }
        case 'sla.bound': {
          const t = tickets.get(p['ticketId'] as string);
          if (t === undefined) break;
          t.cal = p['calendar'] as Calendar.BusinessCalendar;
          if (t.bs === null) {
            const r = ticketRows(t);
            t.bs = [r.org, r.team, r.cust];
            t.bps = ps;
            bump(t.bs, BREACH_RATE, ps, 0, 0, 0, 1);
          }
          break;
        }
        case 'sla.breached': {
          const t = tickets.get(p['ticketId'] as string);
          if (t === undefined) break;
          t.breaches++;
          const r = ticketRows(t);
          bump([r.org, r.team, r.emp], BREACHES, ps, 1, 0, 0, 0);
          if (t.bs !== null && !t.bc) {
            t.bc = true;
            bump(t.bs, BREACH_RATE, t.bps, 0, 0, 1, 0);
          }
          break;
        }
        case 'sla.escalated': {
          const t = tickets.get(p['ticketId'] as string);
          if (t === undefined) break;
          const r = ticketRows(t);
          bump([r.org, r.team, r.emp], ESCALATIONS, ps, 1, 0, 0, 0);
          break;
        }
        case 'sla.responded':
        case 'sla.resolved': {
          const t = tickets.get(p['ticketId'] as string);
          if (t === undefined) break;
          const within = (p['elapsedBusinessMinutes'] as number) <= (p['targetMinutes'] as number) ? 1 : 0;
          const r = ticketRows(t);
          if (e.type === 'sla.responded' && p['targetKind'] === 'response')
            bump([r.org, r.team, r.emp], RESPONSE, ps, 0, 0, within, 1);
          if (e.type === 'sla.resolved' && p['targetKind'] === 'resolution' && !t.slaResolved) {
            t.slaResolved = true;
            bump([r.org, r.team, r.emp], RESOLUTION, ps, 0, 0, within, 1);
            bump([r.org, r.team, r.cust], SLA_COMPLIANCE, ps, 0, 0, t.breaches === 0 ? 1 : 0, 1);
          }
          break;
        }
        case 'knowledge.linked': {
          bump([orgRow, teamRow(actor)], REUSE, ps, 1, 0, 0, 0);
          const target = p['target'] as { kind: string; id: string };
          const t = target.kind === 'ticket' ? tickets.get(target.id) : undefined;
          if (t !== undefined) t.art = true;
          break;
        }
        case 'time_entry.submitted': {
          const entry = p['timeEntryId'] as string;
          const employee = p['employeeId'] as string;
          const minutes = p['minutes'] as number;
          const ticket = p['ticketId'] as string;
          const project = p['projectId'] as string | null;
          const team = teamRow(employee);
          if (team !== null) {
            const c = cell(team, SPREAD, ps);
            c.s += minutes;
            c.m ??= new Map();
            c.m.set(employee, (c.m.get(employee) ?? 0) + minutes);
          }
          if (supportCustomer.has(ticket)) {
            const customer = supportCustomer.get(ticket) ?? null;
            supportEntries.set(entry, customer);
            bump([rowOf(CUST, customer)], HOURS, ps, 0, minutes, 0, 0);
          }
          if (project !== null) {
            projectOfEntry.set(entry, project);
            bump([rowOf(PROJ, project)], PLANNED, ps, 0, 0, minutes, 0);
            if (presalesProjects.has(project)) {
              presalesEntries.set(entry, employee);
              bump([orgRow, team], PRESALES, ps, 0, 0, minutes, 0);
            }
          }
          break;
        }
        case 'time_entry.adjusted': {
          const entry = p['timeEntryId'] as string;
          const delta = p['deltaMinutes'] as number;
          if (delta === 0) break;
          if (supportEntries.has(entry))
            bump([rowOf(CUST, supportEntries.get(entry))], HOURS, ps, 0, delta, 0, 0);
          const project = projectOfEntry.get(entry);
          if (project !== undefined) bump([rowOf(PROJ, project)], PLANNED, ps, 0, 0, delta, 0);
          const employee = presalesEntries.get(entry);
          if (employee !== undefined) bump([orgRow, teamRow(employee)], PRESALES, ps, 0, 0, delta, 0);
          break;
        }
        case 'opportunity.won':
          bump([orgRow, teamRow(actor)], PRESALES, ps, 0, 0, 0, 1);
          break;
        case 'delivery.project_created':
          if (p['kind'] === 'presales') presalesProjects.add(p['projectId'] as string);
          break;
        case 'delivery.task_created':
          bump([rowOf(PROJ, p['projectId'])], PLANNED, ps, 0, 0, 0, p['estimatedMinutes'] as number);
          break;
        case 'delivery.task_re_estimated':
          bump(
            [rowOf(PROJ, p['projectId'])],
            PLANNED,
            ps,
            0,
            0,
            0,
            (p['to'] as number) - (p['from'] as number),
          );
          break;
        case 'delivery.milestone_completed': {
          const sold = p['soldMinutes'] as number;
          const actual = p['actualMinutes'] as number;
          const sc = [orgRow, teamRow(actor), rowOf(PROJ, p['projectId'])];
          bump(sc, EFFICIENCY, ps, 0, 0, sold, actual);
          bump(sc, ACCURACY, ps, 0, 0, Math.abs(actual - sold), sold);
          break;
        }
        case 'project.variance_detected': {
          const team = teamRow(actor);
          bump([orgRow, team], VARIANCE_TREND, ps, 1, 0, 0, 0);
          const id = p['varianceId'] as string;
          if (!openVariances.has(id)) {
            const sc = [rowOf(PROJ, p['projectId']), team];
            openVariances.set(id, sc);
            bump(sc, OPEN_VARIANCES, ps, 0, 1, 0, 0);
          }
          break;
        }
        case 'project.variance_resolved': {
          const id = p['varianceId'] as string;
          const sc = openVariances.get(id);
          if (sc !== undefined) {
            openVariances.delete(id);
            bump(sc, OPEN_VARIANCES, ps, 0, -1, 0, 0);
          }
          break;
        }
      }
    },
    cells(): Map<string, Cell> {
      const out = new Map<string, Cell>();
      rows.forEach((map, scope) => {
        for (const [id, row] of map)
          for (const [ps, cells] of row.periods)
            cells.forEach((c, kpi) => {
              if (c !== undefined) out.set(`${kpi}|${SCOPES[scope]}|${id}|${ps}`, c);
            });
      });
      return out;
    },
  };
}

const mean = (s: number, k: number): number => Number(divideRounded(BigInt(s), BigInt(k)));

/**
 * Whether the hand fold's numbers equal the engine's catalogue-v2 results on `events` (each result's
 * numerator and denominator; a running result's monthly change): throws naming the first difference.
 */
export function handFoldV2MatchesEngine(events: readonly KpiEvent[]): void {
  const hand = createHandFoldV2();
  for (const e of events) hand.apply(e);
  const cells = hand.cells();
  const engine = createKpiEngine({
    definitions: catalogueV2({ scopes: [...benchV2Scopes] }),
    orgTimeZone: BENCH_TIME_ZONE,
    orgVersions: benchOrgVersions,
  });
  const state = engine.initialState();
  for (const e of events) engine.apply(state, e);
  const previous = new Map<string, [number, number]>();
  const compared = new Set<number>();
  for (const r of engine.results(state)) {
    const kpi = slot(r.definitionKey.replace(/\.by-[a-z-]+$/, ''));
    const c = cells.get(`${kpi}|${r.scopeType}|${r.scopeId}|${r.periodStart}`);
    const z = { k: 0, s: 0, n: 0, d: 0, m: null };
    const x = c ?? z;
    let expected: [number, number | null] = [r.numerator, r.denominator];
    let actual: [number, number | null];
    if (RUNNING.has(kpi)) {
      const key = `${r.definitionKey}|${r.scopeId}`;
      const [n0, d0] = previous.get(key) ?? [0, 0];
      previous.set(key, [r.numerator, r.denominator ?? 0]);
      expected = [r.numerator - n0, r.denominator === null ? null : r.denominator - d0];
      actual = kpi === PLANNED ? [x.n, x.d] : [x.s, null];
    } else if (kpi === VARIANCE_TREND || kpi === REUSE || kpi === BREACHES || kpi === ESCALATIONS)
      actual = [x.k, null];
    else if (kpi === MTTR || Object.values(MTTR_BY).includes(kpi)) actual = [x.s, x.k];
    else if (kpi === HOURS) actual = [x.s, null];
    else if (kpi === SPREAD) actual = [x.s, x.m?.size ?? 0];
    else if (kpi === ACCELERATION) actual = [mean(x.n, x.d), mean(x.s, x.k)];
    else actual = [x.n, x.d];
    if (expected[0] !== actual[0] || expected[1] !== actual[1])
      throw new Error(`hand fold v2 differs from the engine at ${r.id}: ${actual} ≠ ${expected}`);
    compared.add(kpi);
  }
  if (compared.size < KEYS.length)
    throw new Error(`hand fold v2 compared ${compared.size} of ${KEYS.length} KPIs: the stream misses some`);
}
