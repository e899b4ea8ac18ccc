import { z } from 'zod';
import { divideRounded, type Money, moneySchema, subtractMoney, sumMoney } from '../../kernel/index.js';

/** One sold task of the WBS snapshot: one quote labour line, its duration copied exactly. */
export interface WbsTask {
  /** The quote line it comes from. */
  readonly sourceLineId: string;
  readonly name: string;
  /** Sold minutes (line minutes × quantity). */
  readonly minutes: number;
  readonly roleId: string | null;
  /** Sell value of the line (frozen rate × minutes). */
  readonly sell: Money;
  /** Internal cost snapshot of the line (frozen cost rate × minutes). */
  readonly cost: Money;
}

/** One sold milestone of the WBS snapshot, with its tasks in quote order. */
export interface WbsMilestone {
  /** Stable key of the quote milestone (`sequence:name`, or the group id for lines without one). */
  readonly ref: string;
  readonly name: string;
  readonly sequence: number;
  readonly tasks: readonly WbsTask[];
}

/** Totals of a WBS snapshot, all derived (never typed twice). */
export interface WbsTotals {
  readonly minutes: number;
  readonly sell: Money;
  readonly cost: Money;
  /** sell − cost. */
  readonly margin: Money;
}

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * Zod schema of a WBS snapshot (milestone → task).
 *
 * @example `wbsSchema.parse([{ ref: '1:Build', name: 'Build', sequence: 1, tasks: [] }])`
 */
export const wbsSchema: z.ZodType<readonly WbsMilestone[]> = z
  .array(
    z.object({
      ref: text(300),
      name: text(255),
      sequence: z.number().int().min(1).max(100_000),
      tasks: z.array(
        z.object({
          sourceLineId: text(64),
          name: text(1000),
          minutes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
          roleId: z.string().min(1).max(64).nullable(),
          sell: moneySchema,
          cost: moneySchema,
        }),
      ),
    }),
  )
  .refine((ms) => new Set(ms.map((m) => m.ref)).size === ms.length, 'milestone refs must be unique')
  .refine((ms) => {
    const lines = ms.flatMap((m) => m.tasks.map((t) => t.sourceLineId));
    return new Set(lines).size === lines.length;
  }, 'each quote line appears once');

/**
 * Σ minutes, sell and cost over a WBS snapshot, and the margin. Throws a `ValidationError` on a foreign
 * currency (the command schema keeps that from happening).
 *
 * @example `wbsTotals(wbs, 'EUR')` → `{ minutes: 6000, sell, cost, margin }`
 */
export function wbsTotals(wbs: readonly WbsMilestone[], currency: string): WbsTotals {
  const tasks = wbs.flatMap((m) => m.tasks);
  const sell = sumMoney(
    tasks.map((t) => t.sell),
    currency,
  );
  const cost = sumMoney(
    tasks.map((t) => t.cost),
    currency,
  );
  return {
    minutes: tasks.reduce((n, t) => n + t.minutes, 0),
    sell,
    cost,
    margin: subtractMoney(sell, cost),
  };
}

/**
 * The currencies a WBS snapshot uses that are not `currency` (empty when consistent).
 *
 * @example `foreignCurrencies(wbs, 'EUR')` → `[]`
 */
export function foreignCurrencies(wbs: readonly WbsMilestone[], currency: string): string[] {
  const out = new Set<string>();
  for (const m of wbs)
    for (const t of m.tasks)
      for (const c of [t.sell.currency, t.cost.currency]) if (c !== currency) out.add(c);
  return [...out].sort();
}

/**
 * Σ sold minutes per role over a WBS snapshot (tasks without a role under `''`).
 *
 * @example `wbsMinutesByRole(wbs)` → `{ '<roleId>': 6000 }`
 */
export function wbsMinutesByRole(wbs: readonly WbsMilestone[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of wbs) for (const t of m.tasks) out[t.roleId ?? ''] = (out[t.roleId ?? ''] ?? 0) + t.minutes;
  return out;
}

/**
 * Forecast minutes per role when a quote is approved: the WBS minutes of each role × the opportunity's
 * probability in basis points (scenario 10: 60 % = 6000 bp), rounded half-even to whole minutes per role.
 *
 * @example `forecastMinutesByRole(wbs, 6000)` → `{ '<roleId>': 3600 }` for 6000 sold minutes
 */
export function forecastMinutesByRole(
  wbs: readonly WbsMilestone[],
  probabilityBp: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [role, minutes] of Object.entries(wbsMinutesByRole(wbs)))
    out[role] = Number(divideRounded(BigInt(minutes) * BigInt(probabilityBp), 10_000n));
  return out;
}
