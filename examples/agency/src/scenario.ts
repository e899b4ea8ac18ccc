// The simulated quarter as plain data, generated from a seed. Nothing here talks to the database:
// `run-*.ts` replays this plan through the public command API, and the e2e test derives the expected
// KPI values from the same plan, independently of the engine.
import { createPrng, type Prng } from './prng.js';
import { type ExecutePlan, planExecution } from './scenario-execute.js';

/** The simulated quarter: Q3 2026, in UTC epoch milliseconds. */
export const QUARTER = { start: Date.UTC(2026, 6, 1), end: Date.UTC(2026, 9, 1) } as const;
/** The organisation's time zone (KPI periods are its calendar months). */
export const ORG_TIME_ZONE = 'Europe/Berlin';
export const CURRENCY = 'EUR';
export const DEFAULT_SEED = 20260701;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type OpportunityClass = 'gold' | 'silver' | 'bronze';

export interface TeamPlan {
  readonly key: string;
  readonly name: string;
  /** Key of the employee who manages the team. */
  readonly managerKey: string;
}

export interface EmployeePlan {
  readonly key: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  /** The team the employee joins at the start of the quarter (`null`: the director, in no team). */
  readonly teamKey: string | null;
  readonly role: 'lead' | 'member';
  readonly hireDate: string;
}

/** The org restructuring of the quarter: one consultant moves team, published as org version 2. */
export interface OrgChangePlan {
  readonly at: number;
  readonly employeeKey: string;
  readonly fromTeamKey: string;
  readonly toTeamKey: string;
}

/** One data row of the generated company CSV. */
export interface CompanyRowPlan {
  /** The CSV text of the row (without the line break). */
  readonly line: string;
  /** `null` for a good row; otherwise the rejection the import must dead-letter it with. */
  readonly badReason: 'MISSING_NAME' | 'MALFORMED_WEBSITE' | 'DUPLICATE_IN_FILE' | 'UNPARSEABLE_LINE' | null;
  /** The external id of a good row (how the simulation finds the imported company again). */
  readonly externalId: string | null;
}

/** A quote line: a role's hours at a day rate (sell and cost), so totals stay whole minor units. */
export interface QuoteLinePlan {
  readonly title: string;
  readonly roleId: string;
  readonly minutes: number;
  /** Sell rate, minor units per hour. */
  readonly sellRateMinor: number;
  /** Cost rate, minor units per hour. */
  readonly costRateMinor: number;
}

/** One step of a lead's story, at a simulated time. */
export type StoryStep =
  | { readonly kind: 'qualification_started'; readonly at: number }
  | { readonly kind: 'qualified'; readonly at: number; readonly opportunityClass: OpportunityClass }
  | { readonly kind: 'disqualified'; readonly at: number; readonly reason: string }
  | {
      readonly kind: 'opportunity_created';
      readonly at: number;
      readonly probabilityBp: number;
      readonly estimatedValueMinor: number;
    }
  | { readonly kind: 'quote_created'; readonly at: number; readonly lines: readonly QuoteLinePlan[] }
  | { readonly kind: 'quote_sent'; readonly at: number }
  | { readonly kind: 'quote_revised'; readonly at: number; readonly lines: readonly QuoteLinePlan[] }
  | { readonly kind: 'quote_rejected'; readonly at: number; readonly reason: string }
  | { readonly kind: 'opportunity_lost'; readonly at: number; readonly reason: string }
  /** `concurrent`: two clients accept at once; exactly one may win. */
  | { readonly kind: 'quote_accepted'; readonly at: number; readonly concurrent: boolean };

export interface LeadStory {
  readonly index: number;
  readonly createdAt: number;
  readonly ownerKey: string;
  /** Index into the good company rows (the customer). */
  readonly companyIndex: number;
  readonly source: string;
  readonly subject: string;
  /** In time order, all inside the quarter. */
  readonly steps: readonly StoryStep[];
}

