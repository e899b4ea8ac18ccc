// Not a test file: spawns migrate-child.test.ts for the crash and concurrency tests.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./migrate-child.test.ts', import.meta.url));

/** A running child migrator. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves with the first stdout line that starts with one of `prefixes`. */
  readonly line: (...prefixes: string[]) => Promise<string>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  readonly output: () => string;
}

/** Starts a child migrator with the given environment. */
export function startChild(env: Readonly<Record<string, string>>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@pet-ops/source', script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { prefixes: string[]; resolve: (l: string) => void }[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const check = (): void => {
    for (const l of out.split('\n')) {
      for (const w of [...waiters]) {
        if (w.prefixes.some((p) => l.startsWith(p))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    check();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return {
    process: child,
    exited,
    output: () => `${out}${err}`,
    line: (...prefixes) =>
      new Promise<string>((resolve, reject) => {
        waiters.push({ prefixes, resolve });
        check();
        void exited.then(() => {
          check();
          if (waiters.some((w) => w.prefixes === prefixes)) {
            reject(new Error(`child exited without printing ${prefixes.join('|')}:\n${out}${err}`));
          }
        });
      }),
  };
}
