import { connect, createMysqlEventStore, migrate, systemClock, uuidV7Ids } from '@pet-ops/adapters-mysql';
import { createTestDatabase, type TestDatabase } from '@pet-ops/adapters-mysql/testing';
import type { EventDraft, StoredEvent, Uuid } from '@pet-ops/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from './exit-codes.js';
import { pet, startPet } from './pet-process.test.js';
import type { Pool } from './target.js';

let db: TestDatabase;
let pool: Pool;
const prefix = 'ev_';
const stream = uuidV7Ids.next();
const positions: bigint[] = [];

function draft(n: number): EventDraft {
  return {
    eventId: uuidV7Ids.next(),
    type: 'cli_test.noted',
    schemaVersion: 1,
    streamType: 'cli_test',
    occurredAt: systemClock.now(),
    actor: { type: 'system', id: 'e2e' },
    context: {},
    correlationId: null,
    causationId: null,
    payload: { n, text: `note ${n} "quoted" ✓` },
  };
}

async function append(from: number, count: number): Promise<void> {
  const store = createMysqlEventStore({ pool, prefix });
  const r = await store.append(
    stream as Uuid,
    'any',
    Array.from({ length: count }, (_, i) => draft(from + i)),
  );
  positions.push(...r.positions);
}

beforeAll(async () => {
  db = await createTestDatabase(inject('mysqlUrl'));
  pool = await connect({ url: db.url });
  await migrate(pool, { prefix });
  await append(1, 5);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const run = (...args: string[]) => pet([...args, '--prefix', prefix], { MYSQL_URL: db.url });
const lines = (s: string) => s.trimEnd().split('\n');

describe('pet events tail', () => {
  it('prints the last --lines events in position order, one line each', async () => {
    const r = await run('events', 'tail', '-n', '3');
    expect(r.code).toBe(EXIT.ok);
    const out = lines(r.stdout);
    expect(out).toHaveLength(3);
    expect(out.map((l) => l.split('  ')[0])).toEqual(positions.slice(2).map((p) => `#${p}`));
    expect(out[2]).toContain(
      `cli_test.noted v1  cli_test/${stream}@5  {"n":5,"text":"note 5 \\"quoted\\" ✓"}`,
    );
  });

  it('--from starts at a position (inclusive) and reads to the end', async () => {
    const r = await run('events', 'tail', '--from', String(positions[1]));
    expect(r.code).toBe(EXIT.ok);
    expect(lines(r.stdout).map((l) => l.split('  ')[0])).toEqual(positions.slice(1).map((p) => `#${p}`));
  });

  it('--json prints one event per line with the position as a string', async () => {
    const r = await run('events', 'tail', '--json', '--from', String(positions[0]));
    const events = lines(r.stdout).map((l) => JSON.parse(l) as StoredEvent & { position: string });
    expect(events.map((e) => e.position)).toEqual(positions.map(String));
    expect(events[0]).toMatchObject({
      type: 'cli_test.noted',
      streamId: stream,
      streamVersion: 1,
      payload: { n: 1 },
    });
  });

  it('says so when nothing comes after the start', async () => {
    const after = positions.at(-1)! + 1n;
    const r = await run('events', 'tail', '--from', String(after));
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout.trim()).toBe(`no events after position ${after - 1n}`);
  });

  it('--follow prints new events as they commit and stops cleanly on Ctrl-C (exit 0)', async () => {
    const p = startPet(['events', 'tail', '--follow', '--interval', '100', '-n', '1', '--prefix', prefix], {
      MYSQL_URL: db.url,
    });
    try {
      await p.waitFor(`#${positions.at(-1)}`);
      await append(6, 2);
      await p.waitFor(`#${positions.at(-1)}`);
      expect(lines(p.stdout()).map((l) => l.split('  ')[0])).toEqual(positions.slice(-3).map((x) => `#${x}`));
    } finally {
      p.child.kill('SIGINT');
    }
    expect(await p.exited).toBe(EXIT.ok);
    expect(p.stderr()).toBe('');
  });

  it('a bad --from or --lines: exit 2 naming the option and the rule', async () => {
    for (const [flag, value] of [
      ['--from', '0'],
      ['--from', '-4'],
      ['--from', 'abc'],
      ['-n', '0'],
    ] as const) {
      const r = await run('events', 'tail', flag, value);
      expect(r.code).toBe(EXIT.usage);
      expect(r.stderr).toMatch(/must be (an event position|a whole number)/);
    }
  });

  it('a prefix without PET tables: exit 4, one line saying to migrate first', async () => {
    const r = await pet(['events', 'tail', '--prefix', 'none_'], { MYSQL_URL: db.url });
    expect(r.code).toBe(EXIT.schema);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      "Table 'none_domain_events' doesn't exist".replace('none_', `${db.name}.none_`),
    );
    expect(r.stderr).toContain('run `pet migrate up` first');
  });

  it('an unreachable server: exit 3', async () => {
    const r = await pet(['events', 'tail', '--url', 'mysql://root@127.0.0.1:1/pet']);
    expect(r.code).toBe(EXIT.connection);
    expect(r.stderr).toMatch(/^pet: cannot connect to mysql:\/\/root@127\.0\.0\.1:1\/pet/);
  });
});
