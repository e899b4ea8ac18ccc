/**
 * Open entities of one measure (unmatched starts, open pipeline entries) kept off the JS heap: fields in
 * typed arrays indexed by an entity number, canonical UUID keys as four 32-bit words in an open-addressing
 * table. A fold over a million events opens and closes hundreds of thousands of entities; as objects in a
 * `Map` each one outlived a few scavenges and V8 grew its young generation to match (peak RSS grew with the
 * event count). Here nothing per entity is a heap object. Keys and start ids that are not lowercase
 * canonical UUIDs fall back to side maps, so any string works.
 */

/** Numbers per hash slot: entity index + 1, then the key's 32-bit hash. */
const SLOT = 2;

/** `null` org version in a float field. */
const NO_VERSION = -1;

/** Value of a lowercase hex digit by UTF-16 code unit; -1 for anything else (uppercase would not format back). A full 64K table: no range test per character. */
const HEX_VALUE = new Int8Array(65_536).fill(-1);
for (let c = 48; c <= 57; c++) HEX_VALUE[c] = c - 48;
for (let c = 97; c <= 102; c++) HEX_VALUE[c] = c - 87;

/** Four hex digits from `at` and four from `at2` as one 32-bit word, or -1 when one is not a lowercase hex digit. */
function hexWord(s: string, at: number, at2: number): number {
  const h = HEX_VALUE;
  const d0 = h[s.charCodeAt(at)] as number;
  const d1 = h[s.charCodeAt(at + 1)] as number;
  const d2 = h[s.charCodeAt(at + 2)] as number;
  const d3 = h[s.charCodeAt(at + 3)] as number;
  const d4 = h[s.charCodeAt(at2)] as number;
  const d5 = h[s.charCodeAt(at2 + 1)] as number;
  const d6 = h[s.charCodeAt(at2 + 2)] as number;
  const d7 = h[s.charCodeAt(at2 + 3)] as number;
  // A -1 anywhere makes the OR negative.
  if ((d0 | d1 | d2 | d3 | d4 | d5 | d6 | d7) < 0) return -1;
  return ((d0 << 28) | (d1 << 24) | (d2 << 20) | (d3 << 16) | (d4 << 12) | (d5 << 8) | (d6 << 4) | d7) >>> 0;
}

/**
 * Parses lowercase canonical UUIDs, remembering the last two: an event's keys are looked up by every
 * measure it concerns (often two keys, alternately), and its id stored by every measure it starts (one
 * parser each, so they do not evict each other).
 */
class UuidParser {
  private texts: [string, string] = ['', ''];
  private ok: [boolean, boolean] = [false, false];
  private readonly words = new Uint32Array(8);
  private older = 0;

  /** The UUID's words into `out[0..3]`; false (nothing usable) for any other string. */
  parse(s: string, out: Int32Array): boolean {
    let m = 0;
    if (s !== this.texts[0]) {
      if (s === this.texts[1]) m = 1;
      else {
        m = this.older;
        this.older ^= 1;
        this.texts[m] = s;
        this.ok[m] = false;
        if (
          s.length !== 36 ||
          s.charCodeAt(8) !== 45 ||
          s.charCodeAt(13) !== 45 ||
          s.charCodeAt(18) !== 45 ||
          s.charCodeAt(23) !== 45
        )
          return false;
        const w0 = hexWord(s, 0, 4);
        const w1 = hexWord(s, 9, 14);
        const w2 = hexWord(s, 19, 24);
        const w3 = hexWord(s, 28, 32);
        if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0) return false;
        const k = m * 4;
        this.words[k] = w0;
        this.words[k + 1] = w1;
        this.words[k + 2] = w2;
        this.words[k + 3] = w3;
        this.ok[m] = true;
      }
    }
    if (!this.ok[m]) return false;
    const k = m * 4;
    const w = this.words;
    out[0] = w[k] as number;
    out[1] = w[k + 1] as number;
    out[2] = w[k + 2] as number;
    out[3] = w[k + 3] as number;
    return true;
  }
}
const keys = new UuidParser();
const ids = new UuidParser();

