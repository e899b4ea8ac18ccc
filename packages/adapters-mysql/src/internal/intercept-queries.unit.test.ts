import { describe, expect, it } from 'vitest';
import { FALL_THROUGH, interceptQueries, type QueryCallback } from './intercept-queries.js';

// The wrapper alone, over plain objects standing for mysql2 connections (the routes' own tests are
// prepared-inserts*.test.ts and the KPI bulk-load tests).

interface FakeConnection {
  threadId: number;
  readonly calls: unknown[][];
  query(...args: unknown[]): unknown;
  self(): unknown;
}

function fakeConnection(threadId = 7): FakeConnection {
  return {
    threadId,
    calls: [],
    query(...args: unknown[]) {
      this.calls.push(args);
      return 'raw result';
    },
    self() {
      return this;
    },
  };
}

/** A pool that hands out `connections` in turn, then `null` with an error. */
function poolOf(...connections: FakeConnection[]) {
  let next = 0;
  return {
    getConnection(callback: (err: unknown, connection: unknown) => void) {
      const connection = connections[next++ % Math.max(connections.length, 1)];
      if (connection === undefined) callback(new Error('no connection'), null);
      else callback(null, connection);
    },
  };
}

function take(pool: ReturnType<typeof interceptQueries>): FakeConnection {
  let taken: unknown;
  pool.getConnection((err, connection) => {
    if (err !== null) throw err;
    taken = connection;
  });
  return taken as FakeConnection;
}

const done: QueryCallback = () => {};

describe('interceptQueries', () => {
  it('given a route that handles a query, when it is sent, then the route gets the raw connection and its result is returned', () => {
    const raw = fakeConnection();
    const routed: unknown[][] = [];
    const pool = interceptQueries<FakeConnection>(poolOf(raw), (connection, sql, values, callback) => {
      routed.push([connection, sql, values, callback]);
      return 'routed result';
    });
    const wrapper = take(pool);
    expect(wrapper.query('SELECT 1', [1], done)).toBe('routed result');
    expect(routed).toEqual([[raw, 'SELECT 1', [1], done]]);
    expect(routed[0]?.[0]).toBe(raw);
    expect(raw.calls).toEqual([]);
  });

  it('given a route that falls through, when a query is sent, then the raw query gets the same three arguments and its result is returned', () => {
    const raw = fakeConnection();
    const pool = interceptQueries(poolOf(raw), () => FALL_THROUGH);
    const wrapper = take(pool);
    expect(wrapper.query('SELECT 1', [1], done)).toBe('raw result');
    expect(wrapper.query('SELECT 2')).toBe('raw result');
    expect(raw.calls).toEqual([
      ['SELECT 1', [1], done],
      ['SELECT 2', undefined, undefined],
    ]);
  });

  it('given a route that sends on the raw connection, when it does, then that query is not routed again', () => {
    const raw = fakeConnection();
    let routed = 0;
    const pool = interceptQueries<FakeConnection>(poolOf(raw), (connection, sql, values, callback) => {
      routed++;
      return sql === 'LOAD' ? connection.query({ sql, values }, callback) : FALL_THROUGH;
    });
    take(pool).query('LOAD', [], done);
    expect(routed).toBe(1);
    expect(raw.calls).toEqual([[{ sql: 'LOAD', values: [] }, done]]);
  });

  it('binds every other function member to the raw connection, also when taken off the wrapper', () => {
    const raw = fakeConnection();
    const wrapper = take(interceptQueries(poolOf(raw), () => FALL_THROUGH));
    expect(wrapper.self()).toBe(raw);
    const { self } = wrapper;
    expect(self()).toBe(raw);
  });

  it('reads other properties through from the raw connection, as they are now', () => {
    const raw = fakeConnection(7);
    const wrapper = take(interceptQueries(poolOf(raw), () => FALL_THROUGH));
    expect(wrapper.threadId).toBe(7);
    raw.threadId = 8;
    expect(wrapper.threadId).toBe(8);
    expect(wrapper.calls).toBe(raw.calls);
  });

  it('keeps one wrapper per raw connection, also across wrappers of one pool', () => {
    const a = fakeConnection(1);
    const b = fakeConnection(2);
    const pool = interceptQueries(poolOf(a, b), () => FALL_THROUGH);
    const [first, second, third, fourth] = [take(pool), take(pool), take(pool), take(pool)];
    expect(first).toBe(third);
    expect(second).toBe(fourth);
    expect(first).not.toBe(second);
    expect(first).not.toBe(a);
    expect([first.threadId, second.threadId]).toEqual([1, 2]);
  });

  it('given the pool has no connection, when one is asked for, then its error and null are passed on as they are', () => {
    const pool = interceptQueries(poolOf(), () => FALL_THROUGH);
    const seen: unknown[][] = [];
    pool.getConnection((err, connection) => seen.push([err, connection]));
    expect(seen).toEqual([[new Error('no connection'), null]]);
  });
});
