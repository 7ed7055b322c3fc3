/**
 * Upper bounds (ms) of the runtime and wait histograms: 1, 1.5, 2, 3, 5, 7 per decade from 1 ms
 * to 7,000 s, then 10,000 s; one more bucket holds everything above. The bounds are fixed (never
 * per worker), so the counts of any workers and minutes add up bucket by bucket and a
 * percentile read from the sum is the percentile of all their jobs, within one bucket
 * (test/unit/metrics/buckets.test.ts).
 */
export const BUCKET_BOUNDS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let decade = 1; decade <= 1_000_000; decade *= 10) {
    for (const step of [1, 1.5, 2, 3, 5, 7]) bounds.push(step * decade);
  }
  bounds.push(10_000_000);
  return bounds;
})();

/** Buckets a histogram has: one per bound plus the overflow bucket. */
export const BUCKET_COUNT = BUCKET_BOUNDS.length + 1;

/** The bucket of a duration in ms: the first whose upper bound is >= it (negatives count as 0). */
export function bucketOf(ms: number): number {
  // Binary search: 44 bounds, called twice per attempt on the worker's hot path.
  let low = 0;
  let high = BUCKET_BOUNDS.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((BUCKET_BOUNDS[mid] as number) >= ms) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The `q` quantile (0..1) of a histogram's counts (index = bucket), interpolated linearly inside
 * the bucket it falls in, as Prometheus' `histogram_quantile` does; null for an empty histogram.
 * A value in the overflow bucket reads as the last bound.
 */
export function quantileOf(counts: readonly number[], q: number): number | null {
  let total = 0;
  for (const count of counts) total += count;
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    const count = counts[bucket] ?? 0;
    if (count === 0 || seen + count < rank) {
      seen += count;
      continue;
    }
    const upper = BUCKET_BOUNDS[bucket];
    const lower = bucket === 0 ? 0 : (BUCKET_BOUNDS[bucket - 1] as number);
    if (upper === undefined) return lower;
    return lower + (upper - lower) * ((rank - seen) / count);
  }
  return BUCKET_BOUNDS[BUCKET_BOUNDS.length - 1] as number;
}
