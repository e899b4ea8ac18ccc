import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AnyTransaction } from '@pet-ops/sql';
import { CompiledQuery } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ClientLoan, LOAN_RESULT } from './cursor.js';

/**
 * The data of one `COPY … FROM STDIN`, carried to the connection as the only parameter of the statement:
 * Kysely hands a statement's text and parameters to the pool's client and nothing else, so the client of
 * {@link copyCapablePool} recognises this parameter and runs the COPY on itself — inside whatever
 * transaction that connection is in. The data is text COPY format, in pieces of any length.
 */
class CopyIn {
  constructor(readonly data: Iterable<string> | AsyncIterable<string>) {}
  /** node-postgres asks a parameter object for its value: this one never is a value. */
  toPostgres(): never {
    throw new TypeError(
      'a COPY … FROM STDIN reached a connection that cannot run it: use a Kysely over postgresDialect',
    );
  }
}

/**
 * What the client answers for a COPY, in the shape Kysely reads from `client.query`: Kysely reports no
 * affected rows for a `COPY` command, so the server's count comes back as the one row of the result.
 */
interface CopyResult {
  readonly command: 'COPY';
  readonly rowCount: number;
  readonly rows: readonly [{ readonly copied: number }];
}

async function runCopy(client: pg.PoolClient, text: string, job: CopyIn): Promise<CopyResult> {
  const stream = client.query(copyFrom(text));
  // pipeline: back-pressure from the socket; a failing source destroys the stream, which sends CopyFail.
  await pipeline(Readable.from(job.data, { objectMode: false }), stream);
  return { command: 'COPY', rowCount: stream.rowCount, rows: [{ copied: stream.rowCount }] };
}

const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>();

/** The client as Kysely sees it: the same object for the same client (Kysely keys its connections on it). */
function copyCapableClient(client: pg.PoolClient): pg.PoolClient {
  let w = wrapped.get(client);
  if (w === undefined) {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    w = new Proxy(client, {
      get(target, property) {
        if (property === 'query') {
          return (text: unknown, values?: unknown, callback?: unknown) => {
            if (typeof text === 'string' && Array.isArray(values) && values[0] instanceof CopyIn) {
              return runCopy(target, text, values[0]);
            }
            if (Array.isArray(values) && values[0] instanceof ClientLoan) {
              return values[0].use(target).then(() => LOAN_RESULT);
            }
            return callback === undefined ? query(text, values) : query(text, values, callback);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    wrapped.set(client, w);
  }
  return w;
}

/**
 * The pool as {@link postgresDialect} gives it to Kysely's `PostgresDialect`: the same pool, whose
 * clients also run a `COPY … FROM STDIN` sent with {@link copyInto} and lend themselves to a
 * `ClientLoan` (`streamRows`' cursor); every other query passes through unchanged. Kysely's `end()` ends the pool, as it would end the pool itself.
 */
export function copyCapablePool(pool: pg.Pool): pg.Pool {
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'connect') {
        return async () => copyCapableClient(await target.connect());
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * One value as a field of text COPY format, as node-postgres would send it as a parameter: `\N` for
 * `null`/`undefined`, numbers, bigints and booleans as their text, objects as JSON, strings as they are;
 * backslash, tab, newline and carriage return escaped. The server then parses the same text the INSERT
 * would have sent, so the stored value is the same.
 *
 * @example `copyField('a\tb')` → `'a\\tb'`; `copyField(null)` → `'\\N'`
 */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  switch (typeof value) {
    case 'string':
      text = value;
      break;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object':
      if (value instanceof Date || value instanceof Uint8Array) {
        throw new TypeError('copyField: pass instants as their canonical text and bytes as hex text');
      }
      text = JSON.stringify(value);
      break;
    default:
      throw new TypeError(`copyField: cannot encode a ${typeof value}`);
  }
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c] as string) : text;
}

/** A table or column name quoted for PostgreSQL. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * Runs `COPY <table> (<columns>) FROM STDIN` (text format) on the connection of `trx`, inside its
 * transaction, with `data` as the rows (lines of {@link copyField}s joined by tabs, each ending in a
 * newline; pieces of any size). `trx` must be a transaction of a Kysely over {@link postgresDialect}.
 * Driver errors are left to the caller to classify. Resolves with the rows the server stored.
 *
 * @example
 * ```ts
 * await db.transaction().execute((trx) => copyInto(trx, 'pet_notes', ['id', 'body'], [`${id}\t${copyField(body)}\n`]));
 * ```
 */
export async function copyInto(
  trx: AnyTransaction,
  table: string,
  columns: readonly string[],
  data: Iterable<string> | AsyncIterable<string>,
): Promise<number> {
  const text = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`;
  const result = await trx.executeQuery<{ copied: number }>(CompiledQuery.raw(text, [new CopyIn(data)]));
  const copied = result.rows[0]?.copied;
  if (typeof copied !== 'number')
    throw new TypeError('copyInto: the COPY ran on a connection of another pool');
  return copied;
}
