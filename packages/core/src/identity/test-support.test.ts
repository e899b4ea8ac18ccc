/**
 * Helpers shared by the identity tests (not a test file itself: the `.test.ts` suffix only keeps it out
 * of builds and the published package).
 */
import { fc } from '@fast-check/vitest';
import type { Decider, Instant, Rejection } from '../kernel/index.js';
import type { EmployeeId, OrgStructureVersionId, TeamId, TeamMembershipId } from './ids.js';

/** A readable UUIDv7 whose last digits are `n`. */
export const uuid = (n: number): string => `019b76da-a800-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const emp = (n: number): EmployeeId => uuid(n) as EmployeeId;
export const team = (n: number): TeamId => uuid(0x100000 + n) as TeamId;
export const membership = (n: number): TeamMembershipId => uuid(0x200000 + n) as TeamMembershipId;
export const orgVersion = (n: number): OrgStructureVersionId => uuid(0x300000 + n) as OrgStructureVersionId;

/** `2026-01-01T00:00:00.000000Z` plus `minutes`. */
export const at = (minutes: number): Instant =>
  new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toISOString().replace('Z', '000Z') as Instant;

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

/**
 * A tiny in-memory "repository" for property tests: aggregates by id, each with its event history, so
 * a test can decide commands with facts computed from the other aggregates and check that the state
 * always equals the replay of its events.
 */
export function model<S, C, E, F, R extends Rejection>(decider: Decider<S, C, E, F, R>) {
  const streams = new Map<string, { state: S; events: E[] }>();
  return {
    state: (id: string): S => streams.get(id)?.state ?? decider.initialState(),
    events: (id: string): readonly E[] => streams.get(id)?.events ?? [],
    ids: (): string[] => [...streams.keys()],
    all: (): [string, S][] => [...streams].map(([id, s]) => [id, s.state]),
    run(id: string, command: C, facts: F): { ok: true; events: readonly E[] } | { ok: false; error: R } {
      const current = streams.get(id) ?? { state: decider.initialState(), events: [] };
      const r = decider.decide(command, current.state, facts);
      if (!r.ok) return { ok: false, error: r.error };
      const state = r.value.reduce(decider.evolve, current.state);
      streams.set(id, { state, events: [...current.events, ...r.value] });
      return { ok: true, events: r.value };
    },
    replayMatches(id: string): boolean {
      const s = streams.get(id);
      if (s === undefined) return true;
      return (
        JSON.stringify(s.events.reduce(decider.evolve, decider.initialState())) === JSON.stringify(s.state)
      );
    },
  };
}

/** Small index arbitrary (picks among `n` entities). */
export const pick = (n: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: n - 1 });
