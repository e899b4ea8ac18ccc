import type { TeamId } from '../ids.js';

/**
 * The ancestors of a team, nearest first (parent, grandparent, …, root), following `parentOf`. Stops at
 * a root (`null`), at an unknown team (`undefined`) and — defensively — where a team would repeat, so it
 * terminates on any input. Loaders use it to build the `ancestorIds` fact of the new parent.
 *
 * @example
 * ```ts
 * const parents = new Map([[b, a], [c, b]]);
 * ancestorChain((id) => parents.get(id) ?? null, c); // [b, a]
 * ```
 */
export function ancestorChain(
  parentOf: (teamId: TeamId) => TeamId | null | undefined,
  teamId: TeamId,
): TeamId[] {
  const chain: TeamId[] = [];
  const seen = new Set<TeamId>([teamId]);
  let current = parentOf(teamId);
  while (current !== null && current !== undefined && !seen.has(current)) {
    chain.push(current);
    seen.add(current);
    current = parentOf(current);
  }
  return chain;
}