const HEX = '0123456789abcdef';
function hex8(v: number): string {
  let s = '';
  for (let shift = 28; shift >= 0; shift -= 4) s += HEX[(v >>> shift) & 15];
  return s;
}
function uuidText(w0: number, w1: number, w2: number, w3: number): string {
  const b = hex8(w1);
  const c = hex8(w2);
  const d = hex8(w3);
  return `${hex8(w0)}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}

/**
 * A UUID's four words into `to` at `at` (int32 to uint32: the same bits). Four stores, not
 * `TypedArray.prototype.set`: a builtin call per started entity cost more than the copy.
 */
function copyWords(w: Int32Array, to: Uint32Array, at: number): void {
  to[at] = w[0] as number;
  to[at + 1] = w[1] as number;
  to[at + 2] = w[2] as number;
  to[at + 3] = w[3] as number;
}

/** `ArrayBuffer.prototype.transfer` (ES2024, Node ≥ 21): not yet in the ES2023 lib this project compiles against. */
type Transferable = ArrayBuffer & { transfer(length: number): ArrayBuffer };

/**
 * The array at a new length, zero-filled past the old one. The old buffer is transferred, not copied:
 * it is released at once instead of waiting, dead but counted in RSS, for the next full GC.
 */
function grown<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T, length: number): T {
  const buffer = (a.buffer as Transferable).transfer(length * a.BYTES_PER_ELEMENT);
  return new (a.constructor as new (b: ArrayBuffer) => T)(buffer);
}

/** The open entities of one measure group. Indices stay valid until the entity is removed. */
export class EntityTable {
  /** Start instant in epoch ms (spans and conversions; 0 for levels). */
  ms: Float64Array = new Float64Array(64);
  /** Org-structure version at the start (`NO_VERSION`: none). */
  ov: Int32Array = new Int32Array(64);
  /** Start event position. */
  p: Float64Array = new Float64Array(64);
  /** Level: amount (minor units), weight (bp), current weighted contribution (empty in other tables: always 0). */
  a: Float64Array;
  b: Float64Array;
  cur: Float64Array;
  /** Position of the last change (what a checkpoint delta carries). */
  u: Float64Array = new Float64Array(64);
  /** Conversion: the start's period, as an index into the engine's period names. */
  ps: Int32Array = new Int32Array(64);
  /** Per entity, `stride` numbers: the scope-row list of each member of the measure (the state's list table). */
  lists: Int32Array;
  private live: Uint8Array = new Uint8Array(64);
  private keyWords: Uint32Array = new Uint32Array(64 * 4);
  private idWords: Uint32Array = new Uint32Array(64 * 4);
  /** 1: the key (bit 0) or the start id (bit 1) is not a UUID and lives in a side map. */
  private textual: Uint8Array = new Uint8Array(64);
  private keyText = new Map<number, string>();
  private idText = new Map<number, string>();
  /** Entities with a non-UUID key, by key. */
  private byText = new Map<string, number>();
  /**
   * Hash slots of {@link SLOT} numbers: entity index + 1 (0 empty, -1 deleted), then the key's full hash,
   * so a probe past other keys reads no key words (the tables outgrow the CPU caches).
   */
  private slots: Int32Array = new Int32Array(256 * SLOT);
  /** Slot count - 1. */
  private mask = 255;
  private used = 0;
  private free: number[] = [];
  private next = 0;
  /** Live entities. */
  size: number = 0;
  private readonly w = new Int32Array(4);

  /**
   * @param stride numbers per entity in {@link lists} (the measure's member count).
   * @param levels whether entities carry level fields ({@link a}, {@link b}, {@link cur}).
   */
  constructor(
    readonly stride: number,
    readonly levels: boolean,
  ) {
    this.lists = new Int32Array(64 * stride);
    const n = levels ? 64 : 0;
    this.a = new Float64Array(n);
    this.b = new Float64Array(n);
    this.cur = new Float64Array(n);
  }

  /** The mixed 32-bit hash of the key words in `w` (its low bits pick the slot). */
  private hash(): number {
    const w = this.w;
    let h =
      Math.imul((w[0] as number) ^ (w[3] as number), 0x9e3779b1) ^
      Math.imul((w[1] as number) ^ (w[2] as number), 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return h;
  }

  private sameKey(e: number): boolean {
    const k = e * 4;
    const kw = this.keyWords;
    const w = this.w;
    // `w` holds the words as int32, `keyWords` as uint32.
    const w0 = (w[0] as number) >>> 0;
    const w1 = (w[1] as number) >>> 0;
    const w2 = (w[2] as number) >>> 0;
    const w3 = (w[3] as number) >>> 0;
    return kw[k] === w0 && kw[k + 1] === w1 && kw[k + 2] === w2 && kw[k + 3] === w3;
  }

  /** Entity index of a key, or -1. */
  find(key: string): number {
    this.missed = null;
    if (this.watch !== null) this.watch(key);
    if (!keys.parse(key, this.w)) return this.byText.get(key) ?? -1;
    const h = this.hash();
    const slots = this.slots;
    let firstFree = -1;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const at = i * SLOT;
      const v = slots[at] as number;
      if (v === 0) {
        // Where add() puts this key if it comes next: the first deleted slot on the way, else here.
        this.missed = key;
        this.missedAt = firstFree >= 0 ? firstFree : i;
        return -1;
      }
      if (v < 0) {
        if (firstFree < 0) firstFree = i;
      } else if (slots[at + 1] === h && this.sameKey(v - 1)) return v - 1;
    }
  }
  /** The key of the last failed UUID find and the slot it would take (`add` skips parsing and probing). */
  /** Told every key looked up (a state restored for given events learns what its fold reads). */
  watch: ((key: string) => void) | null = null;
  private missed: string | null = null;
  private missedAt: number = 0;

  /** A new entity for a key that {@link find} did not find; its fields are zero, its org version none. */
  add(key: string): number {
    const e = this.free.length > 0 ? (this.free.pop() as number) : this.next++;
    if (e >= this.live.length) this.grow(this.live.length * 2);
    this.live[e] = 1;
    this.textual[e] = 0;
    this.ms[e] = 0;
    this.ov[e] = NO_VERSION;
    this.p[e] = 0;
    if (this.levels) {
      this.a[e] = 0;
      this.b[e] = 0;
      this.cur[e] = 0;
    }
    this.u[e] = 0;
    this.ps[e] = 0;
    this.size++;
    const probed = key === this.missed;
    this.missed = null;
    if (!probed && !keys.parse(key, this.w)) {
      this.textual[e] = 1;
      this.keyText.set(e, key);
      this.byText.set(key, e);
      return e;
    }
    copyWords(this.w, this.keyWords, e * 4);
    // A rehash places every live key, this one included.
    // Rehash at 3/4 used (live or deleted), leaving live keys at most 3/8 after: a probe compares hashes
    // in one run of memory, so a full table costs little, and a sparse one costs memory.
    if ((this.used + 1) * 4 > (this.mask + 1) * 3) {
      this.rehash();
      return e;
    }
    let i = this.missedAt;
    if (!probed) {
      i = this.hash() & this.mask;
      while ((this.slots[i * SLOT] as number) > 0) i = (i + 1) & this.mask;
    }
    this.place(i, e);
    return e;
  }

  /** Removes a live entity; its index may be reused. */
  remove(e: number): void {
    if (this.live[e] !== 1) return;
    this.missed = null;
    this.live[e] = 0;
    this.size--;
    this.free.push(e);
    if ((this.textual[e] as number) & 2) this.idText.delete(e);
    if ((this.textual[e] as number) & 1) {
      this.byText.delete(this.keyText.get(e) as string);
      this.keyText.delete(e);
      return;
    }
    const k = e * 4;
    for (let j = 0; j < 4; j++) this.w[j] = this.keyWords[k + j] as number;
    for (let i = this.hash() & this.mask; ; i = (i + 1) & this.mask) {
      const v = this.slots[i * SLOT] as number;
      if (v === 0) return;
      if (v === e + 1) {
        this.slots[i * SLOT] = -1;
        return;
      }
    }
  }

  isLive(e: number): boolean {
    return this.live[e] === 1;
  }

  /** One past the highest entity index ever used (iterate `0..end`, skipping dead ones). */
  get end(): number {
    return this.next;
  }

  /**
   * The live entities changed after position `after`, in the order of their keys as text. UUID keys
   * compare by their words (lowercase hex sorts as the numbers do), so no key string is made for the sort.
   */
  changedInKeyOrder(after: number): Int32Array {
    let n = 0;
    for (let e = 0; e < this.next; e++) if (this.live[e] === 1 && (this.u[e] as number) > after) n++;
    const out = new Int32Array(n);
    n = 0;
    for (let e = 0; e < this.next; e++) if (this.live[e] === 1 && (this.u[e] as number) > after) out[n++] = e;
    if (this.byText.size > 0) {
      const keys = new Map<number, string>();
      for (const e of out) keys.set(e, this.keyOf(e));
      return out.sort((x, y) => {
        const a = keys.get(x) as string;
        const b = keys.get(y) as string;
        return a < b ? -1 : a > b ? 1 : 0;
      });
    }
    const kw = this.keyWords;
    return out.sort((x, y) => {
      for (let j = 0; j < 4; j++) {
        const d = (kw[x * 4 + j] as number) - (kw[y * 4 + j] as number);
        if (d !== 0) return d;
      }
      return 0;
    });
  }

  keyOf(e: number): string {
    if ((this.textual[e] as number) & 1) return this.keyText.get(e) as string;
    const k = e * 4;
    const kw = this.keyWords;
    return uuidText(kw[k] as number, kw[k + 1] as number, kw[k + 2] as number, kw[k + 3] as number);
  }

  setStartId(e: number, id: string): void {
    this.missed = null;
    if (ids.parse(id, this.w)) {
      copyWords(this.w, this.idWords, e * 4);
      const t = this.textual[e] as number;
      // The side map holds the entity's id only when its last one was not a UUID.
      if (t & 2) {
        this.textual[e] = t & 1;
        this.idText.delete(e);
      }
    } else {
      this.textual[e] = (this.textual[e] as number) | 2;
      this.idText.set(e, id);
    }
  }

  startIdOf(e: number): string {
    if ((this.textual[e] as number) & 2) return this.idText.get(e) as string;
    const k = e * 4;
    const iw = this.idWords;
    return uuidText(iw[k] as number, iw[k + 1] as number, iw[k + 2] as number, iw[k + 3] as number);
  }

  orgVersionOf(e: number): number | null {
    const v = this.ov[e] as number;
    return v === NO_VERSION ? null : v;
  }

  setOrgVersion(e: number, ov: number | null): void {
    this.ov[e] = ov === null ? NO_VERSION : ov;
  }

  private grow(length: number): void {
    this.ms = grown(this.ms, length);
    this.ov = grown(this.ov, length);
    this.p = grown(this.p, length);
    if (this.levels) {
      this.a = grown(this.a, length);
      this.b = grown(this.b, length);
      this.cur = grown(this.cur, length);
    }
    this.u = grown(this.u, length);
    this.ps = grown(this.ps, length);
    this.lists = grown(this.lists, length * this.stride);
    this.live = grown(this.live, length);
    this.textual = grown(this.textual, length);
    this.keyWords = grown(this.keyWords, length * 4);
    this.idWords = grown(this.idWords, length * 4);
  }

  /** Rebuilds the hash slots without deleted marks, doubling them while live keys would fill more than 3/8. */
  private rehash(): void {
    let length = this.mask + 1;
    while ((this.size + 1) * 8 > length * 3) length *= 2;
    this.missed = null;
    this.slots = new Int32Array(length * SLOT);
    this.mask = length - 1;
    this.used = 0;
    for (let e = 0; e < this.next; e++) {
      if (this.live[e] !== 1 || (this.textual[e] as number) & 1) continue;
      const k = e * 4;
      for (let j = 0; j < 4; j++) this.w[j] = this.keyWords[k + j] as number;
      let i = this.hash() & this.mask;
      while (this.slots[i * SLOT] !== 0) i = (i + 1) & this.mask;
      this.place(i, e);
    }
  }

  /** Puts entity `e`, whose key words are in `w`, in slot `i`. */
  private place(i: number, e: number): void {
    const at = i * SLOT;
    const slots = this.slots;
    if (slots[at] === 0) this.used++;
    slots[at] = e + 1;
    slots[at + 1] = this.hash();
  }
}
