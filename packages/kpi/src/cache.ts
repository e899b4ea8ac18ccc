/**
 * The value of (outer, inner) in a two-level cache, computed once; an inner map past 10 000 entries starts
 * over (bounded memory). `compute` takes the keys, so callers pass a function made once, not a closure per call.
 */
export function cached2<K1, K2, V>(
  cache: Map<K1, Map<K2, V>>,
  outer: K1,
  inner: K2,
  compute: (outer: K1, inner: K2) => V,
): V {
  let byInner = cache.get(outer);
  if (byInner === undefined) {
    byInner = new Map();
    cache.set(outer, byInner);
  }
  let value = byInner.get(inner);
  if (value === undefined) {
    if (byInner.size > 10_000) byInner.clear();
    value = compute(outer, inner);
    byInner.set(inner, value);
  }
  return value;
}
