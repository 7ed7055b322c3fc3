import type { JobReport } from './job-report.js';
import type { WorkOptions } from './work-options.js';

/**
 * What the app itself hears of its workers, beside the caller's callbacks: herald's Prometheus
 * series (src/metrics/prometheus-metrics.ts) count attempts and read the watched queues.
 */
export interface WorkerTap {
  /** Told once per worker: the connection and queues it takes jobs from. */
  watch(connection: string, queues: readonly string[]): void;
  /**
   * Hears each finished attempt; undefined while nobody asked for the series, so a worker then
   * gets no `onJob` of herald's own (bullmq skips the per-job report without one).
   */
  readonly onJob: ((report: JobReport) => void) | undefined;
}

/** `options` with the tap told of the worker and hearing its attempts after the caller's `onJob`. */
export function withTap(
  options: WorkOptions,
  tap: WorkerTap,
  connection: string,
  queues: readonly string[],
): WorkOptions {
  tap.watch(connection, queues);
  const heard = tap.onJob;
  if (heard === undefined) return options;
  const { onJob } = options;
  return {
    ...options,
    onJob:
      onJob === undefined
        ? heard
        : (report) => {
            onJob(report);
            heard(report);
          },
  };
}
