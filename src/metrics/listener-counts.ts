import { BUCKET_COUNT } from './buckets.js';

/** What one listener did in one period (a minute, an hour, or a window summed from them). */
export interface ListenerCounts {
  /** Attempts that completed. */
  processed: number;
  /** Attempts that failed for good (out of tries, or `ctx.fail`). */
  failed: number;
  /** Attempts that ended in a retry (a thrown error with tries left, or `ctx.release`). */
  released: number;
  /** Runtime histogram: attempts per bucket (buckets.ts). */
  readonly runtime: number[];
  /** Wait histogram (dispatch → start of the attempt): attempts per bucket. */
  readonly wait: number[];
}

/** Zero counts. */
export function emptyCounts(): ListenerCounts {
  return {
    processed: 0,
    failed: 0,
    released: 0,
    runtime: new Array<number>(BUCKET_COUNT).fill(0),
    wait: new Array<number>(BUCKET_COUNT).fill(0),
  };
}

/** Adds `from` into `into` (counts and histograms bucket by bucket). */
export function addCounts(into: ListenerCounts, from: ListenerCounts): void {
  into.processed += from.processed;
  into.failed += from.failed;
  into.released += from.released;
  for (let bucket = 0; bucket < BUCKET_COUNT; bucket++) {
    into.runtime[bucket] = (into.runtime[bucket] ?? 0) + (from.runtime[bucket] ?? 0);
    into.wait[bucket] = (into.wait[bucket] ?? 0) + (from.wait[bucket] ?? 0);
  }
}
