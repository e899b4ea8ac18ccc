/**
 * Compacting a stored checkpoint and its deltas into one checkpoint without restoring the state: the
 * deltas' tuples (what changed, small) are merged into the base's lines as they stream by, in the base's
 * own order. What a catch-up job that restored only what its events read writes when its chain is due
 * for compaction, and the text is the one `checkpointJson` would write for the restored state.
 */
import { ValidationError } from '@pet-ops/core';
import { CELLS_OPEN, CLOSE, checkpointTextLines, ENTITIES_OPEN } from './checkpoints.js';
import type { KpiCheckpoint, KpiCheckpointDelta } from './engine.js';
import { leadingStrings } from './partial-restore.js';

/** What compaction needs of the engine: its identity and the order of its definitions and entity sets. */
export interface CompactionCore {
  readonly format: 4;
  readonly fingerprint: string;
  /** Definition `key@version`s in the engine's order (the order of a checkpoint's cells). */
  readonly ids: readonly string[];
  /** Entity set ids in the engine's order (measure groups, then trackers). */
  readonly entityIds: readonly string[];
}

const PIECE = 1 << 14;

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A tuple's place: its definition (or entity set) index, then its ids in the base's order. */
type Place = readonly [number, string, string];

const comparePlaces = (a: Place, b: Place): number => a[0] - b[0] || byText(a[1], b[1]) || byText(a[2], b[2]);

/**
 * The compactor of an engine: `compactJson(text, deltas)` yields the checkpoint text of the base with
 * its deltas applied, in pieces.
 */
