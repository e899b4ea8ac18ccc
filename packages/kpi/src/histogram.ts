/** Bucket of a value in the percentile histogram: exact below 1024, then 128 buckets per power of two (< 0.8 % error). */
export function bucketOf(v: number): number {
  const m = Math.abs(v);
  if (m < 1024) return v;
  const e = Math.floor(Math.log2(m));
  const id = 1024 + (e - 10) * 128 + (Math.floor(m / 2 ** (e - 7)) - 128);
  return v < 0 ? -id : id;
}

/** The smallest value of a histogram bucket ({@link bucketOf}'s inverse). */
export function bucketValue(id: number): number {
  const m = Math.abs(id);
  if (m < 1024) return id;
  const e = Math.floor((m - 1024) / 128) + 10;
  const v = (128 + ((m - 1024) % 128)) * 2 ** (e - 7);
  return id < 0 ? -v : v;
}
