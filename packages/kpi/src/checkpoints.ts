/**
 * Persisting the fold's state: checkpoints (all cells and open entities as JSON-safe tuples, or as JSON
 * text in pieces), deltas since the last checkpoint (the change journal), and restoring a state from a
 * checkpoint and its deltas. Not on the per-event path.
 */
import { ValidationError } from '@pet-ops/core';
import type { KpiCheckpoint, KpiCheckpointDelta, KpiState } from './engine.js';
import type { EntityTable } from './entity-table.js';
import { leadingStrings } from './partial-restore.js';
import {
  C,
  type Cell,
  CHUNK_MASK,
  D,
  FIELDS,
  K,
  type MutableState,
  N,
  OV,
  type PartialRestore,
  type Row,
  S,
  type ScopeRows,
  W,
} from './state.js';
import { epochMs, numberText } from './time.js';

/** What checkpoints need of the engine. */
export interface CheckpointCore {
  readonly format: 4;
  readonly fingerprint: string;
  readonly ids: readonly string[];
  readonly groups: readonly (readonly number[])[];
  readonly groupIds: readonly string[];
  /** Checkpoint ids of the kinds' entity trackers, whose entities follow the groups' in a state. */
  readonly trackerIds: readonly string[];
  readonly nsOf: readonly number[];
  readonly slotOf: readonly number[];
  readonly nsScope: readonly unknown[];
  readonly periodNames: readonly string[];
  sortedRows(st: MutableState, di: number, after?: bigint): Row[];
  periodsOf(st: MutableState, row: Row, slot: number, after?: number): [string, Cell][];
  byText(a: string, b: string): number;
  fresh(): MutableState;
  rowOf(st: MutableState, ns: number, id: string): Row;
  allocBlock(st: MutableState, ns: number): number;
  chunkOf(st: MutableState, o: number): Float64Array;
  setScopes(st: MutableState, table: EntityTable, ent: number, sc: ScopeRows): void;
  scopeRows(st: MutableState, table: EntityTable, ent: number, i: number): readonly Row[];
  periodNumber(ps: string): number;
}

/** The engine's checkpoint writer and reader over a {@link CheckpointCore}. */
/** The checkpoint operations of an engine: whole state, streamed JSON, deltas and restore. */
export interface Checkpoints {
  readonly checkpoint: (state: KpiState) => KpiCheckpoint;
  readonly checkpointJson: (state: KpiState) => Generator<string, void, undefined>;
  readonly checkpointDelta: (state: KpiState) => KpiCheckpointDelta;
  readonly restore: (cp: KpiCheckpoint, deltas?: readonly KpiCheckpointDelta[]) => KpiState;
  readonly restoreJson: (
    text: Iterable<string> | AsyncIterable<string>,
    deltas?: Iterable<KpiCheckpointDelta | string> | AsyncIterable<KpiCheckpointDelta | string>,
    only?: PartialRestore,
  ) => Promise<KpiState>;
}

/** The head of a checkpoint: what precedes its tuples. */
type CheckpointHead = Omit<KpiCheckpoint, 'cells' | 'entities'>;

/** Where the checkpoint text's first line ends: its head, then the cells array opens. */
const CELLS_OPEN = ',"cells":[';
/** The line between the cells and the entities, and the last line. */
const ENTITIES_OPEN = '],"entities":[';
const CLOSE = ']}';
/**
 * A first line longer than this without a line break is a checkpoint written before the one-tuple-per-line
 * layout (one line of JSON): it is read whole, as then.
 */
const HEAD_LINE_MAX = 1 << 16;

