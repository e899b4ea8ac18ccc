import { z } from 'zod';
import { type CalendarId, calendarIdSchema } from '../../calendar/index.js';

/** What an escalation rule does when its threshold is crossed. */
export type EscalationAction = 'notify_manager' | 'notify_escalation_manager' | 'reassign_to_escalation_team';
/** How an escalation notifies. */
export type NotifyMethod = 'email' | 'sms' | 'internal';
/** Service tier of an SLA. */
export type SlaTier = 'bronze' | 'silver' | 'gold' | 'custom';

/**
 * One escalation rule. Enabled rules sorted by threshold are the escalation stages 1, 2, …: stage k fires
 * once when the resolution clock reaches the k-th threshold (in basis points of the resolution target).
 */
export interface EscalationRule {
  /** 100..10 000 bp (1–100 %) of the resolution target. */
  readonly thresholdBp: number;
  readonly action: EscalationAction;
  readonly notifyMethod: NotifyMethod;
  /** The role to notify or hand over to (identity's roles), when the action needs one. */
  readonly escalationRoleId: string | null;
  readonly enabled: boolean;
}

/** Everything a draft SLA version defines; frozen once published. */
export interface SlaTerms {
  readonly name: string;
  readonly tier: SlaTier;
  /** Business minutes to the first response; > 0 and ≤ the resolution target. */
  readonly responseTargetMinutes: number;
  /** Business minutes to resolution; > 0. */
  readonly resolutionTargetMinutes: number;
  /** Warning threshold in basis points of each target, 100..9 999 (e.g. 8000 = 80 %). */
  readonly warningThresholdBp: number;
  /** The business calendar the clocks run in; required to publish. */
  readonly calendarId: CalendarId | null;
  readonly escalationRules: readonly EscalationRule[];
}

const escalationRuleSchema = z
  .object({
    thresholdBp: z.number().int('must be whole basis points'),
    action: z.enum(['notify_manager', 'notify_escalation_manager', 'reassign_to_escalation_team']),
    notifyMethod: z.enum(['email', 'sms', 'internal']),
    escalationRoleId: z.string().trim().min(1).max(64).nullable().default(null),
    enabled: z.boolean().default(true),
  })
  .strict();

/**
 * Zod schema of {@link SlaTerms} (types and shapes; the rules on targets and thresholds are decided, so
 * a refusal carries the numbers).
 *
 * @example
 * ```ts
 * const terms = slaTermsSchema.parse({ name: 'Gold', tier: 'gold', responseTargetMinutes: 60,
 *   resolutionTargetMinutes: 480, warningThresholdBp: 8000, calendarId, escalationRules: [] });
 * ```
 */
export const slaTermsSchema: z.ZodType<SlaTerms> = z
  .object({
    name: z.string().trim().min(1, 'is required').max(255),
    tier: z.enum(['bronze', 'silver', 'gold', 'custom']),
    responseTargetMinutes: z.number().int('must be whole minutes'),
    resolutionTargetMinutes: z.number().int('must be whole minutes'),
    warningThresholdBp: z.number().int('must be whole basis points'),
    calendarId: calendarIdSchema.nullable(),
    escalationRules: z.array(escalationRuleSchema).max(20),
  })
  .strict();

/** The enabled rules in stage order (stage = index + 1). @example `escalationStages(terms.escalationRules)[0]?.thresholdBp` */
export function escalationStages(rules: readonly EscalationRule[]): readonly EscalationRule[] {
  return rules.filter((r) => r.enabled).sort((a, b) => a.thresholdBp - b.thresholdBp);
}

/** Where an SLA is being attached: a quote being priced, a contract's binding, a customer default, an explicit choice. */
export type SlaAttachment = 'quote' | 'contract' | 'customer' | 'explicit';

/**
 * Whether an SLA version may be attached: only a published version ≥ 1 (PET's version 0 never binds);
 * a deprecated version only through the contract that bought it — never to a new quote (scenario 36) —
 * and never a draft or an archived one.
 *
 * @example
 * ```ts
 * canAttachSla('deprecated', 3, 'quote'); // false
 * canAttachSla('deprecated', 3, 'contract'); // true: the contract keeps its SLA (scenario 37)
 * ```
 */
export function canAttachSla(
  status: 'draft' | 'published' | 'deprecated' | 'archived',
  versionNumber: number,
  attachment: SlaAttachment,
): boolean {
  if (!Number.isInteger(versionNumber) || versionNumber < 1) return false;
  return status === 'published' || (status === 'deprecated' && attachment === 'contract');
}
