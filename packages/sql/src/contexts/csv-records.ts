/** One record of a CSV text, as {@link readCsvRecords} yields it. */
export interface CsvRecord {
  /** The line the record starts on (1-based; a quoted field may span lines). */
  readonly line: number;
  /** The record's text as it stands in the file, without its line break. */
  readonly raw: string;
  /** The fields, or null when the record cannot be read (then `error` says why). */
  readonly fields: readonly string[] | null;
  readonly error?: string;
}

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'afterQuote' | 'broken';

/**
 * Reads CSV records from a stream of UTF-8 bytes, one record at a time (memory holds one record, not the
 * file): fields separated by `,`, records by `\n` or `\r\n`; a field in double quotes may hold commas,
 * line breaks and `""` for a quote; a quote inside an unquoted field is kept as it is; a leading BOM and
 * empty lines are skipped. A record that cannot be read is yielded with `fields: null` and the reason —
 * text after a closing quote, a field count other than the first record's, a quote left open at the end —
 * and reading goes on with the next line.
 *
 * @example
 * ```ts
 * for await (const r of readCsvRecords(createReadStream('companies.csv'))) {
 *   if (r.fields === null) console.log(`line ${r.line}: ${r.error}`);
 * }
 * ```
 */
export async function* readCsvRecords(
  source: AsyncIterable<Uint8Array>,
  onChunk?: (chunk: Uint8Array) => void,
): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8');
  let line = 1;
  let start = 1;
  let raw = '';
  let fields: string[] = [];
  let field = '';
  let state: State = 'fieldStart';
  let error: string | null = null;
  let expected: number | null = null;
  let first = true;
  const out: CsvRecord[] = [];

  const reset = (): void => {
    raw = '';
    fields = [];
    field = '';
    state = 'fieldStart';
    error = null;
    start = line;
  };

  /** Ends the record at a line break (or the end of the text). */
  const end = (): void => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text === '' && state === 'fieldStart' && fields.length === 0) {
      reset();
      return;
    }
    if (state === 'unquoted' && field.endsWith('\r')) field = field.slice(0, -1);
    if (state !== 'broken') fields.push(field);
    if (error !== null) {
      out.push({ line: start, raw: text, fields: null, error });
    } else if (expected !== null && fields.length !== expected) {
      out.push({
        line: start,
        raw: text,
        fields: null,
        error: `Invalid Record Length: expect ${expected}, got ${fields.length} on line ${start}`,
      });
    } else {
      expected ??= fields.length;
      out.push({ line: start, raw: text, fields });
    }
    reset();
  };

  const consume = (text: string): void => {
    for (const c of text) {
      if (c === '\n') {
        line++;
        if (state !== 'quoted') {
          end();
          continue;
        }
      }
      raw += c;
      switch (state) {
        case 'fieldStart':
          if (c === '"') state = 'quoted';
          else if (c === ',') fields.push('');
          else {
            field = c;
            state = 'unquoted';
          }
          break;
        case 'unquoted':
          if (c === ',') {
            fields.push(field);
            field = '';
            state = 'fieldStart';
          } else field += c;
          break;
        case 'quoted':
          if (c === '"') state = 'afterQuote';
          else field += c;
          break;
        case 'afterQuote':
          if (c === '"') {
            field += '"';
            state = 'quoted';
          } else if (c === ',') {
            fields.push(field);
            field = '';
            state = 'fieldStart';
          } else if (c !== '\r') {
            error = `Invalid Closing Quote: got "${c}" at line ${line} instead of a delimiter`;
            state = 'broken';
          }
          break;
        case 'broken':
          break;
      }
    }
  };

  for await (const chunk of source) {
    onChunk?.(chunk);
    let text = decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    consume(text);
    yield* out;
    out.length = 0;
  }
  consume(decoder.decode());
  if ((state as State) === 'quoted') {
    error = `Quote Not Closed: the text ends with a quote opened on line ${start}`;
    state = 'broken';
  }
  end();
  yield* out;
}

/**
 * Lets go of a CSV source an import has stopped reading, or never started on (refused options): the
 * reader over it (`records`, if one was started) is returned, which returns the source's own iterator —
 * a file stream is destroyed there — and a stream (anything with `destroy`) is destroyed here in any
 * case, with an `'error'` listener attached. Without that listener an error the stream emits afterwards
 * (a file that could not be opened, `ENOENT`, once the import had already answered) reaches the process
 * as an unhandled `'error'` event; the import has reported its own outcome by then.
 *
 * @example
 * ```ts
 * const records = readCsvRecords(source);
 * try {
 *   for await (const r of records) if (r.fields === null) break;
 * } finally {
 *   await releaseSource(source, records);
 * }
 * ```
 */
export async function releaseSource(source: unknown, records?: AsyncGenerator<unknown>): Promise<void> {
  try {
    await records?.return(undefined);
  } catch {
    // The reader failed on its own: that failure is the import's outcome, already on its way.
  }
  if (typeof source !== 'object' || source === null) return;
  const stream = source as { on?: unknown; destroy?: unknown; destroyed?: unknown };
  if (typeof stream.on === 'function') stream.on('error', ignoreError);
  if (typeof stream.destroy === 'function' && stream.destroyed !== true) stream.destroy();
}

function ignoreError(): void {}