export interface Scenario {
  readonly seed: number;
  readonly size: number;
  readonly teams: readonly TeamPlan[];
  readonly employees: readonly EmployeePlan[];
  readonly orgChange: OrgChangePlan;
  readonly csvHeader: string;
  readonly companyRows: readonly CompanyRowPlan[];
  readonly leads: readonly LeadStory[];
  /** The quarter after acceptance: delivery, time, support (`scenario-execute.ts`). */
  readonly execute: ExecutePlan;
}

const FIRST = ['Ada', 'Ben', 'Clara', 'Dev', 'Elif', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kai', 'Lena'];
const LAST = ['Novak', 'Okafor', 'Petit', 'Quinn', 'Rossi', 'Sato', 'Tamm', 'Unger', 'Varga', 'Weber'];
const TEAMS = [
  { key: 'strategy', name: 'Strategy' },
  { key: 'engineering', name: 'Engineering' },
  { key: 'design', name: 'Design' },
] as const;
const WORDS = ['North', 'Blue', 'Iron', 'Cedar', 'Lumen', 'Harbor', 'Atlas', 'Vela', 'Quartz', 'Orbit'];
const TRADES = ['Logistics', 'Foods', 'Analytics', 'Textiles', 'Energy', 'Clinics', 'Media', 'Robotics'];
const SOURCES = ['website', 'referral', 'event', 'outbound', 'partner'];
const ROLES = [
  { roleId: 'consultant', title: 'Consulting', sell: 150_00, cost: 70_00 },
  { roleId: 'engineer', title: 'Engineering', sell: 120_00, cost: 60_00 },
  { roleId: 'designer', title: 'Design', sell: 110_00, cost: 55_00 },
  { roleId: 'pm', title: 'Project management', sell: 130_00, cost: 65_00 },
] as const;
const CLASS_VALUE: Readonly<Record<OpportunityClass, readonly [number, number]>> = {
  gold: [40_000, 120_000],
  silver: [15_000, 40_000],
  bronze: [4_000, 15_000],
};
const CLASS_PROBABILITY: Readonly<Record<OpportunityClass, number>> = {
  gold: 6000,
  silver: 4000,
  bronze: 2500,
};

/** A working-hours time on the day `ms` falls on (07:00–16:59 UTC), at a whole minute. */
function workingTime(rng: Prng, ms: number): number {
  const day = Math.floor(ms / DAY) * DAY;
  return day + 7 * HOUR + rng.int(0, 10 * 60 - 1) * MINUTE;
}

/** `days` later (a random working time that day), never before `after` + 1 minute. */
function later(rng: Prng, after: number, minDays: number, maxDays: number): number {
  const t = workingTime(rng, after + rng.int(minDays, maxDays) * DAY);
  return t > after ? t : after + MINUTE;
}

function shuffle<T>(rng: Prng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function quoteLines(rng: Prng, cls: OpportunityClass): QuoteLinePlan[] {
  const count = cls === 'gold' ? rng.int(3, 4) : cls === 'silver' ? rng.int(2, 3) : rng.int(1, 2);
  const hoursBase = cls === 'gold' ? 120 : cls === 'silver' ? 60 : 24;
  const picked = shuffle(rng, ROLES).slice(0, count);
  return picked.map((r) => ({
    title: r.title,
    roleId: r.roleId,
    minutes: rng.int(hoursBase / 2, hoursBase * 2) * 60,
    sellRateMinor: r.sell,
    costRateMinor: r.cost,
  }));
}

/** A revision: the customer negotiated 10% off every rate (whole cents, rates stay integers). */
function discounted(lines: readonly QuoteLinePlan[]): QuoteLinePlan[] {
  return lines.map((l) => ({ ...l, sellRateMinor: Math.round((l.sellRateMinor * 9) / 10) }));
}

/** The lead's story: every step it would take; steps that fall after the quarter are dropped. */
function story(rng: Prng, createdAt: number): StoryStep[] {
  const steps: StoryStep[] = [];
  if (rng.chance(0.12)) return steps; // still waiting for someone to look at it
  let t = later(rng, createdAt, 0, 3);
  steps.push({ kind: 'qualification_started', at: t });
  t = later(rng, t, 1, 6);
  if (rng.chance(0.3)) {
    steps.push({
      kind: 'disqualified',
      at: t,
      reason: rng.pick(['no budget', 'not our field', 'timing', 'no decision maker']),
    });
    return steps;
  }
  const cls = rng.weighted<OpportunityClass>({ gold: 2, silver: 4, bronze: 4 });
  steps.push({ kind: 'qualified', at: t, opportunityClass: cls });
  t = later(rng, t, 0, 2);
  const [lo, hi] = CLASS_VALUE[cls];
  steps.push({
    kind: 'opportunity_created',
    at: t,
    probabilityBp: CLASS_PROBABILITY[cls],
    estimatedValueMinor: rng.int(lo, hi) * 100,
  });
  if (rng.chance(0.15)) return steps; // an open opportunity without a quote yet
  const lines = quoteLines(rng, cls);
  t = later(rng, t, 1, 8);
  steps.push({ kind: 'quote_created', at: t, lines });
  t = later(rng, t, 0, 3);
  steps.push({ kind: 'quote_sent', at: t });
  if (rng.chance(0.3)) {
    t = later(rng, t, 2, 7);
    steps.push({ kind: 'quote_revised', at: t, lines: discounted(lines) });
  }
  const outcome = rng.weighted({ accepted: 5, rejected: 3, pending: 2 });
  if (outcome === 'pending') return steps;
  t = later(rng, t, 2, 14);
  if (outcome === 'rejected') {
    const reason = rng.pick(['price', 'went with a competitor', 'project cancelled']);
    steps.push({ kind: 'quote_rejected', at: t, reason });
    steps.push({ kind: 'opportunity_lost', at: later(rng, t, 0, 1), reason });
  } else {
    steps.push({ kind: 'quote_accepted', at: t, concurrent: false });
  }
  return steps;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * The whole quarter for a seed and a size (`size` multiplies employees, companies and leads).
 *
 * @example
 * ```ts
 * const scenario = generateScenario({ seed: DEFAULT_SEED, size: 1 });
 * scenario.leads.length; // 150
 * ```
 */
export function generateScenario(options: { readonly seed: number; readonly size: number }): Scenario {
  const { seed, size } = options;
  // Fractional sizes shrink the company (the e2e test runs at 0.2); every count stays at least 1.
  const scale = (n: number): number => Math.max(1, Math.round(n * size));
  const root = createPrng(seed);
  const people = root.fork();
  const csv = root.fork();
  const pipeline = root.fork();
  const execution = root.fork();

  const employees: EmployeePlan[] = [];
  const used = new Set<string>();
  const employee = (teamKey: string | null, role: EmployeePlan['role']): EmployeePlan => {
    const n = employees.length;
    const firstName = people.pick(FIRST);
    const lastName = people.pick(LAST);
    let email = `${firstName}.${lastName}@agency.example`.toLowerCase();
    if (used.has(email)) email = `${firstName}.${lastName}.${n}@agency.example`.toLowerCase();
    used.add(email);
    const e: EmployeePlan = {
      key: `e${pad(n, 4)}`,
      firstName,
      lastName,
      email,
      teamKey,
      role,
      hireDate: `20${people.int(18, 25)}-${pad(people.int(1, 12), 2)}-01`,
    };
    employees.push(e);
    return e;
  };
  employee(null, 'member'); // the director: an org role, sees everything
  const teams: TeamPlan[] = TEAMS.map((t) => {
    const lead = employee(t.key, 'lead');
    for (let i = 0; i < scale(3); i++) employee(t.key, 'member');
    return { key: t.key, name: t.name, managerKey: lead.key };
  });
  const designMember = employees.find((e) => e.teamKey === 'design' && e.role === 'member')!;
  const orgChange: OrgChangePlan = {
    at: Date.UTC(2026, 7, 17, 6, 0),
    employeeKey: designMember.key,
    fromTeamKey: 'design',
    toTeamKey: 'strategy',
  };

  const goodCount = scale(60);
  const companyRows: CompanyRowPlan[] = [];
  for (let i = 0; i < goodCount; i++) {
    const word = csv.pick(WORDS);
    const trade = csv.pick(TRADES);
    const externalId = `ap-${pad(i + 1, 6)}`;
    companyRows.push({
      line: [
        `${word} ${trade} ${i + 1}`,
        `https://www.${word}-${trade}-${i + 1}.example.com/`.toLowerCase(),
        externalId,
        `${pad(csv.int(10, 99), 2)}-${pad(csv.int(0, 9_999_999), 7)}`,
      ].join(','),
      badReason: null,
      externalId,
    });
  }
  // A few bad rows, spread through the file (they must land in the dead letters, nothing else).
  const bad: CompanyRowPlan[] = [
    { line: ',https://nameless.example.com,ap-bad-1,', badReason: 'MISSING_NAME', externalId: null },
    {
      line: 'Broken Site Ltd,http://exa mple .com,ap-bad-2,',
      badReason: 'MALFORMED_WEBSITE',
      externalId: null,
    },
    {
      line: 'Extra Columns AG,extra.example.com,ap-bad-3,11-1111111,surplus',
      badReason: 'UNPARSEABLE_LINE',
      externalId: null,
    },
  ];
  for (let k = 0; k < scale(1); k++) {
    const dup = companyRows[k]!;
    bad.push({ line: dup.line, badReason: 'DUPLICATE_IN_FILE', externalId: null });
  }
  for (const row of bad) {
    companyRows.splice(csv.int(Math.floor(goodCount / 10), companyRows.length), 0, row);
  }
  // Duplicates must come after their original: move each one behind it when the splice put it earlier.
  const rows = companyRows.filter((r) => r.badReason !== 'DUPLICATE_IN_FILE');
  for (const row of companyRows.filter((r) => r.badReason === 'DUPLICATE_IN_FILE')) {
    const original = rows.findIndex((r) => r.line === row.line && r.badReason === null);
    rows.splice(csv.int(original + 1, rows.length), 0, row);
  }

  const sellers = employees.filter((e) => e.teamKey !== null);
  const leads: LeadStory[] = [];
  const leadCount = scale(150);
  const span = QUARTER.end - QUARTER.start;
  for (let i = 0; i < leadCount; i++) {
    const rng = pipeline.fork();
    const createdAt = workingTime(rng, QUARTER.start + Math.floor(rng.next() * span * 0.85));
    const steps = story(rng, createdAt).filter((s) => s.at < QUARTER.end);
    // A quote accepted after the quarter: keep the steps before it, so every story ends consistently.
    const cut = cutAtFirstMissing(steps);
    leads.push({
      index: i,
      createdAt,
      ownerKey: rng.pick(sellers).key,
      companyIndex: rng.int(0, goodCount - 1),
      source: rng.pick(SOURCES),
      subject: `${rng.pick(['Audit', 'Platform', 'Rebrand', 'Migration', 'Training'])} #${i + 1}`,
      steps: cut,
    });
  }
  // One deal is accepted by two clients at once: exactly one acceptance wins.
  const double = leads.find((l) => l.steps.at(-1)?.kind === 'quote_accepted');
  if (double !== undefined) {
    const steps = [...double.steps];
    const last = steps.pop() as Extract<StoryStep, { kind: 'quote_accepted' }>;
    leads[double.index] = { ...double, steps: [...steps, { ...last, concurrent: true }] };
  }

  const execute = planExecution({
    rng: execution,
    quarter: QUARTER,
    employees,
    orgChange,
    leads,
    companyCount: goodCount,
    scale,
  });

  return {
    seed,
    size,
    teams,
    employees,
    orgChange,
    csvHeader: 'name,website,external_id,ein',
    companyRows: rows,
    leads,
    execute,
  };
}

/** A rejection without its lost opportunity (cut by the quarter's end) drops the rejection too. */
function cutAtFirstMissing(steps: StoryStep[]): StoryStep[] {
  const last = steps.at(-1);
  if (last?.kind === 'quote_rejected') return steps.slice(0, -1);
  return steps;
}

/** The CSV file's text. */
export function companyCsv(scenario: Scenario): string {
  return `${[scenario.csvHeader, ...scenario.companyRows.map((r) => r.line)].join('\n')}\n`;
}

/** Time helpers shared with the test. */
export const TIME = { MINUTE, HOUR, DAY } as const;
