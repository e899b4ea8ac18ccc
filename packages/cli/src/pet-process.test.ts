// Not a test file: runs the `pet` bin as a child process for the e2e tests. The `.test.ts` suffix keeps
// it out of the build and the published files. The bin runs from source (tsx, `@pet-ops/source`), so
// the tests need no build; `pnpm build` + `node dist/cli/main.js` is the same program bundled.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const NODE_ARGS = ['--import', 'tsx', '--conditions=@pet-ops/source', MAIN];

/** What one `pet` run printed and how it ended. */
export interface PetRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function childEnv(env: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, ...env };
  // The tests decide the connection; an outer PET_DEBUG would add stack traces to stderr.
  delete base['PET_DEBUG'];
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete base[k];
  return base;
}

/** Runs `pet <args>` to completion. */
export function pet(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<PetRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...NODE_ARGS, ...args],
      { cwd: ROOT, env: childEnv(env), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') return reject(error);
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/**
 * Runs `pet <args>` on a pseudo-terminal (util-linux `script`), as a user at a terminal would: stdout is
 * a TTY, so progress bars are drawn. Returns the raw terminal output (escape sequences included).
 */
export function petOnTerminal(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<PetRun> {
  const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, ...NODE_ARGS, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      'script',
      ['-qec', command, '/dev/null'],
      { cwd: ROOT, env: childEnv(env) },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') return reject(error);
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/** A running `pet` process (for `--follow`). */
export interface PetProcess {
  readonly child: ChildProcess;
  /** Everything printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout contains `text` (rejects after `timeoutMs`). */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Starts `pet <args>` and returns at once. */
export function startPet(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): PetProcess {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, env: childEnv(env) });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    out += s;
    for (const l of listeners) l();
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    err += s;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(text, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!out.includes(text)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`pet did not print '${text}' within ${timeoutMs} ms; stdout: ${out}; stderr: ${err}`),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
}
