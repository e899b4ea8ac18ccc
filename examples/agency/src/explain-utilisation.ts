// One team's utilisation explained down to its events: the time-entry events whose minutes make the
// logged (net) minutes, each with its share, and the capacity parts that make the divisor. Utilisation
// is the example's own figure, not a KPI result: catalogue v2 has none, since capacity (the calendar
// minus approved leave) is a fact the application loads, not an event (`CATALOGUE_V2_MISSING`).
import type { Identity } from '@pet-ops/core';
import type { Agency } from './agency.js';
import type { ExplainedResult } from './kpis.js';
import type { Scenario } from './scenario.js';
import { capacityParts, teamOnDate, type UtilisationRow } from './time.js';

/** A team's utilisation over the quarter with what makes its numerator and its denominator. */
export interface ExplainedUtilisation {
  readonly team: string;
  readonly period: string;
  /** The numerator: net minutes logged (submitted minutes plus the adjustments' deltas). */
  readonly loggedMinutes: number;
  /** The denominator: effective capacity in minutes. */
  readonly capacityMinutes: number;
  readonly utilisationBp: number | null;
  readonly why: string;
  /** Every time-entry event of the team's entries, with its share of the numerator (denominator 0). */
  readonly events: ExplainedResult['events'];
  /** The divisor's parts, one per member and team (not events), each with its share of the denominator. */
  readonly capacity: readonly {
    readonly employee: string;
    readonly detail: string;
    readonly numerator: number;
    readonly denominator: number;
  }[];
}

interface Entry {
  readonly employeeKey: string;
  readonly workDate: string;
}

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/**
 * Explains one team's utilisation row: re-reads the event log for its `time_entry.submitted` (share: the
 * attested minutes) and `time_entry.adjusted` events (share: the delta; a delta of 0 is context), each
 * entry counted for the team its person was in on its work date, and lists the capacity parts of the
 * divisor. The shares sum to the row's logged minutes and capacity (the e2e test checks it).
 *
 * @example
 * ```ts
 * const x = await explainUtilisation(agency, scenario, org.employeeIds, 'design', row);
 * ```
 */
export async function explainUtilisation(
  agency: Agency,
  scenario: Scenario,
  employeeIds: ReadonlyMap<string, Identity.EmployeeId>,
  teamKey: string,
  row: UtilisationRow,
): Promise<ExplainedUtilisation> {
  const keyOf = new Map([...employeeIds].map(([key, id]) => [id as string, key]));
  const nameOf = new Map(scenario.employees.map((e) => [e.key, `${e.firstName} ${e.lastName}`]));
  const teamOn = teamOnDate(scenario);
  const entries = new Map<string, Entry>();
  const events: ExplainedResult['events'][number][] = [];
  for await (const e of agency.events.readAll({ after: 0n })) {
    if (e.type !== 'time_entry.submitted' && e.type !== 'time_entry.adjusted') continue;
    const p = e.payload as Record<string, unknown>;
    const entryId = String(p['timeEntryId']);
    if (e.type === 'time_entry.submitted') {
      const employeeKey = keyOf.get(String(p['employeeId']));
      if (employeeKey === undefined) continue;
      const entry = { employeeKey, workDate: String(p['workDate']) };
      entries.set(entryId, entry);
      if (teamOn(entry.employeeKey, entry.workDate) !== teamKey) continue;
      const minutes = Number(p['minutes']);
      events.push({
        position: String(e.position),
        role: 'numerator',
        type: e.type,
        occurredAt: e.occurredAt,
        detail: `${nameOf.get(employeeKey)}, work date ${entry.workDate}: ${minutes} min (${minutes} / 0)`,
        numerator: minutes,
        denominator: 0,
      });
      continue;
    }
    // An adjustment corrects an attested entry: it counts where that entry counts.
    const entry = entries.get(entryId);
    if (entry === undefined || teamOn(entry.employeeKey, entry.workDate) !== teamKey) continue;
    const delta = Number(p['deltaMinutes']);
    const what = `${nameOf.get(entry.employeeKey)}'s ${entry.workDate} entry: ${String(p['adjustmentType']).replace('_', ' ')} — “${String(p['reason'])}”`;
    events.push(
      delta === 0
        ? {
            position: String(e.position),
            role: 'context',
            type: e.type,
            occurredAt: e.occurredAt,
            detail: `${what}; net minutes unchanged`,
          }
        : {
            position: String(e.position),
            role: 'numerator',
            type: e.type,
            occurredAt: e.occurredAt,
            detail: `${what}: ${signed(delta)} min (${signed(delta)} / 0)`,
            numerator: delta,
            denominator: 0,
          },
    );
  }
  const capacity = capacityParts(scenario)
    .filter((p) => p.teamKey === teamKey)
    .map((p) => ({
      employee: nameOf.get(p.employeeKey) ?? p.employeeKey,
      detail: `${p.from} … ${p.to}: ${p.days} working day(s)${p.leaveDays === 0 ? '' : `, ${p.leaveDays} day(s) of approved leave`} → ${p.minutes} min (0 / ${p.minutes})`,
      numerator: 0,
      denominator: p.minutes,
    }));
  const bp = row.utilisationBp;
  return {
    team: row.team,
    period: 'Q3 2026',
    loggedMinutes: row.loggedMinutes,
    capacityMinutes: row.capacityMinutes,
    utilisationBp: bp,
    why: `${row.team}, Q3 2026: ${row.loggedMinutes} ÷ ${row.capacityMinutes} = ${bp ?? '—'} bp — net minutes logged (submitted minutes plus adjustments, each entry counted for the team its person was in on its work date) ÷ effective capacity (Mon–Fri 09:00–17:00 Berlin minus approved leave)`,
    events,
    capacity,
  };
}
