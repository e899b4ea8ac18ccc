// Experiment, not a bench case: the bench's 55 KPIs folded with the state off the JS heap (cells in one
// Float64Array, open entities in typed-array tables keyed by their UUID's four 32-bit words, scopes
// interned to row numbers), to learn what a redesigned engine state could reach on this machine.
// Written for this catalogue and data only (one team per employee, monthly Berlin periods, UUID keys).
//
//   node --import tsx bench/experiments/kpi-off-heap-fold.ts memory [events] [--check]
//   node --import tsx bench/experiments/kpi-off-heap-fold.ts db <database> [server url]
//
// `db` reads a database the kpi-rebuild case's setup wrote (the server defaults to
// mysql://root@127.0.0.1:3306), e.g. after `pnpm bench --quick --only kpi-rebuild` built the cases:
//   node .bench-out/cases/kpi-rebuild.mjs --phase setup --mode lib --size 1000000 \
//     --url mysql://root@127.0.0.1:3306 --database kpi_off_heap
//
// `memory` folds the kpi-fold-memory input (200k generated events replayed with rising positions);
// `--check` then folds them with the engine and compares, per KPI over all scopes and months, the
// contributing-event counts, numerators and denominators (the pipeline level is left out). `db` streams
// the kpi-rebuild table like its raw-min baseline and writes nothing. Both print events/s, and `db` its
// peak RSS (tsx adds 10–16 MB to it; bench/README.md gives numbers from a compiled copy).
import { connectionOptions, withDatabase } from '@pet-ops/adapters-mysql';
import type { Actor, EventContext, Instant, StoredEvent } from '@pet-ops/core';
import { createKpiEngine } from '@pet-ops/kpi';
import { createConnection } from 'mysql2';
import {
  BENCH_TIME_ZONE,
  benchDefinitions,
  benchOrgVersions,
  type ReplayableEvent,
  storedCommercialEvents,
} from '../cases/kpi-shared.js';

const source = process.argv[2];
const database = process.argv[3];
if (source !== 'memory' && !(source === 'db' && database !== undefined))
  throw new Error('usage: kpi-off-heap-fold.ts memory [events] [--check] | db <database> [server url]');

// Month boundaries (UTC instants of local month starts), computed outside the fold.
const MONTHS = 120;
const boundaries: string[] = [];
for (let m = 0; m <= MONTHS; m++) {
  const y = 2024 + Math.floor(m / 12);
  const mo = m % 12;
  // Europe/Berlin: UTC+1 in winter, +2 in summer (the bench data's months start in winter or summer time).
  const probe = new Date(Date.UTC(y, mo, 1, 0, 0, 0));
  const parts = new Intl.DateTimeFormat('en', { timeZone: BENCH_TIME_ZONE, timeZoneName: 'shortOffset' })
    .formatToParts(probe)
    .find((p) => p.type === 'timeZoneName')?.value;
  const offsetH = Number((parts ?? 'GMT+1').replace('GMT', '')) || 0;
  boundaries.push(`${new Date(probe.getTime() - offsetH * 3600_000).toISOString().slice(0, 23)}000Z`);
}

// Scope kinds: 0 org, 1 team, 2 department, 3 employee, 4 customer.
const versions = benchOrgVersions.map((v) => ({
  from: v.effectiveFrom,
  teamsOf: new Map<string, number[]>(),
}));
const teamIdx = new Map<string, number>();
const deptOfTeam: number[][] = [];
benchOrgVersions.forEach((v, vi) => {
  const parent = new Map(v.structure.teams.map((t) => [t.teamId as string, t.parentTeamId as string | null]));
  for (const t of v.structure.teams) if (!teamIdx.has(t.teamId)) teamIdx.set(t.teamId, teamIdx.size);
  deptOfTeam[vi] = [];
  for (const t of v.structure.teams) {
    let root: string = t.teamId;
    for (let p = parent.get(root); p; p = parent.get(root)) root = p;
    (deptOfTeam[vi] as number[])[teamIdx.get(t.teamId) as number] = teamIdx.get(root) as number;
  }
  for (const m of v.structure.memberships) {
    const list = (versions[vi] as { teamsOf: Map<string, number[]> }).teamsOf.get(m.employeeId) ?? [];
    list.push(teamIdx.get(m.teamId) as number);
    versions[vi]?.teamsOf.set(m.employeeId, list);
  }
});

