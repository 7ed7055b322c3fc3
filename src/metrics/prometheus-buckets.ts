/**
 * Histogram buckets (seconds) of herald's Prometheus series. Fixed, never configured: every
 * worker exports the same `le` bounds, so `histogram_quantile` over `sum by (le)` merges workers,
 * deploys and restarts without mismatched series.
 */

/** `herald_job_runtime_seconds`: 5 ms (a cache write) to 10 min (a report, an export). */
export const RUNTIME_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];

/**
 * `herald_job_wait_seconds` (dispatch → start of the attempt, so delays and backoffs count):
 * 10 ms (an idle worker) to 1 h (a backlog, a long delay).
 */
export const WAIT_BUCKETS: readonly number[] = [
  0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
];
