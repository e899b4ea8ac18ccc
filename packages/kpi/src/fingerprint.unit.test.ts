import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { stableJson, stableJsonWith } from './fingerprint.js';

describe('stable JSON', () => {
  test.prop([
    fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })),
    fc.string({ maxLength: 6 }),
    fc.jsonValue({ maxDepth: 2 }),
  ])('stableJsonWith gives the texts of the object without and with one more member', (o, key, value) => {
    expect(stableJsonWith(o, key, value)).toEqual([stableJson(o), stableJson({ ...o, [key]: value })]);
  });
});