const DEFS = 11;
const STATS = 6; // k, s, n, d, c, w
const employees = new Map<string, number>();
const customers = new Map<string, number>();
// Row ids: org 0, teams 1..64, departments 65..128, employees 129..999, customers 1000..1999.
const ROWS = 2_000;
const blockOf = new Int32Array(ROWS * MONTHS).fill(-1);
let cells = new Float64Array(1 << 20);
let blocks = 0;
const BLOCK = DEFS * STATS;

function cellAt(row: number, month: number, def: number): number {
  const at = row * MONTHS + month;
  let b = blockOf[at] as number;
  if (b < 0) {
    b = blocks++;
    blockOf[at] = b;
    if ((b + 1) * BLOCK > cells.length) {
      const grown = new Float64Array(cells.length * 2);
      grown.set(cells);
      cells = grown;
    }
  }
  return b * BLOCK + def * STATS;
}

// Per event: the scope rows (up to 5 + extra teams).
const rowsBuf = new Int32Array(16);
let rowsN = 0;
function scopeRows(e: StoredEvent, payload: Record<string, unknown>, vi: number): void {
  rowsN = 0;
  rowsBuf[rowsN++] = 0;
  const actorId = e.actor.type === 'employee' ? e.actor.id : null;
  const explicitTeam = payload['teamId'];
  if (typeof explicitTeam === 'string' && explicitTeam.length > 0) {
    const t = teamIdx.get(explicitTeam) ?? 63;
    rowsBuf[rowsN++] = 1 + t;
    rowsBuf[rowsN++] = 65 + ((deptOfTeam[vi] as number[])[t] ?? t);
  } else if (actorId !== null && vi >= 0) {
    const teams = (versions[vi] as { teamsOf: Map<string, number[]> }).teamsOf.get(actorId);
    if (teams !== undefined) {
      for (let i = 0; i < teams.length; i++) rowsBuf[rowsN++] = 1 + (teams[i] as number);
      for (let i = 0; i < teams.length; i++)
        rowsBuf[rowsN++] = 65 + ((deptOfTeam[vi] as number[])[teams[i] as number] as number);
    }
  }
  const owner = payload['ownerEmployeeId'];
  const emp = typeof owner === 'string' && owner.length > 0 ? owner : actorId;
  if (emp !== null) {
    let ei = employees.get(emp);
    if (ei === undefined) {
      ei = employees.size;
      employees.set(emp, ei);
    }
    rowsBuf[rowsN++] = 129 + ei;
  }
  const cust = (e.context as { customerId?: string }).customerId ?? payload['customerId'];
  if (typeof cust === 'string' && cust.length > 0) {
    let ci = customers.get(cust);
    if (ci === undefined) {
      ci = customers.size;
      customers.set(cust, ci);
    }
    rowsBuf[rowsN++] = 1_000 + ci;
  }
}

