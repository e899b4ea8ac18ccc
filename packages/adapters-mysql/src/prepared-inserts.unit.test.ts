import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PREPARE_MIN_PARAMETERS, PREPARED_PER_CONNECTION, preparingInserts } from './prepared-inserts.js';

// The routing alone, over a recording stand-in for a mysql2 connection (the database's side is
// prepared-inserts.int.test.ts).
type Call = readonly ['query' | 'execute', string];

function recording(executeFails?: { errno: number }) {
  const calls: Call[] = [];
  const raw = {
    threadId: 7,
    query(sql: string, _values: unknown, cb: (err: unknown, result?: unknown) => void) {
      calls.push(['query', sql]);
      cb(null, { affectedRows: 1 });
    },
    execute(sql: string, _values: unknown, cb: (err: unknown, result?: unknown) => void) {
      calls.push(['execute', sql]);
      if (executeFails === undefined) cb(null, { affectedRows: 1 });
      else cb(executeFails);
    },
  };
  const pool = preparingInserts({ getConnection: (cb) => cb(null, raw) });
  const send = (sql: string, parameters: number): Promise<unknown> =>
    new Promise((resolve, reject) =>
      pool.getConnection((_, c) =>
        (c as typeof raw).query(sql, new Array(parameters).fill(0), (err, result) =>
          err ? reject(err) : resolve(result),
        ),
      ),
    );
  return { calls, send, raw };
}

const big = PREPARE_MIN_PARAMETERS;

describe('preparingInserts', () => {
  it('given a large INSERT, when it is sent again, then it goes prepared from its second time on', async () => {
    const { calls, send } = recording();
    for (let i = 0; i < 3; i++) await send('INSERT INTO t VALUES …', big);
    expect(calls.map((c) => c[0])).toEqual(['query', 'execute', 'execute']);
  });

  it('given small INSERTs and large statements of other kinds, when sent repeatedly, then all go as text', async () => {
    const { calls, send } = recording();
    for (let i = 0; i < 3; i++) {
      await send('INSERT INTO t VALUES (?)', big - 1);
      await send('SELECT * FROM t WHERE id IN (…)', big * 2);
      await send('UPDATE t SET …', big * 2);
    }
    expect(calls.every((c) => c[0] === 'query')).toBe(true);
  });

  it('given the server at its prepared-statement cap (1461), when a prepare is refused, then the INSERT runs as text and the connection prepares nothing more', async () => {
    const { calls, send } = recording({ errno: 1461 });
    await send('INSERT INTO a VALUES …', big);
    await expect(send('INSERT INTO a VALUES …', big)).resolves.toEqual({ affectedRows: 1 });
    await send('INSERT INTO a VALUES …', big);
    expect(calls.map((c) => c[0])).toEqual(['query', 'execute', 'query', 'query']);
  });

  it('given another error from a prepared INSERT, when it fails, then the error is the caller’s and nothing runs again', async () => {
    const { calls, send } = recording({ errno: 1062 });
    await send('INSERT INTO a VALUES …', big);
    await expect(send('INSERT INTO a VALUES …', big)).rejects.toEqual({ errno: 1062 });
    expect(calls.map((c) => c[0])).toEqual(['query', 'execute']);
  });

  it('keeps the wrapped connection’s other members (threadId) and one wrapper per connection', () => {
    const { raw } = recording();
    const pool = preparingInserts({ getConnection: (cb) => cb(null, raw) });
    const seen: unknown[] = [];
    pool.getConnection((_, c) => seen.push(c));
    pool.getConnection((_, c) => seen.push(c));
    expect(seen[0]).toBe(seen[1]);
    expect((seen[0] as { threadId: number }).threadId).toBe(7);
  });

  it(`property: whatever INSERTs one connection sends, at most ${PREPARED_PER_CONNECTION} distinct texts go prepared`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ shape: fc.integer({ min: 0, max: 20 }), large: fc.boolean() }), {
          maxLength: 200,
        }),
        async (statements) => {
          const { calls, send } = recording();
          for (const s of statements) await send(`INSERT INTO t /* ${s.shape} */`, s.large ? big : 14);
          const prepared = new Set(calls.filter((c) => c[0] === 'execute').map((c) => c[1]));
          expect(prepared.size).toBeLessThanOrEqual(PREPARED_PER_CONNECTION);
          // A text sent prepared was sent large at least twice.
          for (const text of prepared) {
            expect(
              statements.filter((s) => s.large && text.includes(`/* ${s.shape} */`)).length,
            ).toBeGreaterThanOrEqual(2);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
