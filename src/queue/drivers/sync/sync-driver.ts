import { randomUUID } from 'node:crypto';
import { HeraldError } from '../../../errors.js';
import { DEFAULT_QUEUE, type DriverFeatures, type QueueDriver, type WorkerRequest } from '../../driver.js';
import type { JobOptions, QueuedJob } from '../../job/queued-job.js';
import type { JobRunner } from '../../runner/job-runner.js';
import type { HeraldWorker } from '../../worker/herald-worker.js';
import { InProcessWorker } from '../../worker/in-process-worker.js';

/** Attempts run inside `dispatch`: nothing waits, so nothing is ordered, deduplicated or kept. */
export const SYNC_FEATURES: DriverFeatures = { delays: false, priority: false, unique: false, shared: false };

/**
 * Runs queued listeners inline, inside `dispatch`, through the same JobRunner as every other
 * driver: tries and `failed()` behave the same. Like Laravel's sync queue it does not wait
 * delays, backoff or `retryUntil` (it exists for tests and scripts; it counts `tries`), and when the last attempt fails
 * `dispatch` rejects with `listener_failed` after `failed()` has run.
 */
export class SyncDriver implements QueueDriver {
  readonly connection: string;
  readonly inline = true;
  readonly defaultQueue: string;
  readonly features = SYNC_FEATURES;
  /** None: a final failure rejects the dispatch instead. */
  readonly failedJobs = undefined;
  readonly #runner: JobRunner;
  #closed = false;

  constructor(connection: string, runner: JobRunner, defaultQueue = DEFAULT_QUEUE) {
    this.connection = connection;
    this.#runner = runner;
    this.defaultQueue = defaultQueue;
  }

  async push(job: QueuedJob): Promise<void> {
    if (this.#closed) throw new HeraldError('closed', `The queue connection "${this.connection}" is closed.`);
    // A JSON round trip, so the sync driver proves what a real queue would store.
    const wire: unknown = JSON.parse(JSON.stringify(job.data));
    const jobId = `sync-${randomUUID()}`;
    const queue = job.options.queue ?? this.defaultQueue;
    const options: JobOptions = job.options;
    for (let attempt = 1; ; attempt++) {
      // Attempts run back to back here, so a retryUntil deadline alone would spin until it
      // passed: on sync, `tries` bounds retryUntil too.
      const result = await this.#runner.run(wire, {
        attempt,
        jobId,
        queue,
        options,
        triesBoundRetryUntil: true,
      });
      if (result.status === 'completed') return;
      if (result.status === 'failed') {
        throw new HeraldError(
          'listener_failed',
          `Queued listener ${job.data.listener} failed while handling ${job.data.event} on the sync connection "${this.connection}" after ${attempt} attempt(s): ${result.error.message}`,
          { cause: result.error },
        );
      }
    }
  }

  /** Jobs run inside `dispatch`: the worker only waits for its stop condition. */
  async createWorker(request: WorkerRequest): Promise<HeraldWorker> {
    return new InProcessWorker(this, request.options);
  }

  isIdle(): boolean {
    return true;
  }

  async drain(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
  }
}