// Entities off the JS heap: a UUID key as four 32-bit words in an open-addressing table, fields in
// typed arrays, scope rows in fixed slots. Nothing per entity survives a scavenge.
const MAXR = 12;
class EntTable {
  cap = 1 << 17;
  mask = this.cap - 1;
  slot = new Int32Array(this.cap); // 0 empty, -1 tombstone, else entity index + 1
  tomb = 0;
  n = 0;
  keys = new Uint32Array(this.cap * 4);
  ms = new Float64Array(this.cap);
  month = new Int32Array(this.cap);
  a = new Float64Array(this.cap);
  b = new Float64Array(this.cap);
  cur = new Float64Array(this.cap);
  rows = new Int32Array(this.cap * MAXR);
  rowsN = new Uint8Array(this.cap);
  free: number[] = [];
  next = 0;
  k0 = 0;
  k1 = 0;
  k2 = 0;
  k3 = 0;
  parse(s: string): number {
    // 8-4-4-4-12 hex
    const hx = (from: number, to: number): number => {
      let v = 0;
      for (let i = from; i < to; i++) {
        const c = s.charCodeAt(i);
        v = (v << 4) | (c <= 57 ? c - 48 : (c | 32) - 87);
      }
      return v >>> 0;
    };
    this.k0 = hx(0, 8);
    this.k1 = ((hx(9, 13) << 16) | hx(14, 18)) >>> 0;
    this.k2 = ((hx(19, 23) << 16) | hx(24, 28)) >>> 0;
    this.k3 = hx(28, 36);
    let h = Math.imul(this.k0 ^ this.k3, 0x9e3779b1) ^ Math.imul(this.k1 ^ this.k2, 0x85ebca77);
    h ^= h >>> 15;
    return h & this.mask;
  }
  /** Entity index of a key, or -1; leaves the probe position of the key or of a free slot in `at`. */
  at = 0;
  find(s: string): number {
    let i = this.parse(s);
    let firstFree = -1;
    for (;;) {
      const v = this.slot[i] as number;
      if (v === 0) {
        this.at = firstFree >= 0 ? firstFree : i;
        return -1;
      }
      if (v < 0) {
        if (firstFree < 0) firstFree = i;
      } else {
        const e = v - 1;
        const k = e * 4;
        if (
          this.keys[k] === this.k0 &&
          this.keys[k + 1] === this.k1 &&
          this.keys[k + 2] === this.k2 &&
          this.keys[k + 3] === this.k3
        ) {
          this.at = i;
          return e;
        }
      }
      i = (i + 1) & this.mask;
    }
  }
  /** After a failed find: a new entity at the probed slot. */
  add(ms: number, month: number): number {
    const e = this.free.length > 0 ? (this.free.pop() as number) : this.next++;
    if (this.slot[this.at] === -1) this.tomb--;
    this.slot[this.at] = e + 1;
    const k = e * 4;
    this.keys[k] = this.k0;
    this.keys[k + 1] = this.k1;
    this.keys[k + 2] = this.k2;
    this.keys[k + 3] = this.k3;
    this.ms[e] = ms;
    this.month[e] = month;
    this.a[e] = 0;
    this.b[e] = 0;
    this.cur[e] = 0;
    const n = Math.min(rowsN, MAXR);
    this.rows.set(rowsBuf.subarray(0, n), e * MAXR);
    this.rowsN[e] = n;
    this.n++;
    return e;
  }
  /** After a successful find: removes it. */
  remove(e: number): void {
    this.slot[this.at] = -1;
    this.tomb++;
    this.free.push(e);
    this.n--;
  }
  rowsOf(e: number): Int32Array {
    return this.rows.subarray(e * MAXR, e * MAXR + (this.rowsN[e] as number));
  }
}
const leadConv = new EntTable();
const leadSpan = new EntTable();
const oppSpan = new EntTable();
const oppLevel = new EntTable();
const quoteSpan = new EntTable();
const WINDOW = 366 * 86_400_000;

function bump(
  def: number,
  month: number,
  pos: number,
  k: number,
  s: number,
  n: number,
  d: number,
  c: number,
  rows: Int32Array | null,
): void {
  const list = rows ?? rowsBuf;
  const len = rows === null ? rowsN : rows.length;
  for (let i = 0; i < len; i++) {
    const at = cellAt(list[i] as number, month, def);
    cells[at] = (cells[at] as number) + k;
    cells[at + 1] = (cells[at + 1] as number) + s;
    cells[at + 2] = (cells[at + 2] as number) + n;
    cells[at + 3] = (cells[at + 3] as number) + d;
    cells[at + 4] = (cells[at + 4] as number) + c;
    cells[at + 5] = pos;
  }
}

let month = 0;
let maxMs = 0;
let lastAt = '';
let lastMs = 0;
const ms = (at: string): number => {
  if (at !== lastAt) {
    lastAt = at;
    const d = (a: number, b: number): number => {
      let n = 0;
      for (let i = a; i < b; i++) n = n * 10 + at.charCodeAt(i) - 48;
      return n;
    };
    lastMs = Date.UTC(d(0, 4), d(5, 7) - 1, d(8, 10), d(11, 13), d(14, 16), d(17, 19)) + d(20, 23);
  }
  return lastMs;
};
const W = {
  conv: 0,
  ttq: 1,
  disq: 2,
  win: 3,
  gold: 4,
  silver: 5,
  bronze: 6,
  ttquote: 7,
  tta: 8,
  pipe: 9,
  sold: 10,
};
/** Catalogue base key → its cell slot. */
const KEYS: Record<string, number> = {
  'sales.lead-conversion': W.conv,
  'sales.time-to-qualification': W.ttq,
  'sales.disqualification-rate': W.disq,
  'sales.win-rate': W.win,
  'sales.win-rate.gold': W.gold,
  'sales.win-rate.silver': W.silver,
  'sales.win-rate.bronze': W.bronze,
  'sales.time-to-quote': W.ttquote,
  'sales.time-to-acceptance': W.tta,
  'sales.weighted-pipeline': W.pipe,
  'sales.sold-value': W.sold,
};

