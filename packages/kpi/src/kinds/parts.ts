import type { ContributionPart, ContributionRole, FoldContext } from '../measure-kind.js';

const unobservedParts: (readonly ContributionPart[])[] = [];

/**
 * Stand-ins for `count` parts of an addition nobody observes: the engine then reads only their number
 * (the contributing events), so a fold builds no part objects (nor their `BigInt`s and texts) per event.
 *
 * @example `ctx.add(scopes, ctx.periodStart, delta, ctx.observing ? [part] : unobserved(1))`
 */
export function unobserved(count: number): readonly ContributionPart[] {
  let parts = unobservedParts[count];
  if (parts === undefined) {
    parts = Object.freeze(
      Array.from({ length: count }, (): ContributionPart => ({ position: 0n, eventId: '', role: 'context' })),
    );
    unobservedParts[count] = parts;
  }
  return parts;
}

/**
 * The event being folded as the one part of an addition, with its shares (0: not reported), or a
 * stand-in when nobody observes. A function, not a closure per event: folds run for every event.
 *
 * @example `ctx.add(scopes, ctx.periodStart, { numerator: m }, selfPart(ctx, 'numerator', m, 0))`
 */
export function selfPart(
  ctx: FoldContext,
  role: ContributionRole,
  numerator: number,
  denominator: number,
): readonly ContributionPart[] {
  if (!ctx.observing) return unobserved(1);
  return [
    {
      position: ctx.event.position,
      eventId: ctx.event.eventId,
      role,
      ...(numerator === 0 ? {} : { numerator }),
      ...(denominator === 0 ? {} : { denominator }),
    },
  ];
}
