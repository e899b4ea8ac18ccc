// Not a test file: the child process of crash.int.test.ts and concurrency.int.test.ts, run as
//   node --import tsx --conditions=@pet-ops/source migrate-child.test.ts
// Environment: MIGRATE_URL, MIGRATE_PREFIX; PAUSE_AT=k stops forever at the k-th progress event
// (after printing `paused <event>`) so the test can SIGKILL it exactly there; WAIT_FOR_GO=1 prints
// `ready` and waits for a line on stdin before migrating; SLOW_MS delays each migration start.
// Prints `result <json>` when the run ends.
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPetError } from '@pet-ops/core';
import { migrate } from './engine.js';
import { crashList, extendedIds } from './fixtures.test.js';

const { MIGRATE_URL: url = '', MIGRATE_PREFIX: prefix = '', PAUSE_AT, SLOW_MS, WAIT_FOR_GO } = process.env;
const pauseAt = Number(PAUSE_AT ?? '0');
const slowMs = Number(SLOW_MS ?? '0');

if (WAIT_FOR_GO === '1') {
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
}

let seen = 0;
try {
  const result = await migrate(url, {
    prefix,
    migrations: crashList,
    target: extendedIds.at(-1) as string,
    lockTimeoutSeconds: 60,
    onProgress: async (p) => {
      seen++;
      if (seen === pauseAt) {
        process.stdout.write(`paused ${JSON.stringify(p)}\n`);
        // Keep the process (and its connection and lock) alive until the test kills it.
        setInterval(() => undefined, 1000);
        await new Promise(() => undefined);
      }
      if (slowMs > 0 && p.kind === 'migration-started') await sleep(slowMs);
    },
  });
  process.stdout.write(`result ${JSON.stringify(result)}\n`);
} catch (e) {
  process.stdout.write(`error ${isPetError(e) ? e.code : 'UNKNOWN'} ${(e as Error).message}\n`);
  process.exitCode = 1;
}
