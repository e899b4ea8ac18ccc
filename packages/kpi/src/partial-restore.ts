/**
 * Restoring only what a fold of given events reads (`KpiEngine.catchUpJson`): the stored cells of the
 * scope rows they touch and the stored entities they look up. A catch-up of a thousand events after a
 * million then holds a few thousand tuples instead of the whole state, so its memory does not grow with
 * history. Which rows and keys those are is learnt by folding: a pass restores what the sets name, folds
 * the events, and whatever the fold asked beyond the sets joins them for the next pass; a pass that asks
 * nothing new is exact (every number it read was restored), and its state is the result.
 */
import { PetError } from '@pet-ops/core';
import type { EntityTable } from './entity-table.js';
import type { PlugEntities } from './plug-entities.js';
import type { MutableState, PartialRestore, Row } from './state.js';

/** Empty sets for a state's namespaces and entity sets; plug-in groups sharing one map share one set. */
export function partialRestore(st: MutableState, namespaces: number): PartialRestore {
  const shared = new Map<PlugEntities, Set<string>>();
  const keys = st.entities.map((_, gi) => {
    const all = st.plug[gi]?.all;
    if (all === undefined) return new Set<string>();
    let set = shared.get(all);
    if (set === undefined) {
      set = new Set();
      shared.set(all, set);
    }
    return set;
  });
  // Trackers have plug-in views after the measure groups (no entity table of their own).
  for (let gi = st.entities.length; gi < st.plug.length; gi++) {
    const all = (st.plug[gi] as NonNullable<MutableState['plug'][number]>).all;
    let set = shared.get(all);
    if (set === undefined) {
      set = new Set();
      shared.set(all, set);
    }
    keys.push(set);
  }
  return {
    rows: Array.from({ length: namespaces }, () => new Set<string>()),
    keys,
    missed: false,
    sealed: false,
  };
}

const beyond = (what: string): PetError =>
  new PetError(
    'VALIDATION_FAILED',
    `a KPI state restored for given events was asked for a ${what} they do not read: fold only those events into it, or restore the whole state`,
    { details: { rule: 'catchUpJson state folds only its events' } },
  );

/** A fold touched `row`: a row not restored joins the sets (or, once sealed, the fold is refused). */
export function wantRow(p: PartialRestore, row: Row): void {
  const ids = p.rows[row.ns] as Set<string>;
  if (ids.has(row.id)) return;
  if (p.sealed) throw beyond('scope row');
  ids.add(row.id);
  p.missed = true;
}

/** Has the state's entity tables and plug-in maps tell `p` every key their fold looks up. */
export function watchKeys(st: MutableState, p: PartialRestore): void {
  const watcher = (keys: Set<string>) => (key: string) => {
    if (keys.has(key)) return;
    if (p.sealed) throw beyond('entity');
    keys.add(key);
    p.missed = true;
  };
  st.entities.forEach((table: EntityTable, gi) => {
    if (st.plug[gi] == null) table.watch = watcher(p.keys[gi] as Set<string>);
  });
  st.plug.forEach((view, gi) => {
    if (view !== null && view !== undefined) view.all.watch = watcher(p.keys[gi] as Set<string>);
  });
}

/**
 * The first two JSON strings of a tuple's line (`["a","b",…`), or `null` when either holds an escape
 * (the caller then parses the line): which tuple a line is, without parsing the ones a partial restore
 * leaves out.
 */
export function leadingStrings(line: string): readonly [string, string] | null {
  if (line.charCodeAt(0) !== 0x5b || line.charCodeAt(1) !== 0x22) return null;
  const end1 = line.indexOf('"', 2);
  if (end1 < 0 || line.charCodeAt(end1 + 1) !== 0x2c || line.charCodeAt(end1 + 2) !== 0x22) return null;
  const end2 = line.indexOf('"', end1 + 3);
  if (end2 < 0) return null;
  const first = line.slice(2, end1);
  const second = line.slice(end1 + 3, end2);
  if (first.includes('\\') || second.includes('\\')) return null;
  return [first, second];
}
