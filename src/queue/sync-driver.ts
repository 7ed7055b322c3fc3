import { randomUUID } from 'node:crypto';
import { HeraldError } from '../errors.js';
import type { JobOptions, QueuedJob } from './job-options.js';
import type { JobRunner } from './job-runner.js';
import type { QueueDriver } from './queue-driver.js';

/**
 * Runs queued listeners inline, inside `dispatch`, through the same JobRunner as every other
 * driver: tries and `failed()` behave the same. Like Laravel's sync queue it does not wait
 * delays, backoff or `retryUntil` (it exists for tests and scripts; it counts `tries`), and when the last attempt fails
 * `dispatch` rejects with `listener_failed` after `failed()` has run.
 */
export class SyncDriver implements QueueDriver {
  readonly connection: string;
  readonly inline = true;
  readonly #runner: JobRunner;
  readonly #defaultQueue: string;
  #closed = false;

  constructor(connection: string, runner: JobRunner, defaultQueue = 'default') {
    this.connection = connection;
    this.#runner = runner;
    this.#defaultQueue = defaultQueue;
  }

  async push(job: QueuedJob): Promise<void> {
    if (this.#closed) throw new HeraldError('closed', `The queue connection "${this.connection}" is closed.`);
    // A JSON round trip, so the sync driver proves what a real queue would store.
    const wire: unknown = JSON.parse(JSON.stringify(job.data));
    const jobId = `sync-${randomUUID()}`;
    const queue = job.options.queue ?? this.#defaultQueue;
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

  isIdle(): boolean {
    return true;
  }

  async drain(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
  }
}
