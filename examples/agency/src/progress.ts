import { Presets, SingleBar } from 'cli-progress';

/** Progress of one phase: a bar on a terminal, one line per phase (and a few in between) otherwise. */
export interface Phase {
  tick(by?: number): void;
  done(summary?: string): void;
}

/** Starts phases; quiet (JSON output) prints nothing at all. */
export interface Progress {
  phase(label: string, total: number): Phase;
  note(line: string): void;
}

/**
 * @example
 * ```ts
 * const p = createProgress({ stream: process.stderr, quiet: false }).phase('leads', 150);
 * p.tick(); p.done('150 leads');
 * ```
 */
export function createProgress(options: {
  readonly stream: NodeJS.WriteStream;
  readonly quiet: boolean;
}): Progress {
  const { stream, quiet } = options;
  const write = (line: string): void => {
    if (!quiet) stream.write(`${line}\n`);
  };
  return {
    note: write,
    phase(label, total) {
      const started = performance.now();
      let n = 0;
      const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
      if (!quiet && stream.isTTY === true) {
        const bar = new SingleBar(
          { format: `  ${label.padEnd(24)} {bar} {value}/{total}`, stream, hideCursor: true },
          Presets.shades_classic,
        );
        bar.start(Math.max(total, 1), 0);
        return {
          tick(by = 1) {
            n += by;
            bar.update(n);
          },
          done(summary) {
            bar.update(Math.max(total, 1));
            bar.stop();
            write(`  ${label}: ${summary ?? `${n}`} (${elapsed()})`);
          },
        };
      }
      // Not a terminal: a line at each quarter of the work, so logs show it moving without flooding.
      const step = Math.max(1, Math.ceil(total / 4));
      let next = step;
      return {
        tick(by = 1) {
          n += by;
          if (n >= next && n < total) {
            write(`  ${label}: ${n}/${total}`);
            next += step;
          }
        },
        done(summary) {
          write(`  ${label}: ${summary ?? `${n}/${total}`} (${elapsed()})`);
        },
      };
    },
  };
}
