import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { frozenTriggerName, guardTableName, guardTriggerName, MAX_TABLE_NAME_LENGTH } from './index.js';
import { migrations } from './list/index.js';
import { expectedSchema, type TableModel } from './model.js';
import {
  derivedName,
  MAX_IDENTIFIER_LENGTH,
  MAX_PREFIX_LENGTH,
  TABLE_PREFIX_PATTERN,
  tablePrefixIssue,
} from './naming.js';

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,43}$/);
const prefix = fc.stringMatching(/^[A-Za-z0-9_]{0,20}$/);

describe('derived names', () => {
  test.prop([prefix, name, fc.constantFrom('update' as const, 'delete' as const)])(
    'property: for any prefix up to 20 characters and any table name, every trigger name fits 64',
    (p, table, event) => {
      expect(`${p}${table}`.length).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
      expect(`${p}${guardTriggerName(table, event)}`.length).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
      expect(`${p}${frozenTriggerName(table, 'frozen_content')}`.length).toBeLessThanOrEqual(
        MAX_IDENTIFIER_LENGTH,
      );
    },
  );

  test.prop([fc.stringMatching(/^[a-z_]{1,80}$/)])(
    'property: a name that fits is kept as it is; a longer one is cut to 44 with a hash of the whole',
    (full) => {
      const d = derivedName(full);
      if (full.length <= 44) expect(d).toBe(full);
      else {
        expect(d).toHaveLength(44);
        expect(d.startsWith(full.slice(0, 35))).toBe(true);
        expect(d).toMatch(/_[0-9a-f]{8}$/);
      }
    },
  );

  test('given two long names with the same head, when derived, then they differ', () => {
    const head = 'x'.repeat(50);
    expect(derivedName(`${head}_no_update`)).not.toBe(derivedName(`${head}_no_delete`));
  });

  test('given every trigger of the released list, when derived, then each name is the one it always had (<table>_no_<event>, <table>_<name>)', () => {
    const triggers = (t: TableModel): [string, string][] => [
      ...t.guards.map((g): [string, string] => [
        guardTriggerName(guardTableName(t, g), g),
        `${guardTableName(t, g)}_no_${g}`,
      ]),
      ...t.frozen.map((f): [string, string] => [
        frozenTriggerName(f.createdOn ?? t.name, f.name),
        `${f.createdOn ?? t.name}_${f.name}`,
      ]),
    ];
    const all = expectedSchema(migrations).tables.flatMap(triggers);
    expect(all.length).toBeGreaterThan(40);
    for (const [derived, plain] of all) expect(derived).toBe(plain);
  });
});

describe('table prefixes', () => {
  test.prop([prefix])(
    'property: every prefix of letters, digits and _ up to 20 characters is accepted',
    (p) => {
      expect(tablePrefixIssue(p)).toBeUndefined();
      expect(new RegExp(TABLE_PREFIX_PATTERN).test(p)).toBe(true);
    },
  );

  test('given a prefix of 21 characters, when checked, then the rule names the 20-character limit and why', () => {
    expect(tablePrefixIssue('p'.repeat(MAX_PREFIX_LENGTH + 1))).toBe(
      "is 21 characters; at most 20, so every table and trigger name (<prefix><name>) fits MariaDB's 64-character identifiers (^[A-Za-z0-9_]{0,20}$)",
    );
  });

  test.each([['wp-pet'], ['wp pet'], ['é'], [42], [null]])(
    'given %j, when checked, then the pattern is named',
    (p) => {
      expect(tablePrefixIssue(p)).toBe('must match ^[A-Za-z0-9_]{0,20}$');
    },
  );

  test('given the limits, then the longest prefix and the longest table name make exactly 64', () => {
    expect(MAX_PREFIX_LENGTH + MAX_TABLE_NAME_LENGTH).toBe(MAX_IDENTIFIER_LENGTH);
  });
});
