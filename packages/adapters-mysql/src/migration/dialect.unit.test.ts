import { CURRENT_INSTANT, col, defineMigration, expectedSchema, type Operation } from '@pet-ops/migrations';
import { describe, expect, test } from 'vitest';
import { columnShape, compileOperation, schemaShape, sqlType } from './dialect.js';
import { physicalTrigger, type TriggerShape } from './shape.js';

describe('compiling operations to MySQL/MariaDB', () => {
  test.each<[Operation, string]>([
    [
      { op: 'addColumn', table: 'quotes', column: col.money('total', { default: 0 }) },
      'ALTER TABLE `p_quotes` ADD COLUMN `total` BIGINT NOT NULL DEFAULT 0, ALGORITHM=INSTANT',
    ],
    [
      { op: 'addColumn', table: 'quotes', column: col.enum('state', ['draft', 'sent'], { nullable: true }) },
      "ALTER TABLE `p_quotes` ADD COLUMN `state` ENUM('draft','sent') NULL, ALGORITHM=INSTANT",
    ],
    [
      { op: 'addIndex', table: 'quotes', index: { name: 'ix_state', columns: ['state', 'total'] } },
      'ALTER TABLE `p_quotes` ADD INDEX `ix_state` (`state`, `total`), ALGORITHM=INPLACE, LOCK=NONE',
    ],
    [
      { op: 'addUnique', table: 'quotes', index: { name: 'uq_number', columns: ['number'] } },
      'ALTER TABLE `p_quotes` ADD UNIQUE KEY `uq_number` (`number`), ALGORITHM=INPLACE, LOCK=NONE',
    ],
    [
      { op: 'renameTable', table: 'activity_feed', to: 'activity_feed_projections' },
      'RENAME TABLE `p_activity_feed` TO `p_activity_feed_projections`',
    ],
    [
      { op: 'appendOnlyGuard', table: 'x'.repeat(44), event: 'update' },
      `CREATE TRIGGER \`p_${'x'.repeat(35)}_73ae3fbf\` BEFORE UPDATE ON \`p_${'x'.repeat(44)}\` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${'x'.repeat(44)} is append-only'`,
    ],
    [
      { op: 'appendOnlyGuard', table: 'quote_versions', event: 'delete' },
      "CREATE TRIGGER `p_quote_versions_no_delete` BEFORE DELETE ON `p_quote_versions` FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'quote_versions is append-only'",
    ],
    [
      {
        op: 'backfill',
        table: 'quotes',
        column: 'currency',
        value: { kind: 'value', value: 'EUR' },
        description: 'd',
      },
      "UPDATE `p_quotes` SET `currency` = 'EUR' WHERE `currency` IS NULL",
    ],
    [
      {
        op: 'backfill',
        table: 'quotes',
        column: 'label',
        value: { kind: 'copyColumn', column: 'code' },
        description: 'd',
      },
      'UPDATE `p_quotes` SET `label` = `code` WHERE `label` IS NULL',
    ],
  ])('given an operation, when compiled, then it is exactly one statement (%#)', (op, sql) => {
    const compiled = compileOperation(op, 'p_');
    expect(compiled.sql).toBe(sql);
    expect(compiled.sql).not.toContain(';');
    expect(compiled.sql).not.toMatch(/IF NOT EXISTS/i);
  });

  test('given a table, when compiled, then it is utf8mb4 InnoDB with its keys and its probe expects its shape', () => {
    const compiled = compileOperation(
      {
        op: 'createTable',
        table: 't',
        columns: [
          col.bigintAutoIncrement('seq'),
          col.instant('at', { default: CURRENT_INSTANT }),
          col.bool('on', { default: true }),
        ],
        primaryKey: ['seq'],
        indexes: [{ name: 'ix_at', columns: ['at'] }],
      },
      '',
    );
    expect(compiled.sql).toBe(
      'CREATE TABLE `t` (\n  `seq` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n  `at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n  `on` BOOLEAN NOT NULL DEFAULT 1,\n  PRIMARY KEY (`seq`),\n  KEY `ix_at` (`at`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
    );
    expect(compiled.probe).toMatchObject({
      kind: 'table',
      expected: {
        columns: [
          {
            name: 'seq',
            properties: [
              ['type', 'bigint unsigned'],
              ['nullable', 'false'],
              ['default', '(none)'],
              ['auto_increment', 'true'],
            ],
          },
          {
            name: 'at',
            properties: [
              ['type', 'datetime(6)'],
              ['nullable', 'false'],
              ['default', 'current_timestamp(6)'],
              ['auto_increment', 'false'],
            ],
          },
          {
            name: 'on',
            properties: [
              ['type', 'tinyint(1)'],
              ['nullable', 'false'],
              ['default', '1'],
              ['auto_increment', 'false'],
            ],
          },
        ],
        indexes: [
          { name: 'PRIMARY', definition: 'UNIQUE (seq)' },
          { name: 'ix_at', definition: '(at)' },
        ],
        triggers: [],
      },
    });
  });

  test('given a frozen-columns guard, when compiled, then it is one CREATE TRIGGER with a NULL-safe comparison per column, and its probe and the table shape expect that trigger', () => {
    const op: Operation = {
      op: 'frozenColumnsGuard',
      table: 'quotes',
      name: 'frozen',
      columns: ['title', 'total'],
      when: { column: 'state', values: ['accepted', 'rejected'] },
    };
    const compiled = compileOperation(op, 'p_');
    const body =
      "IF OLD.`state` IN ('accepted', 'rejected') AND (NOT (OLD.`title` <=> NEW.`title`) OR NOT (OLD.`total` <=> NEW.`total`)) THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'quotes.frozen: title, total cannot change'; END IF";
    expect(compiled.sql).toBe(
      `CREATE TRIGGER \`p_quotes_frozen\` BEFORE UPDATE ON \`p_quotes\` FOR EACH ROW ${body}`,
    );
    expect(compiled.probe).toEqual({
      kind: 'trigger',
      table: 'p_quotes',
      expected: { name: 'p_quotes_frozen', timing: 'BEFORE', event: 'UPDATE', statement: body },
    });
    const { when: _when, ...unconditional } = op as Extract<Operation, { op: 'frozenColumnsGuard' }>;
    const always = compileOperation(unconditional, '');
    expect(always.sql).toContain('FOR EACH ROW IF NOT (OLD.`title` <=> NEW.`title`) OR NOT');

    const model = expectedSchema([
      defineMigration({
        id: '2026_12_06_0001_t',
        name: 't',
        operations: [
          {
            op: 'createTable',
            table: 'quotes',
            columns: [
              col.id('id'),
              col.enum('state', ['open', 'accepted', 'rejected']),
              col.text('title', 9),
              col.money('total'),
            ],
            primaryKey: ['id'],
          },
          { op: 'appendOnlyGuard', table: 'quotes', event: 'delete' },
          op,
        ],
      }),
    ]);
    const triggers = schemaShape('p_', model).tables[0]?.triggers;
    expect(triggers?.map((t) => [t.name, t.definition.split(':')[0]])).toEqual([
      ['p_quotes_no_delete', 'BEFORE DELETE'],
      ['p_quotes_frozen', 'BEFORE UPDATE'],
    ]);
    expect(compiled.probe.kind).toBe('trigger');
    expect(physicalTrigger((compiled.probe as { expected: TriggerShape }).expected)).toEqual(triggers?.[1]);
  });

  test('given a frozen-columns guard with many columns, when compiled, then its message fits MESSAGE_TEXT (128 characters)', () => {
    const columns = Array.from({ length: 30 }, (_, i) => `column_${i}`);
    const { sql } = compileOperation({ op: 'frozenColumnsGuard', table: 't', name: 'frozen', columns }, '');
    const message = /MESSAGE_TEXT = '([^']*)'/.exec(sql)?.[1] ?? '';
    expect(message.length).toBe(128);
    expect(message.endsWith('...')).toBe(true);
  });

  test('the logical types map to MySQL types without floats', () => {
    expect(
      [
        col.id('a'),
        col.int('b', { unsigned: true }),
        col.smallint('c'),
        col.money('d'),
        col.minutes('e'),
        col.basisPoints('f'),
        col.text('g', 10),
        col.longText('h'),
        col.json('i'),
      ].map(sqlType),
    ).toEqual([
      'BINARY(16)',
      'INT UNSIGNED',
      'SMALLINT',
      'BIGINT',
      'INT',
      'INT',
      'VARCHAR(10)',
      'LONGTEXT',
      'JSON',
    ]);
    expect(columnShape(col.text('g', 10, { nullable: true, default: 'x' }))).toEqual({
      name: 'g',
      type: 'varchar(10)',
      nullable: true,
      default: 'x',
      autoIncrement: false,
    });
  });
});