function startSpan(t: EntTable, key: string, at: number): void {
  const e = t.find(key);
  if (e >= 0) {
    if ((t.ms[e] as number) + WINDOW >= maxMs) return;
    t.remove(e);
    t.find(key);
  }
  t.add(at, month);
}
function endSpan(t: EntTable, key: string, def: number, pos: number, at: number): void {
  const e = t.find(key);
  if (e < 0) return;
  t.remove(e);
  const start = t.ms[e] as number;
  if (start + WINDOW >= maxMs)
    bump(def, month, pos, 1, Math.floor((at - start) / 60_000), 0, 0, 2, t.rowsOf(e));
}
function level(l: EntTable, e: number, pos: number): void {
  const next = Math.round(((l.a[e] as number) * (l.b[e] as number)) / 10_000);
  const delta = next - (l.cur[e] as number);
  l.cur[e] = next;
  if (delta !== 0) bump(W.pipe, month, pos, 0, delta, 0, 0, 1, l.rowsOf(e));
}

function apply(e: StoredEvent, pos: number): void {
  const at = e.occurredAt;
  while (at >= (boundaries[month + 1] as string)) month++;
  while (month > 0 && at < (boundaries[month] as string)) month--;
  const t = ms(at);
  if (t > maxMs) maxMs = t;
  const p = e.payload as Record<string, unknown>;
  const vi =
    at >= (versions[1] as { from: string }).from ? 1 : at >= (versions[0] as { from: string }).from ? 0 : -1;
  switch (e.type) {
    case 'lead.created': {
      scopeRows(e, p, vi);
      const key = p['leadId'] as string;
      const c = leadConv.find(key);
      if (c < 0 || (leadConv.ms[c] as number) + WINDOW < maxMs) {
        if (c >= 0) {
          leadConv.remove(c);
          leadConv.find(key);
        }
        leadConv.add(t, month);
        bump(W.conv, month, pos, 0, 0, 0, 1, 1, null);
      }
      startSpan(leadSpan, key, t);
      break;
    }
    case 'lead.qualified':
    case 'lead.disqualified': {
      scopeRows(e, p, vi);
      const num = e.type === 'lead.disqualified' ? 1 : 0;
      bump(W.disq, month, pos, 0, 0, num, 1, 1, null);
      if (num === 0) endSpan(leadSpan, p['leadId'] as string, W.ttq, pos, t);
      break;
    }
    case 'opportunity.created': {
      const c = leadConv.find(p['leadId'] as string);
      if (c >= 0) {
        leadConv.remove(c);
        if ((leadConv.ms[c] as number) + WINDOW >= maxMs)
          bump(W.conv, leadConv.month[c] as number, pos, 0, 0, 1, 0, 1, leadConv.rowsOf(c));
      }
      scopeRows(e, p, vi);
      const key = p['opportunityId'] as string;
      startSpan(oppSpan, key, t);
      let l = oppLevel.find(key);
      if (l < 0) l = oppLevel.add(0, month);
      const v = p['estimatedValue'] as { amountMinor: number; currency: string } | undefined;
      oppLevel.a[l] = v !== undefined && v.currency === 'EUR' ? v.amountMinor : 0;
      const bp = p['probabilityBp'];
      if (typeof bp === 'number') oppLevel.b[l] = bp;
      level(oppLevel, l, pos);
      break;
    }
    case 'opportunity.probability_changed': {
      const l = oppLevel.find(p['opportunityId'] as string);
      if (l < 0) break;
      const bp = p['probabilityBp'];
      if (typeof bp === 'number') oppLevel.b[l] = bp;
      level(oppLevel, l, pos);
      break;
    }
    case 'quote.sent': {
      endSpan(oppSpan, p['opportunityId'] as string, W.ttquote, pos, t);
      scopeRows(e, p, vi);
      startSpan(quoteSpan, p['quoteId'] as string, t);
      break;
    }
    case 'quote.accepted': {
      endSpan(quoteSpan, p['quoteId'] as string, W.tta, pos, t);
      const v = p['totalSell'] as { amountMinor: number; currency: string } | undefined;
      if (v !== undefined && v.currency === 'EUR') {
        scopeRows(e, p, vi);
        bump(W.sold, month, pos, 1, v.amountMinor, 0, 0, 1, null);
      }
      break;
    }
    case 'opportunity.won':
    case 'opportunity.lost': {
      scopeRows(e, p, vi);
      const num = e.type === 'opportunity.won' ? 1 : 0;
      bump(W.win, month, pos, 0, 0, num, 1, 1, null);
      const cls = p['opportunityClass'];
      const d = cls === 'gold' ? W.gold : cls === 'silver' ? W.silver : cls === 'bronze' ? W.bronze : -1;
      if (d >= 0) bump(d, month, pos, 0, 0, num, 1, 1, null);
      const l = oppLevel.find(p['opportunityId'] as string);
      if (l >= 0) {
        oppLevel.remove(l);
        if ((oppLevel.cur[l] as number) !== 0)
          bump(W.pipe, month, pos, 0, -(oppLevel.cur[l] as number), 0, 0, 1, oppLevel.rowsOf(l));
      }
      break;
    }
  }
}

