import { describe, expect, it } from 'vitest';
import { BUCKET_BOUNDS, BUCKET_COUNT, bucketOf, quantileOf } from '../../../src/metrics/buckets.js';
import { addCounts, emptyCounts } from '../../../src/metrics/listener-counts.js';

/** A histogram of the given durations. */
function histogram(values: readonly number[]): number[] {
  const counts = new Array<number>(BUCKET_COUNT).fill(0);
  for (const value of values) counts[bucketOf(value)] = (counts[bucketOf(value)] as number) + 1;
  return counts;
}

/** The exact q quantile of values (nearest rank). */
function exact(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}

describe('metrics buckets', () => {
  it('bucketOf() - a duration falls in the first bucket whose bound is >= it; past the last, the overflow', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(1)).toBe(0);
    expect(bucketOf(1.2)).toBe(1);
    expect(bucketOf(7)).toBe(5);
    expect(bucketOf(8)).toBe(6);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(BUCKET_BOUNDS[BUCKET_BOUNDS.length - 1] as number)).toBe(BUCKET_BOUNDS.length - 1);
    expect(bucketOf(1e12)).toBe(BUCKET_COUNT - 1);
  });

  it('quantileOf() - null for an empty histogram; the overflow bucket reads as the last bound', () => {
    expect(quantileOf(new Array(BUCKET_COUNT).fill(0), 0.5)).toBeNull();
    expect(quantileOf(histogram([1e12]), 0.99)).toBe(BUCKET_BOUNDS[BUCKET_BOUNDS.length - 1]);
  });

  it('two workers merged bucket by bucket give the percentiles of all their jobs, within one bucket', () => {
    const fast = Array.from({ length: 900 }, (_, i) => 2 + (i % 40));
    const slow = Array.from({ length: 100 }, (_, i) => 400 + i * 13);
    const a = emptyCounts();
    const b = emptyCounts();
    for (const value of fast) a.runtime[bucketOf(value)] = (a.runtime[bucketOf(value)] as number) + 1;
    for (const value of slow) b.runtime[bucketOf(value)] = (b.runtime[bucketOf(value)] as number) + 1;
    addCounts(a, b);
    const all = [...fast, ...slow];
    for (const q of [0.5, 0.95, 0.99]) {
      const estimate = quantileOf(a.runtime, q) as number;
      // Same bucket as the exact value (an estimate on a bucket's upper bound belongs to it).
      expect(bucketOf(estimate)).toBe(bucketOf(exact(all, q)));
    }
    expect(a.runtime.reduce((sum, n) => sum + n, 0)).toBe(1000);
  });
});