export function createCheckpoints(core: CheckpointCore): Checkpoints {
  const {
    format: ENGINE_FORMAT,
    fingerprint,
    ids,
    groups,
    groupIds,
    trackerIds,
    nsOf,
    slotOf,
    nsScope,
    periodNames,
    sortedRows,
    periodsOf,
    byText,
    fresh,
    rowOf,
    allocBlock,
    chunkOf,
    setScopes,
    scopeRows,
    periodNumber,
  } = core;
  /** Ids of the entity sets a state keeps: its measure groups', then its trackers'. */
  const entityIds = [...groupIds, ...trackerIds];
  function* cellTuples(st: MutableState, after: bigint): Generator<unknown[], void, undefined> {
    for (let di = 0; di < ids.length; di++) {
      const slot = slotOf[di] as number;
      for (const row of sortedRows(st, di, after)) {
        for (const [ps, c] of periodsOf(st, row, slot, Number(after))) {
          const h = c.h === null ? null : [...c.h].sort((x, y) => x[0] - y[0]);
          const tuple: unknown[] = [ids[di], row.id, ps, c.k, c.s, c.n, c.d, c.c, numberText(c.w), c.ov, h];
          // Per-member sums only where a spread measure keeps them: other cells' tuples are unchanged.
          if (c.x !== null) tuple.push([...c.x].sort((x, y) => byText(x[0], y[0])));
          yield tuple;
        }
      }
    }
  }
  /**
   * Entity tuples; with `copy`, plug-in values are copies: a plug-in kind may change its values in place
   * as it folds, and a checkpoint (or delta) handed out as data must not change after it is taken.
   */
  function* entityTuples(
    st: MutableState,
    after: bigint,
    copy = false,
  ): Generator<unknown[], void, undefined> {
    for (let gi = 0; gi < entityIds.length; gi++) {
      const plug = st.plug[gi] ?? null;
      if (plug !== null) {
        const keys =
          after === st.base && st.changed !== null
            ? [...(st.changed[gi] as Set<string>)].filter((k) => plug.has(k))
            : [...plug.keys()];
        keys.sort(byText);
        for (const k of keys) {
          const u = plug.changedAt(k);
          if (u > after) {
            const value = plug.value(k);
            yield [entityIds[gi], k, copy ? structuredClone(value) : value, numberText(u)];
          }
        }
        continue;
      }
      const table = st.entities[gi] as EntityTable;
      let picked: Int32Array;
      if (after === st.base && st.changed !== null) {
        // A catch-up's delta: only the keys set since the journal's base.
        const keys = [...(st.changed[gi] as Set<string>)].sort(byText);
        const found: number[] = [];
        for (const k of keys) {
          const ent = table.find(k);
          if (ent >= 0 && (table.u[ent] as number) > after) found.push(ent);
        }
        picked = Int32Array.from(found);
      } else picked = table.changedInKeyOrder(Number(after));
      for (let i = 0; i < picked.length; i++) {
        const ent = picked[i] as number;
        const k = table.keyOf(ent);
        const sc = (groups[gi] as number[]).map((_, i) => scopeRows(st, table, ent, i));
        // A tuple, not an object: half the JSON to write, store and parse on every catch-up.
        yield [
          groupIds[gi],
          k,
          table.ms[ent],
          sc.map((rows) => rows.map((r) => r.id)),
          table.orgVersionOf(ent),
          numberText(table.p[ent] as number),
          table.startIdOf(ent),
          periodNames[table.ps[ent] as number],
          table.levels ? table.a[ent] : 0,
          table.levels ? table.b[ent] : 0,
          table.levels ? table.cur[ent] : 0,
          numberText(table.u[ent] as number),
        ];
      }
    }
  }
  const cellRows = (st: MutableState, after: bigint): unknown[][] => [...cellTuples(st, after)];
  const entityRows = (st: MutableState, after: bigint): unknown[][] => [...entityTuples(st, after, true)];
  /**
   * JSON text of tuples in pieces of about 16 K characters, comma-separated across pieces, each tuple on
   * a line of its own (JSON whitespace): a reader parses one line at a time ({@link restoreJson}).
   */
  function* jsonPieces(tuples: Iterable<unknown[]>): Generator<string, void, undefined> {
    let piece = '';
    let first = true;
    for (const t of tuples) {
      piece += first ? `\n${JSON.stringify(t)}` : `,\n${JSON.stringify(t)}`;
      first = false;
      if (piece.length >= 1 << 14) {
        yield piece;
        piece = '';
      }
    }
    if (piece.length > 0) yield piece;
  }
  function* checkpointJson(state: KpiState): Generator<string, void, undefined> {
    const st = state as MutableState;
    const head = {
      format: ENGINE_FORMAT,
      fingerprint,
      watermark: st.watermark.toString(),
      maxOccurredAt: st.maxAt,
      applied: st.applied,
    };
    const text = JSON.stringify(head);
    yield `${text.slice(0, -1)},"cells":[`;
    yield* jsonPieces(cellTuples(st, -1n));
    yield `\n${ENTITIES_OPEN}`;
    yield* jsonPieces(entityTuples(st, -1n));
    yield `\n${CLOSE}`;
    startJournal(st);
  }
  const startJournal = (st: MutableState): void => {
    st.base = st.watermark;
    st.removed = entityIds.map(() => new Set());
    st.touched = nsScope.map(() => new Set());
    st.changed = entityIds.map(() => new Set());
  };

  const checkpoint = (state: KpiState): KpiCheckpoint => {
    const st = state as MutableState;
    const cp: KpiCheckpoint = {
      format: ENGINE_FORMAT,
      fingerprint,
      watermark: st.watermark.toString(),
      maxOccurredAt: st.maxAt,
      applied: st.applied,
      cells: cellRows(st, -1n),
      entities: entityRows(st, -1n),
    };
    startJournal(st);
    return cp;
  };

  const checkpointDelta = (state: KpiState): KpiCheckpointDelta => {
    const st = state as MutableState;
    if (st.base === null || st.removed === null) {
      throw new ValidationError('KPI checkpoint delta', [
        { field: 'state', rule: 'must have been checkpointed or restored before (nothing to diff against)' },
      ]);
    }
    const removed: [string, string][] = [];
    st.removed.forEach((keys, gi) => {
      for (const k of [...keys].sort()) removed.push([entityIds[gi] as string, k]);
    });
    const delta: KpiCheckpointDelta = {
      format: ENGINE_FORMAT,
      fingerprint,
      from: st.base.toString(),
      watermark: st.watermark.toString(),
      maxOccurredAt: st.maxAt,
      applied: st.applied,
      cells: cellRows(st, st.base),
      entities: entityRows(st, st.base),
      removed,
    };
    startJournal(st);
    return delta;
  };

  const refuse = (field: string, rule: string): ValidationError =>
    new ValidationError('KPI checkpoint', [{ field, rule }]);
  const parseJson = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw refuse('checkpoint', 'must be the JSON text of a checkpoint');
    }
  };

  const defIndex = new Map(ids.map((id, i) => [id, i]));
  const groupIndex = new Map(entityIds.map((id, i) => [id, i]));

  /**
   * A state being restored: the head first, then tuples one at a time, then the deltas. With `only`, the
   * tuples of other scope rows and entity keys are passed over (a state restored for given events).
   */
  const restoring = (head: CheckpointHead, only: PartialRestore | null = null) => {
    if (head.format !== ENGINE_FORMAT || head.fingerprint !== fingerprint)
      throw refuse(
        'fingerprint',
        'was made with other definitions, time zone, org versions or engine format: rebuild',
      );
    const st = fresh();
    const restoredLists = new Map<string, readonly Row[]>();
    const header = (c: CheckpointHead): void => {
      st.watermark = BigInt(c.watermark);
      st.maxAt = c.maxOccurredAt;
      st.maxMs = c.maxOccurredAt === '' ? Number.NEGATIVE_INFINITY : epochMs(c.maxOccurredAt);
      st.applied = c.applied;
    };
    const cell = (tuple: readonly unknown[]): void => {
      const [vid, scopeId, ps, k, s, n, d, cc, w, ov, h, x] = tuple as [
        string,
        string,
        string,
        number,
        number,
        number,
        number,
        number,
        string,
        number | null,
        [number, number][] | null,
        [string, number][] | undefined,
      ];
      const di = defIndex.get(vid);
      if (di === undefined) throw refuse('cells', `names an unknown definition ${vid}`);
      const ns = nsOf[di] as number;
      if (only !== null && !(only.rows[ns] as Set<string>).has(scopeId)) return;
      const row = rowOf(st, ns, scopeId);
      let blk = row.periods.get(ps);
      if (blk === undefined) {
        blk = allocBlock(st, ns);
        row.periods.set(ps, blk);
      }
      const slot = slotOf[di] as number;
      const lw = Number(w);
      if ((row.lw[slot] ?? -1) < lw) row.lw[slot] = lw;
      const at = blk + slot * FIELDS;
      const pool = chunkOf(st, at);
      const o = at & CHUNK_MASK;
      pool[o + K] = k;
      pool[o + S] = s;
      pool[o + N] = n;
      pool[o + D] = d;
      pool[o + C] = cc;
      pool[o + W] = lw;
      pool[o + OV] = ov === null ? -1 : ov;
      if (h === null) st.hist.delete(at);
      else st.hist.set(at, new Map(h));
      if (x === undefined) st.aux.delete(at);
      else st.aux.set(at, new Map(x));
    };
    /** `owned`: the row was parsed for this restore; else its plug-in value is copied (the caller keeps the checkpoint). */
    const entity = (row: readonly unknown[], owned = false): void => {
      const plugGi = groupIndex.get(row[0] as string);
      if (only !== null && plugGi !== undefined && !(only.keys[plugGi] as Set<string>).has(row[1] as string))
        return;
      const plug = plugGi === undefined ? null : (st.plug[plugGi] ?? null);
      if (plug !== null) {
        plug.put(row[1] as string, owned ? row[2] : structuredClone(row[2]), Number(row[3]));
        return;
      }
      const [gid, key, ms, sc, ov, p, id, ps, a, b, cur, u] = row as [
        string,
        string,
        number,
        string[][],
        number | null,
        string,
        string,
        string,
        number,
        number,
        number,
        string,
      ];
      const gi = groupIndex.get(gid);
      if (gi === undefined) throw refuse('entities', `names an unknown measure ${gid}`);
      if (only !== null && !(only.keys[gi] as Set<string>).has(key)) return;
      const members = groups[gi] as number[];
      const table = st.entities[gi] as EntityTable;
      let ent = table.find(key);
      if (ent < 0) ent = table.add(key);
      table.ms[ent] = ms;
      setScopes(
        st,
        table,
        ent,
        members.map((di, i) => {
          const list = sc[i] ?? [];
          const ns = nsOf[di] as number;
          if (list.length === 1) return rowOf(st, ns, list[0] as string).one;
          // One array per distinct list, so the intern trie (by identity) shares it.
          const text = `${ns}|${list.join('|')}`;
          let rows = restoredLists.get(text);
          if (rows === undefined) {
            rows = list.map((id) => rowOf(st, ns, id));
            restoredLists.set(text, rows);
          }
          return rows;
        }),
      );
      table.setOrgVersion(ent, ov);
      table.p[ent] = Number(p);
      table.setStartId(ent, id);
      table.ps[ent] = periodNumber(ps);
      if (table.levels) {
        table.a[ent] = a;
        table.b[ent] = b;
        table.cur[ent] = cur;
      }
      table.u[ent] = Number(u);
    };
    /** Whether a tuple's line may be passed over unparsed: a partial restore does not want its row or key. */
    const skips = (line: string, cells: boolean): boolean => {
      if (only === null) return false;
      const lead = leadingStrings(line);
      if (lead === null) return false;
      if (cells) {
        const di = defIndex.get(lead[0]);
        return di !== undefined && !(only.rows[nsOf[di] as number] as Set<string>).has(lead[1]);
      }
      const gi = groupIndex.get(lead[0]);
      return gi !== undefined && !(only.keys[gi] as Set<string>).has(lead[1]);
    };
    const load = (c: KpiCheckpoint | KpiCheckpointDelta): void => {
      for (const tuple of c.cells) cell(tuple);
      for (const row of c.entities) entity(row);
    };
    /** A delta's head: checked against the state, its removals applied, its head taken. */
    const replayHead = (delta: Omit<KpiCheckpointDelta, 'cells' | 'entities'>): void => {
      if (delta.format !== ENGINE_FORMAT || delta.fingerprint !== fingerprint)
        throw refuse(
          'deltas',
          'a delta was made with other definitions, time zone, org versions or engine format',
        );
      if (delta.from !== st.watermark.toString())
        throw refuse('deltas', `must chain: delta from ${delta.from} follows watermark ${st.watermark}`);
      for (const [gid, key] of delta.removed) {
        const gi = groupIndex.get(gid);
        if (gi === undefined) throw refuse('removed', `names an unknown measure ${gid}`);
        const plug = st.plug[gi] ?? null;
        if (plug !== null) {
          plug.delete(key);
          continue;
        }
        const table = st.entities[gi] as EntityTable;
        const ent = table.find(key);
        if (ent >= 0) table.remove(ent);
      }
      header(delta);
    };
    const replay = (delta: KpiCheckpointDelta | string): void => {
      if (typeof delta === 'string') replayText(delta);
      else {
        replayHead(delta);
        load(delta);
      }
    };
    /** A delta's JSON text: a line at a time when it is in the line layout ({@link checkpointDeltaText}), parsing only the tuples kept. */
    const replayText = (text: string): void => {
      const nl = text.indexOf('\n');
      if (nl < 0 || !text.slice(0, nl).endsWith(CELLS_OPEN)) {
        // The one-line layout of earlier releases: parsed whole.
        replay(parseJson(text) as KpiCheckpointDelta);
        return;
      }
      replayHead(parseJson(`${text.slice(0, nl - CELLS_OPEN.length)}}`) as KpiCheckpointDelta);
      const tuples = tupleLines('deltas', 'a delta ');
      let from = nl + 1;
      while (from <= text.length) {
        let end = text.indexOf('\n', from);
        if (end < 0) end = text.length;
        tuples.line(text.slice(from, end));
        from = end + 1;
      }
      if (!tuples.closed()) throw refuse('deltas', 'a delta must end with its entities closed');
    };
    /**
     * A reader of the lines after a head: cell tuples, the entities marker, entity tuples, the closing
     * marker; a tuple is parsed only when the restore keeps it. `field` and `what` name the text in errors.
     */
    const tupleLines = (field: string, what: string) => {
      let section = 1;
      return {
        line(l: string): void {
          if (l === ENTITIES_OPEN && section === 1) section = 2;
          else if (l === CLOSE && section === 2) section = 3;
          else if (section === 3) throw refuse(field, `${what}must end after its entities`);
          else if (!skips(l, section === 1)) {
            const tuple = parseJson(l.endsWith(',') ? l.slice(0, -1) : l);
            if (!Array.isArray(tuple))
              throw refuse(field, `${what}must list its cells and entities as arrays`);
            if (section === 1) cell(tuple);
            else entity(tuple, true);
          }
        },
        closed: (): boolean => section === 3,
      };
    };
    header(head);
    return {
      cell,
      entity,
      tupleLines,
      /** Replays the deltas in order and starts the change journal: the restored state. */
      finish(deltas: Iterable<KpiCheckpointDelta | string>): KpiState {
        for (const delta of deltas) replay(delta);
        startJournal(st);
        return st;
      },
      /** {@link finish} over deltas as they come (each one loaded, then dropped by its reader). */
      async finishReading(
        deltas: Iterable<KpiCheckpointDelta | string> | AsyncIterable<KpiCheckpointDelta | string>,
      ): Promise<KpiState> {
        for await (const delta of deltas) replay(delta);
        startJournal(st);
        return st;
      },
      load,
    };
  };

  const restore = (cp: KpiCheckpoint, deltas: readonly KpiCheckpointDelta[] = []): KpiState => {
    const r = restoring(cp);
    r.load(cp);
    return r.finish(deltas);
  };

  /**
   * {@link restore} from the checkpoint's JSON text in pieces, as {@link checkpointJson} writes it (one
   * tuple per line): each line is parsed and loaded, then dropped, so neither the text nor its parsed
   * tuples are ever held whole — only the state being built. Text without that layout (written before
   * it) is read whole.
   */
  const restoreJson = async (
    text: Iterable<string> | AsyncIterable<string>,
    deltas: Iterable<KpiCheckpointDelta | string> | AsyncIterable<KpiCheckpointDelta | string> = [],
    only?: PartialRestore,
  ): Promise<KpiState> => {
    let r: ReturnType<typeof restoring> | undefined;
    let tuples: ReturnType<ReturnType<typeof restoring>['tupleLines']> | undefined;
    let carry = '';
    let whole: string[] | undefined;
    const line = (l: string): void => {
      if (tuples !== undefined) tuples.line(l);
      else {
        if (!l.endsWith(CELLS_OPEN)) throw refuse('checkpoint', 'must open with its head, then its cells');
        r = restoring(parseJson(`${l.slice(0, -CELLS_OPEN.length)}}`) as CheckpointHead, only ?? null);
        tuples = r.tupleLines('checkpoint', '');
      }
    };
    // A partial restore that wants no tuple yet (a catch-up's first pass) needs only the head: the rest is
    // not read at all.
    const headOnly = only !== undefined && [...only.rows, ...only.keys].every((set) => set.size === 0);
    for await (const piece of text) {
      if (whole !== undefined) {
        whole.push(piece);
        continue;
      }
      let all = carry + piece;
      let from = 0;
      for (let nl = all.indexOf('\n'); nl >= 0; nl = all.indexOf('\n', from)) {
        line(all.slice(from, nl));
        from = nl + 1;
        if (headOnly && r !== undefined) return r.finishReading(deltas);
      }
      all = all.slice(from);
      carry = all;
      if (r === undefined && carry.length > HEAD_LINE_MAX) {
        whole = [carry];
        carry = '';
      }
    }
    if (whole !== undefined || r === undefined) {
      const cp = parseJson((whole ?? [carry]).join('')) as KpiCheckpoint;
      if (typeof cp !== 'object' || cp === null || !Array.isArray(cp.cells) || !Array.isArray(cp.entities))
        throw refuse('checkpoint', 'must be the JSON text of a checkpoint');
      const read = restoring(cp, only ?? null);
      read.load(cp);
      return read.finishReading(deltas);
    }
    if (carry.length > 0) line(carry);
    if (tuples === undefined || !tuples.closed())
      throw refuse('checkpoint', 'must end with its entities closed');
    return (r as ReturnType<typeof restoring>).finishReading(deltas);
  };

  return { checkpoint, checkpointJson, checkpointDelta, restore, restoreJson };
}

/**
 * A delta's JSON text with each tuple on a line of its own (its head, removals included, on the first):
 * still one JSON document (`JSON.parse` gives the delta back), and a restore that wants only some tuples
 * (`catchUpJson`) parses only their lines.
 *
 * @example `await store(deflate(checkpointDeltaText(engine.checkpointDelta(state))));`
 */
export function checkpointDeltaText(delta: KpiCheckpointDelta): string {
  const { cells, entities, ...head } = delta;
  const lines = (tuples: readonly (readonly unknown[])[]): string =>
    tuples.length === 0 ? '' : `\n${tuples.map((t) => JSON.stringify(t)).join(',\n')}`;
  return `${JSON.stringify(head).slice(0, -1)}${CELLS_OPEN}${lines(cells)}\n${ENTITIES_OPEN}${lines(entities)}\n${CLOSE}`;
}
