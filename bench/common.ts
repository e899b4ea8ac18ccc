// Helpers every benchmark case shares, with no database driver imported: the SQLite cases use them
// without loading mysql2 into their processes (which would count in their peak RSS).

/** What a case process reports. `value` is a rate (higher is better) or seconds (lower is better). */
export interface CaseResult {
  readonly value: number;
  readonly unit: string;
  readonly rssPeakMb: number;
  /** CPU time of the whole case process (user + system), set by {@link emit}. */
  readonly cpuSeconds?: number;
  readonly extra?: Record<string, unknown>;
}

export function peakRssMb(): number {
  // maxRSS is in kilobytes.
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

export function emit(result: CaseResult): void {
  const { user, system } = process.cpuUsage();
  const cpuSeconds = Math.round((user + system) / 10_000) / 100;
  process.stdout.write(`${JSON.stringify({ ...result, cpuSeconds })}\n`);
}

/**
 * CPU seconds (user + system) this process used since `since` (a `process.cpuUsage()` reading): the
 * measured work's own CPU, which a loaded machine inflates far less than its wall time.
 */
export function timedCpuSeconds(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
}

/** Deterministic pseudo-random generator (mulberry32) so lib and raw runs write identical rows. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
