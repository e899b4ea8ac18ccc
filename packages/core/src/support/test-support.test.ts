/**
 * Helpers shared by the support tests (not a test file itself: the `.test.ts` suffix only keeps it out of
 * builds and the published package).
 */
import type { BusinessCalendar, CalendarId, LocalDate } from '../calendar/index.js';
import type { EmployeeId, TeamId } from '../identity/ids.js';
import type { Decider, Instant, Rejection } from '../kernel/index.js';
import type {
  ContractId,
  CustomerId,
  ProjectId,
  SiteId,
  SlaAssignmentId,
  SlaDefinitionId,
  TicketId,
} from './ids.js';
import type { SlaTerms } from './sla-definition/terms.js';

/** A readable UUIDv7 whose last digits are `n`. */
export const uuid = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const ticket = (n: number): TicketId => uuid(0x100 + n) as TicketId;
export const slaId = (n: number): SlaDefinitionId => uuid(0x200 + n) as SlaDefinitionId;
export const assignment = (n: number): SlaAssignmentId => uuid(0x300 + n) as SlaAssignmentId;
export const customer = (n: number): CustomerId => uuid(0x400 + n) as CustomerId;
export const site = (n: number): SiteId => uuid(0x500 + n) as SiteId;
export const project = (n: number): ProjectId => uuid(0x600 + n) as ProjectId;
export const contract = (n: number): ContractId => uuid(0x700 + n) as ContractId;
export const employee = (n: number): EmployeeId => uuid(0x800 + n) as EmployeeId;
export const team = (n: number): TeamId => uuid(0x900 + n) as TeamId;
export const calendarId = uuid(0xa00) as CalendarId;

/** An instant from an ISO string without fraction digits, e.g. `iso('2026-03-02T09:00Z')`. */
export const iso = (s: string): Instant => new Date(s).toISOString().replace('Z', '000Z') as Instant;

/** London office hours: Monday–Friday 09:00–17:00 (480 minutes a day). */
export const london: BusinessCalendar = {
  calendarId,
  version: 3,
  timeZone: 'Europe/London',
  windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday: weekday as 1, startMinute: 540, endMinute: 1020 })),
  holidays: ['2026-12-25' as LocalDate],
};

/** Gold: respond in 60, resolve in 480 business minutes; warn at 80 %; escalation stages at 50 % and 100 % (a disabled 75 % rule is no stage). */
export const goldTerms: SlaTerms = {
  name: 'Gold',
  tier: 'gold',
  responseTargetMinutes: 60,
  resolutionTargetMinutes: 480,
  warningThresholdBp: 8_000,
  calendarId,
  escalationRules: [
    {
      thresholdBp: 10_000,
      action: 'notify_escalation_manager',
      notifyMethod: 'email',
      escalationRoleId: null,
      enabled: true,
    },
    {
      thresholdBp: 5_000,
      action: 'notify_manager',
      notifyMethod: 'internal',
      escalationRoleId: null,
      enabled: true,
    },
    {
      thresholdBp: 7_500,
      action: 'notify_manager',
      notifyMethod: 'sms',
      escalationRoleId: null,
      enabled: false,
    },
  ],
};

/**
 * Wraps a decider so that every rejection code it returns is recorded in `seen`, to check that each
 * documented code is exercised by a test file.
 */
export function tracked<S, C, E, F, R extends Rejection>(
  decider: Decider<S, C, E, F, R>,
): { decider: Decider<S, C, E, F, R>; seen: Set<string> } {
  const seen = new Set<string>();
  return {
    seen,
    decider: {
      ...decider,
      decide: (command, state, facts) => {
        const r = decider.decide(command, state, facts);
        if (!r.ok) seen.add(r.error.code);
        return r;
      },
    },
  };
}