export function createCompaction(core: CompactionCore): {
  compactJson(
    text: Iterable<string> | AsyncIterable<string>,
    deltas: Iterable<KpiCheckpointDelta | string> | AsyncIterable<KpiCheckpointDelta | string>,
  ): AsyncGenerator<string, void, undefined>;
} {
  const defIndex = new Map(core.ids.map((id, i) => [id, i]));
  const setIndex = new Map(core.entityIds.map((id, i) => [id, i]));
  const refuse = (field: string, rule: string): ValidationError =>
    new ValidationError('KPI checkpoint', [{ field, rule }]);

  const cellPlace = (t: readonly unknown[]): Place => {
    const di = defIndex.get(t[0] as string);
    if (di === undefined) throw refuse('cells', `names an unknown definition ${String(t[0])}`);
    return [di, t[1] as string, t[2] as string];
  };
  const entityPlace = (t: readonly unknown[]): Place => {
    const gi = setIndex.get(t[0] as string);
    if (gi === undefined) throw refuse('entities', `names an unknown measure ${String(t[0])}`);
    return [gi, t[1] as string, ''];
  };
  const keyOf = (p: Place): string => `${p[0]}\u0000${p[1]}\u0000${p[2]}`;

  /** A base line's place, from its leading strings when they hold no escape, else by parsing it. */
  const placeOfLine = (line: string, cells: boolean): Place => {
    const lead = leadingStrings(line);
    if (cells) {
      if (lead !== null) {
        // The period is the third string, right after the second: read it as the first two were.
        const open = 7 + lead[0].length + lead[1].length;
        const end = line.charCodeAt(open) === 0x22 ? line.indexOf('"', open + 1) : -1;
        const ps = end < 0 ? null : line.slice(open + 1, end);
        if (ps !== null && !ps.includes('\\')) return cellPlace([lead[0], lead[1], ps]);
      }
      return cellPlace(parseTuple(line));
    }
    return entityPlace(lead ?? parseTuple(line));
  };
  const parseTuple = (line: string): unknown[] => {
    let t: unknown;
    try {
      t = JSON.parse(line);
    } catch {
      throw refuse('checkpoint', 'must be the JSON text of a checkpoint');
    }
    if (!Array.isArray(t)) throw refuse('checkpoint', 'must list its cells and entities as arrays');
    return t;
  };

  async function* compactJson(
    text: Iterable<string> | AsyncIterable<string>,
    deltas: Iterable<KpiCheckpointDelta | string> | AsyncIterable<KpiCheckpointDelta | string>,
  ): AsyncGenerator<string, void, undefined> {
    // The base's head and lines, as they come (the one-line layout of earlier releases is read whole).
    const lines = baseLines(text);
    const first = await lines.next();
    if (first.done === true) throw refuse('checkpoint', 'must be the JSON text of a checkpoint');
    if (typeof first.value === 'string')
      throw refuse('checkpoint', 'must open with its head, then its cells');
    const head = first.value;
    if (head.format !== core.format || head.fingerprint !== core.fingerprint)
      throw refuse(
        'fingerprint',
        'was made with other definitions, time zone, org versions or engine format: rebuild',
      );

    // The deltas composed: the last tuple per place wins; `null` marks an entity removed.
    const cells = new Map<string, { place: Place; json: string }>();
    const entities = new Map<string, { place: Place; json: string | null }>();
    let last: Omit<KpiCheckpoint, 'cells' | 'entities'> = head;
    for await (const given of deltas) {
      let delta: KpiCheckpointDelta;
      try {
        delta = typeof given === 'string' ? (JSON.parse(given) as KpiCheckpointDelta) : given;
      } catch {
        throw refuse('deltas', 'a delta must be the JSON text of a checkpoint delta');
      }
      if (delta.format !== core.format || delta.fingerprint !== core.fingerprint)
        throw refuse(
          'deltas',
          'a delta was made with other definitions, time zone, org versions or engine format',
        );
      if (delta.from !== last.watermark)
        throw refuse('deltas', `must chain: delta from ${delta.from} follows watermark ${last.watermark}`);
      for (const [gid, key] of delta.removed) {
        const place = entityPlace([gid, key]);
        entities.set(keyOf(place), { place, json: null });
      }
      for (const t of delta.cells) {
        const place = cellPlace(t);
        cells.set(keyOf(place), { place, json: JSON.stringify(t) });
      }
      for (const t of delta.entities) {
        const place = entityPlace(t);
        entities.set(keyOf(place), { place, json: JSON.stringify(t) });
      }
      last = delta;
    }

    let piece = `${JSON.stringify({
      format: core.format,
      fingerprint: core.fingerprint,
      watermark: last.watermark,
      maxOccurredAt: last.maxOccurredAt,
      applied: last.applied,
    }).slice(0, -1)}${CELLS_OPEN}`;
    let firstInSection = true;
    const out = (json: string): string | null => {
      piece += firstInSection ? `\n${json}` : `,\n${json}`;
      firstInSection = false;
      if (piece.length < PIECE) return null;
      const full = piece;
      piece = '';
      return full;
    };
    for (const [section, changed] of [
      [0, cells],
      [1, entities],
    ] as const) {
      // Every changed place in order: replacements are merged where the base has the place, the rest
      // (new places, or removals of places the base lacks) wait for the first base place after them.
      const pending = [...(changed as Map<string, { place: Place; json: string | null }>).values()].sort(
        (a, b) => comparePlaces(a.place, b.place),
      );
      let at = 0;
      /** The changed tuples before `place` (all that are left, for `null`) that the base has no line for. */
      const flush = function* (place: Place | null): Generator<string> {
        while (at < pending.length) {
          const next = pending[at] as { place: Place; json: string | null };
          const c = place === null ? -1 : comparePlaces(next.place, place);
          if (c > 0) break;
          at++;
          // At the base line's own place: merged by the caller (replaced, or dropped when removed).
          if (c === 0 || next.json === null) continue;
          const full = out(next.json);
          if (full !== null) yield full;
        }
      };
      for (;;) {
        const next = await lines.next();
        if (next.done === true) throw refuse('checkpoint', 'must end with its entities closed');
        const line = next.value;
        if (typeof line !== 'string') throw refuse('checkpoint', 'must be the JSON text of a checkpoint');
        if (line === (section === 0 ? ENTITIES_OPEN : CLOSE)) break;
        const json = line.endsWith(',') ? line.slice(0, -1) : line;
        const place = placeOfLine(json, section === 0);
        yield* flush(place);
        const replaced = changed.get(keyOf(place));
        const emit = replaced === undefined ? json : replaced.json;
        if (emit !== null) {
          const full = out(emit);
          if (full !== null) yield full;
        }
      }
      yield* flush(null);
      piece += section === 0 ? `\n${ENTITIES_OPEN}` : `\n${CLOSE}`;
      firstInSection = true;
    }
    if (piece.length > 0) yield piece;
  }

  /** The head (parsed), then each tuple line and the section markers of a checkpoint's text. */
  async function* baseLines(
    text: Iterable<string> | AsyncIterable<string>,
  ): AsyncGenerator<Omit<KpiCheckpoint, 'cells' | 'entities'> | string, void, undefined> {
    let headSeen = false;
    for await (const lines of checkpointTextLines(text)) {
      if (!Array.isArray(lines)) {
        // The one-line layout: its tuples as lines.
        let cp: KpiCheckpoint;
        try {
          cp = JSON.parse(lines.whole) as KpiCheckpoint;
        } catch {
          throw refuse('checkpoint', 'must be the JSON text of a checkpoint');
        }
        if (typeof cp !== 'object' || cp === null || !Array.isArray(cp.cells) || !Array.isArray(cp.entities))
          throw refuse('checkpoint', 'must be the JSON text of a checkpoint');
        const { cells, entities, ...head } = cp;
        yield head;
        for (const t of cells) yield JSON.stringify(t);
        yield ENTITIES_OPEN;
        for (const t of entities) yield JSON.stringify(t);
        yield CLOSE;
        return;
      }
      for (const line of lines) {
        if (headSeen) yield line;
        else {
          if (!line.endsWith(CELLS_OPEN))
            throw refuse('checkpoint', 'must open with its head, then its cells');
          headSeen = true;
          yield parseHead(`${line.slice(0, -CELLS_OPEN.length)}}`);
        }
      }
    }
  }

  const parseHead = (json: string): Omit<KpiCheckpoint, 'cells' | 'entities'> => {
    try {
      return JSON.parse(json) as Omit<KpiCheckpoint, 'cells' | 'entities'>;
    } catch {
      throw refuse('checkpoint', 'must be the JSON text of a checkpoint');
    }
  };

  return { compactJson };
}
