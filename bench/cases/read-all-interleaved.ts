// read-all-interleaved: read-all's two sides (read-all-sides.ts) alternated in one process — a warm-up
// read of each, then three pairs (raw, lib), (lib, raw), (raw, lib), each read timed with its client CPU. One
// process sees one machine speed on both sides: on a 2-core VM whose speed drifts by ±25 % between
// processes minutes apart, read-all's separate processes move its ratio by as much. `extra.ratioInProcess`
// is the median of the pairs' ratios (raw seconds ÷ library seconds). lib: the library's median events/s;
// raw: the raw side's (both modes run the same loop; peak RSS is the two sides' together). With --each
// the library side is `forEachEvent` (the read-all-each-interleaved case).
import { emit, peakRssMb } from '../harness.js';
import { readAllCase, readAllLib, readAllLibEach, readAllRaw } from '../read-all-sides.js';

interface Timed {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const run = await readAllCase(process.argv);
if (run !== null) {
  const { args, url, expected } = run;
  const readAllLibSide = process.argv.includes('--each') ? readAllLibEach : readAllLib;
  const time = async (read: (url: string) => Promise<number>): Promise<Timed> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const count = await read(url);
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    if (count !== expected) throw new Error(`read ${count} events, expected ${expected}`);
    return { seconds, cpuSeconds: (c.user + c.system) / 1e6 };
  };
  // Both sides warmed up (driver parsers generated, code optimised) before any read is counted.
  await time(readAllRaw);
  await time(readAllLibSide);
  const pairs: { raw: Timed; lib: Timed }[] = [];
  for (let i = 0; i < 3; i++) {
    if (i % 2 === 0) {
      const raw = await time(readAllRaw);
      pairs.push({ raw, lib: await time(readAllLibSide) });
    } else {
      const lib = await time(readAllLibSide);
      pairs.push({ lib, raw: await time(readAllRaw) });
    }
  }
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  const side = args.mode === 'lib' ? 'lib' : 'raw';
  emit({
    value: expected / median(pairs.map((p) => p[side].seconds)),
    unit: 'events/s',
    rssPeakMb: peakRssMb(),
    extra: {
      ratioInProcess: r3(median(pairs.map((p) => p.raw.seconds / p.lib.seconds))),
      cpuRatioInProcess: r3(median(pairs.map((p) => p.raw.cpuSeconds / p.lib.cpuSeconds))),
      pairs: pairs.map((p) => ({
        raw: r3(p.raw.seconds),
        lib: r3(p.lib.seconds),
        rawCpu: r3(p.raw.cpuSeconds),
        libCpu: r3(p.lib.cpuSeconds),
      })),
    },
  });
}
