import type { ContributionPart } from '../measure-kind.js';

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
