/** Where the CLI writes and what it reads from its environment; the bin passes the process's own. */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown; readonly isTTY?: boolean | undefined };
  readonly stderr: { write(chunk: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted when the user interrupts (Ctrl-C): long-running commands (`events tail --follow`) stop cleanly. */
  readonly signal: AbortSignal;
}

/** Writes output in the mode the user chose: human text, or JSON for scripts. */
export interface Output {
  readonly json: boolean;
  /** True when stdout is a terminal and not in JSON mode: progress bars may be drawn. */
  readonly interactive: boolean;
  /** One line of human text (suppressed in JSON mode). */
  line(text?: string): void;
  /** One JSON document on one line (JSON mode only). */
  data(value: unknown): void;
  readonly io: CliIo;
}

/** JSON with bigints as decimal strings (positions can exceed 2^53). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export function createOutput(io: CliIo, json: boolean): Output {
  return {
    json,
    interactive: !json && io.stdout.isTTY === true,
    io,
    line(text = '') {
      if (!json) io.stdout.write(`${text}\n`);
    },
    data(value) {
      if (json) io.stdout.write(`${toJson(value)}\n`);
    },
  };
}

/** Renders rows as left-aligned columns separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const render = (r: readonly string[]): string =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [render(header), ...rows.map(render)];
}
