import { Presets, SingleBar } from 'cli-progress';
import type { Output } from './io.js';

/** A progress bar that draws only on a terminal (never in JSON mode or into a pipe). */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number, label?: string): void;
  setTotal(total: number): void;
  stop(): void;
}

const silent: Progress = { start() {}, update() {}, setTotal() {}, stop() {} };

export function createProgress(out: Output): Progress {
  if (!out.interactive) return silent;
  const bar = new SingleBar(
    {
      format: '{bar} {value}/{total} {label}',
      stream: out.io.stdout as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let running = false;
  return {
    start(total, label) {
      running = true;
      bar.start(total, 0, { label });
    },
    update(done, label) {
      if (running) bar.update(done, label === undefined ? {} : { label });
    },
    setTotal(total) {
      if (running) bar.setTotal(total);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
