import { hash } from 'node:crypto';

/**
 * The first row of a file that named each key, in memory that stays small however long the file is: a
 * 64-bit digest of the key and the row number in typed arrays (open addressing, at most half full: about
 * 24 bytes a key, where a `Map` of the keys themselves held about 170 bytes a row of a company file and
 * grew an import's heap with every row). Two keys share a digest with a probability of about n² / 2⁶⁵
 * (3 · 10⁻⁸ for a million keys); the import then takes the later one for a duplicate of the earlier and
 * dead-letters it with its raw line, so nothing is lost.
 *
 * @example
 * ```ts
 * const seen = firstRows();
 * seen.firstRow('website:example.com'); // undefined
 * seen.remember('website:example.com', 2);
 * seen.firstRow('website:example.com'); // 2
 * ```
 */
export interface FirstRows {
  /** The row that first named `key`, or `undefined`. */
  firstRow(key: string): number | undefined;
  /** Records `row` as the first row naming `key` (an earlier row stays the first). */
  remember(key: string, row: number): void;
  /** How many keys are recorded. */
  readonly size: number;
}

/** Creates an empty {@link FirstRows} (rows are positive integers below 2³¹). */
export function firstRows(): FirstRows {
  let capacity = 1024;
  let high = new Uint32Array(capacity);
  let low = new Uint32Array(capacity);
  // 0 marks an empty slot: rows are stored + 1, so row 0 is recordable too.
  let rows = new Int32Array(capacity);
  let size = 0;

  const digest = (key: string): [number, number] => {
    const d = hash('sha1', key, 'buffer');
    return [d.readUInt32LE(0), d.readUInt32LE(4)];
  };
  const slotOf = (h: number, l: number): number => {
    const mask = capacity - 1;
    let i = l & mask;
    while (rows[i] !== 0 && (high[i] !== h || low[i] !== l)) i = (i + 1) & mask;
    return i;
  };
  const grow = (): void => {
    const [oldHigh, oldLow, oldRows] = [high, low, rows];
    capacity *= 2;
    high = new Uint32Array(capacity);
    low = new Uint32Array(capacity);
    rows = new Int32Array(capacity);
    for (let i = 0; i < oldRows.length; i++) {
      if (oldRows[i] === 0) continue;
      const j = slotOf(oldHigh[i] as number, oldLow[i] as number);
      high[j] = oldHigh[i] as number;
      low[j] = oldLow[i] as number;
      rows[j] = oldRows[i] as number;
    }
  };

  return {
    firstRow(key) {
      const [h, l] = digest(key);
      const stored = rows[slotOf(h, l)] as number;
      return stored === 0 ? undefined : stored - 1;
    },
    remember(key, row) {
      if (!Number.isInteger(row) || row < 0 || row >= 2 ** 31 - 1) throw new RangeError(`row ${row}`);
      const [h, l] = digest(key);
      let i = slotOf(h, l);
      if (rows[i] !== 0) return;
      if ((size + 1) * 2 > capacity) {
        grow();
        i = slotOf(h, l);
      }
      high[i] = h;
      low[i] = l;
      rows[i] = row + 1;
      size++;
    },
    get size() {
      return size;
    },
  };
}
