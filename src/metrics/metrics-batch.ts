import type { JobReport } from '../queue/worker/job-report.js';
import { bucketOf } from './buckets.js';
import { emptyCounts, type ListenerCounts } from './listener-counts.js';

/** Counts by minute (epoch minute number), then by listener wire name. */
export type MinuteCounts = Map<number, Map<string, ListenerCounts>>;

/** Milliseconds in a minute and an hour: the two resolutions metrics are kept at. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/**
 * Adds one finished attempt to `into`: its outcome, its runtime, and its wait (dispatch → start
 * of the attempt; every attempt, so a retry's wait includes its backoff), under the minute the
 * attempt ended in. A report without a readable `dispatchedAt` (a foreign job) has no wait.
 */
export function addReport(into: MinuteCounts, report: JobReport): void {
  const minute = Math.floor(report.time.getTime() / MINUTE_MS);
  let listeners = into.get(minute);
  if (listeners === undefined) {
    listeners = new Map();
    into.set(minute, listeners);
  }
  let counts = listeners.get(report.listener);
  if (counts === undefined) {
    counts = emptyCounts();
    listeners.set(report.listener, counts);
  }
  if (report.outcome === 'completed') counts.processed++;
  else if (report.outcome === 'failed') counts.failed++;
  else counts.released++;
  const runtime = bucketOf(report.durationMs);
  counts.runtime[runtime] = (counts.runtime[runtime] as number) + 1;
  if (report.dispatchedAt !== undefined) {
    const wait = bucketOf(report.startedAt - report.dispatchedAt);
    counts.wait[wait] = (counts.wait[wait] as number) + 1;
  }
}
