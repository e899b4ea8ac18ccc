/** JSON with object keys sorted and `undefined` members dropped: the same text for the same data. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** 32-bit FNV-1a of a text from `seed`, as 8 hex digits (two seeds make the engine's fingerprint). */
export function fnv(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * `[stableJson(o), stableJson({ ...o, [key]: value })]`, each member's text made once: the engine's
 * fingerprint hashes its input twice, with and without a salt, and the input holds every definition.
 *
 * @example `stableJsonWith({ b: 1 }, 'a', 2)` → `['{"b":1}', '{"a":2,"b":1}']`
 */
export function stableJsonWith(
  o: Readonly<Record<string, unknown>>,
  key: string,
  value: unknown,
): [string, string] {
  const members = Object.keys(o)
    .filter((k) => o[k] !== undefined && k !== key)
    .map((k): [string, string] => [k, `${JSON.stringify(k)}:${stableJson(o[k])}`]);
  const text = (list: [string, string][]): string =>
    `{${list
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map((m) => m[1])
      .join(',')}}`;
  const own = o[key];
  const plain = text(
    own === undefined ? [...members] : [...members, [key, `${JSON.stringify(key)}:${stableJson(own)}`]],
  );
  const salted =
    value === undefined
      ? text([...members])
      : text([...members, [key, `${JSON.stringify(key)}:${stableJson(value)}`]]);
  return [plain, salted];
}