function fromMemory(size: number, check: boolean): void {
  const events = storedCommercialEvents(200_000);
  let done = 0;
  let base = 0;
  const t0 = performance.now();
  while (done < size) {
    for (let i = 0; i < events.length && done < size; i++, done++) {
      const e = events[i] as ReplayableEvent;
      e.position = BigInt(base + i + 1);
      apply(e, base + i + 1);
    }
    base += events.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(`off-heap fold, memory: ${Math.round(done / seconds)} events/s over ${done}`);
  if (check) compareWithEngine(events.slice(0, Math.min(size, events.length)));
}

async function fromDatabase(url: string): Promise<void> {
  let done = 0;
  const t0 = performance.now();
  const conn = createConnection(connectionOptions(url));
  await new Promise<void>((resolve, reject) => {
    conn
      .query(
        'SELECT position, event_type, occurred_at, actor_type, actor_id, context, payload FROM domain_events ORDER BY position',
      )
      .stream({ highWaterMark: 1000 })
      .on('data', (row: Record<string, string>) => {
        done++;
        const at = row['occurred_at'] as string;
        apply(
          {
            position: BigInt(row['position'] as string),
            type: row['event_type'],
            occurredAt: `${at.slice(0, 10)}T${at.slice(11)}Z` as Instant,
            actor: { type: row['actor_type'], id: row['actor_id'] } as Actor,
            context: JSON.parse(row['context'] as string) as EventContext,
            payload: JSON.parse(row['payload'] as string) as unknown,
          } as unknown as StoredEvent,
          done,
        );
      })
      .on('end', () => resolve())
      .on('error', reject);
  });
  conn.end();
  const seconds = (performance.now() - t0) / 1000;
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `off-heap fold, database: ${Math.round(done / seconds)} events/s over ${done}, peak RSS ${rss} MB`,
  );
}

/** Folds the same events with the engine; throws unless every compared total is equal. */
function compareWithEngine(events: readonly StoredEvent[]): void {
  const engine = createKpiEngine({
    definitions: benchDefinitions,
    orgTimeZone: BENCH_TIME_ZONE,
    orgVersions: benchOrgVersions,
  });
  const st = engine.initialState();
  events.forEach((e, i) => {
    engine.apply(st, { ...e, position: BigInt(i + 1) });
  });
  const results = engine.results(st);
  const ratios = new Set([W.conv, W.disq, W.win, W.gold, W.silver, W.bronze]);
  const differ: string[] = [];
  for (const [key, def] of Object.entries(KEYS)) {
    if (def === W.pipe) continue;
    const rs = results.filter((r) => r.definitionKey === key || r.definitionKey.startsWith(`${key}.by-`));
    const engineTotals = [
      rs.reduce((a, r) => a + r.contributingEventCount, 0),
      rs.reduce((a, r) => a + r.numerator, 0),
      rs.reduce((a, r) => a + (r.denominator ?? 0), 0),
    ];
    let contributing = 0;
    let numerator = 0;
    let denominator = 0;
    for (let b = 0; b < blocks; b++) {
      const at = b * BLOCK + def * STATS;
      contributing += cells[at + 4] as number;
      numerator += (ratios.has(def) ? cells[at + 2] : cells[at + 1]) as number;
      denominator += (ratios.has(def) ? cells[at + 3] : def === W.sold ? 0 : cells[at]) as number;
    }
    const mine = [contributing, numerator, denominator];
    if (mine.join('/') !== engineTotals.join('/'))
      differ.push(`${key}: ${mine.join('/')} ≠ ${engineTotals.join('/')}`);
  }
  if (differ.length > 0) throw new Error(`the off-heap fold differs from the engine:\n${differ.join('\n')}`);
  console.log(
    `same totals as the engine for ${Object.keys(KEYS).length - 1} KPIs over ${events.length} events`,
  );
}

if (source === 'memory') fromMemory(Number(process.argv[3] ?? 1_000_000), process.argv.includes('--check'));
else await fromDatabase(withDatabase(process.argv[4] ?? 'mysql://root@127.0.0.1:3306', database as string));
