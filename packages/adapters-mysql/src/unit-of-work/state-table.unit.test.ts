import { ValidationError } from '@pet-ops/core';
import { describe, expect, it } from 'vitest';
import { encodeStateColumns, stateColumnsOf } from './state-table.js';

describe('encodeStateColumns', () => {
  it('turns values into bind values: JSON for objects, text for bigint, 1/0 for booleans', () => {
    expect(
      encodeStateColumns({
        s: "it's",
        n: 3,
        b: 12345678901234567890n,
        t: true,
        f: false,
        z: null,
        j: { a: [1] },
      }),
    ).toEqual([
      ['s', "it's"],
      ['n', 3],
      ['b', '12345678901234567890'],
      ['t', 1],
      ['f', 0],
      ['z', null],
      ['j', '{"a":[1]}'],
    ]);
    const bytes = encodeStateColumns({ raw: new Uint8Array([1, 2]) });
    expect(Buffer.isBuffer(bytes[0]?.[1])).toBe(true);
  });

  it('names every bad column: reserved, unsafe names, values with no column form', () => {
    let error: unknown;
    try {
      encodeStateColumns({ id: 'x', Version: 1, 'bad name': 1, f: () => 1, u: undefined, nan: Number.NaN });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toEqual([
      'state.id',
      'state.Version',
      'state.bad name',
      'state.f',
      'state.u',
      'state.nan',
    ]);
  });

  it('refuses a state encoding that is not an object', () => {
    expect(() => encodeStateColumns([1])).toThrow(ValidationError);
    expect(() => encodeStateColumns(null)).toThrow(ValidationError);
  });

  it('gives decode the state columns only', () => {
    expect(stateColumnsOf({ id: Buffer.alloc(16), version: 3, title: 'x' })).toEqual({ title: 'x' });
  });
});
