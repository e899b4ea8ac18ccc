/**
 * Plug-in measures' entities in one state: one map by key, each key's record holding an entity slot per
 * measure group. Measures of one kind often track the same keys (every ticket measure tracks each
 * ticket): an event's key is hashed once, not once per group, and the records of the last two keys asked
 * are kept, so the other groups (and a `set` after a `get`) find them by one comparison.
 * Groups of one measure kind share one (they track the same keys); other kinds keep theirs apart.
 * Internal: each group sees its own entities through a {@link PlugGroup}, as it saw its own map.
 */
/**
 * A key's record: `[live, …(value, changedAt) per group]` — the number of groups holding an entity under
 * the key, then per group its JSON value and the position that last set it (`undefined`: no entity). No
 * object per entity.
 */
type PlugRecord = unknown[];

/** Every plug-in group's entities of one state. */
export class PlugEntities {
  private readonly byKey = new Map<string, PlugRecord>();
  // The records of the last two keys asked (a fold often alternates between two, e.g. a ticket and its SLA).
  private lastKey: string | null = null;
  private lastRecord: PlugRecord | undefined = undefined;
  private prevKey: string | null = null;
  private prevRecord: PlugRecord | undefined = undefined;
  /** Told the keys looked up (a state restored for given events learns what its fold reads). */
  watch: ((key: string) => void) | null = null;

  /** @param groups the number of plug-in groups (slots per record). */
  constructor(private readonly groups: number) {}

  /** The record of `key` (`undefined`: no group holds it). */
  record(key: string): PlugRecord | undefined {
    if (key === this.lastKey) return this.lastRecord;
    if (key === this.prevKey) {
      const found = this.prevRecord;
      this.prevKey = this.lastKey;
      this.prevRecord = this.lastRecord;
      this.lastKey = key;
      this.lastRecord = found;
      return found;
    }
    // The last two keys were asked before (or restored), so only a map lookup needs telling.
    if (this.watch !== null) this.watch(key);
    const found = this.byKey.get(key);
    this.prevKey = this.lastKey;
    this.prevRecord = this.lastRecord;
    this.lastKey = key;
    this.lastRecord = found;
    return found;
  }

  /** The record of `key`, made when no group holds it yet. */
  recordFor(key: string): PlugRecord {
    const known = this.record(key);
    if (known !== undefined) return known;
    const made: PlugRecord = new Array(1 + 2 * this.groups);
    made[0] = 0;
    this.byKey.set(key, made);
    // `record` just made `key` the last one asked.
    this.lastRecord = made;
    return made;
  }

  /** Forgets a record no group holds any more. */
  drop(key: string, record: PlugRecord): void {
    this.byKey.delete(key);
    if (this.lastRecord === record) {
      this.lastKey = null;
      this.lastRecord = undefined;
    }
    if (this.prevRecord === record) {
      this.prevKey = null;
      this.prevRecord = undefined;
    }
  }

  /** Every key with its record (any group's). */
  entries(): IterableIterator<[string, PlugRecord]> {
    return this.byKey.entries();
  }
}

/** One plug-in group's entities (a view of its slot in {@link PlugEntities}), with the map methods the fold and checkpoints use. */
export class PlugGroup {
  /** Index of the group's value in a record; its position (changedAt) follows. */
  private readonly at: number;

  /** @param slot the group's number among the plug-in groups of its kind. */
  constructor(
    /** The map it is a view of (shared by the groups of one kind). */
    readonly all: PlugEntities,
    slot: number,
  ) {
    this.at = 1 + 2 * slot;
  }

  /** The entity's JSON value (`undefined`: none). */
  value(key: string): unknown {
    const record = this.all.record(key);
    return record === undefined ? undefined : record[this.at];
  }

  /** The position of the event that last set the entity, or -1 when there is none. */
  changedAt(key: string): number {
    const record = this.all.record(key);
    const u = record === undefined ? undefined : record[this.at + 1];
    return u === undefined ? -1 : (u as number);
  }

  has(key: string): boolean {
    return this.changedAt(key) >= 0;
  }

  /** Stores `value` set at `position` (≥ 0). */
  put(key: string, value: unknown, position: number): void {
    const record = this.all.recordFor(key);
    if (record[this.at + 1] === undefined) record[0] = (record[0] as number) + 1;
    record[this.at] = value;
    record[this.at + 1] = position;
  }

  /** Forgets `key`'s entity; true when there was one. */
  delete(key: string): boolean {
    const record = this.all.record(key);
    if (record === undefined || record[this.at + 1] === undefined) return false;
    record[this.at] = undefined;
    record[this.at + 1] = undefined;
    const live = (record[0] as number) - 1;
    record[0] = live;
    if (live === 0) this.all.drop(key, record);
    return true;
  }

  /** This group's keys, in no particular order. */
  *keys(): IterableIterator<string> {
    for (const [key, record] of this.all.entries()) if (record[this.at + 1] !== undefined) yield key;
  }
}