describe('a renamed table', () => {
  test('given a guarded and frozen table renamed, then its expected shape keeps the trigger names and messages it was made with', () => {
    const m = defineMigration({
      id: '2027_01_01_0001_t',
      name: 't',
      operations: [
        { op: 'createTable', table: 't', columns: [col.id('id'), col.text('a', 5)], primaryKey: ['id'] },
        { op: 'appendOnlyGuard', table: 't', event: 'delete' },
        { op: 'frozenColumnsGuard', table: 't', name: 'frozen', columns: ['a'] },
        { op: 'renameTable', table: 't', to: 'things' },
        { op: 'appendOnlyGuard', table: 'things', event: 'update' },
      ],
    });
    const [shape] = schemaShape('p_', expectedSchema([m])).tables;
    expect(shape?.name).toBe('p_things');
    expect(shape?.triggers.map((t) => [t.name, t.definition])).toEqual([
      ['p_t_no_delete', "BEFORE DELETE: SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 't is append-only'"],
      [
        'p_things_no_update',
        "BEFORE UPDATE: SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'things is append-only'",
      ],
      [
        'p_t_frozen',
        "BEFORE UPDATE: IF NOT (OLD.`a` <=> NEW.`a`) THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 't.frozen: a cannot change'; END IF",
      ],
    ]);
  });
});
