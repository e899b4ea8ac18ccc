/** UTF-16 units per stored part: at most 768 KiB of UTF-8, under any server's `max_allowed_packet` (≥ 1 MiB). */
export const PART_UNITS: number = 256 * 1024;

/**
 * Splits a checkpoint link's JSON into parts of at most `size` UTF-16 units, never between the two
 * halves of a surrogate pair, so each part is valid text and `parts.join('')` is the input.
 *
 * @example
 * ```ts
 * for (const [part, body] of splitParts(JSON.stringify(checkpoint)).entries()) await insertPart(part, body);
 * ```
 */
export function splitParts(json: string, size: number = PART_UNITS): string[] {
  const parts: string[] = [];
  for (let i = 0; i < json.length; ) {
    let end = Math.min(json.length, i + size);
    const last = json.charCodeAt(end - 1);
    if (end < json.length && end - i > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(json.slice(i, end));
    i = end;
  }
  return parts;
}
