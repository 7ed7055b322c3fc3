import type { Counter, Histogram, Registry } from 'prom-client';
import type { JobReport } from '../queue/worker/job-report.js';
import { RUNTIME_BUCKETS, WAIT_BUCKETS } from './prometheus-buckets.js';
import type { PromClient } from './prometheus-client.js';

/** The labels of the per-attempt series. */
type AttemptLabel = 'listener' | 'queue';

/**
 * herald's per-attempt series on one registry, fed by the workers' reports (`onJob`):
 * - `herald_jobs_total{listener,queue,status}`: finished attempts; `status` is the report's
 *   outcome: `completed`, `retrying` (failed or released, another attempt follows) or `failed`
 *   (out of attempts);
 * - `herald_job_runtime_seconds{listener,queue}`: each attempt's run time, whatever its outcome;
 * - `herald_job_wait_seconds{listener,queue}`: dispatch → start of each attempt (a retry's wait
 *   includes the earlier attempts and its backoff), for jobs that carry their dispatch time.
 * On `streams`, `queue` is the stream and `listener` the group.
 */
export class PrometheusSeries {
  readonly #jobs: Counter<AttemptLabel | 'status'>;
  readonly #runtime: Histogram<AttemptLabel>;
  readonly #wait: Histogram<AttemptLabel>;

  constructor(prom: PromClient, registry: Registry) {
    const registers = [registry];
    this.#jobs = new prom.Counter({
      name: 'herald_jobs_total',
      help: 'Finished job attempts by listener, queue and status (completed, retrying, failed).',
      labelNames: ['listener', 'queue', 'status'],
      registers,
    });
    this.#runtime = new prom.Histogram({
      name: 'herald_job_runtime_seconds',
      help: 'Run time of each job attempt, in seconds.',
      labelNames: ['listener', 'queue'],
      buckets: [...RUNTIME_BUCKETS],
      registers,
    });
    this.#wait = new prom.Histogram({
      name: 'herald_job_wait_seconds',
      help: 'Time from the dispatch to the start of each job attempt, in seconds.',
      labelNames: ['listener', 'queue'],
      buckets: [...WAIT_BUCKETS],
      registers,
    });
  }

  /** Counts one finished attempt. */
  record(report: JobReport): void {
    const labels = { listener: report.listener, queue: report.queue };
    this.#jobs.inc({ ...labels, status: report.outcome });
    this.#runtime.observe(labels, report.durationMs / 1000);
    const wait = waitSecondsOf(report);
    if (wait !== undefined) this.#wait.observe(labels, wait);
  }
}

/**
 * Dispatch → start of the attempt (`startedAt - dispatchedAt`), in seconds; undefined without a
 * readable dispatch time. Never negative: a dispatching host's clock ahead of the worker's would
 * otherwise put waits below every bucket.
 */
export function waitSecondsOf(report: JobReport): number | undefined {
  if (report.dispatchedAt === undefined) return undefined;
  return Math.max(0, report.startedAt - report.dispatchedAt) / 1000;
}
