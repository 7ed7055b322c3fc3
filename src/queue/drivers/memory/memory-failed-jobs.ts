import type { FailedJob } from '../../failed/failed-job.js';
import type { FailedJobRange, FailedJobStore } from '../../failed/failed-job-store.js';

/**
 * The memory connection's failed jobs, in process: each record keeps the job it failed (`T`),
 * which `retryFailed` hands back to the driver through `requeue` with fresh attempts.
 */
export class MemoryFailedJobs<T> implements FailedJobStore {
  readonly #failed: { record: FailedJob; job: T }[] = [];
  readonly #requeue: (job: T) => void;

  constructor(requeue: (job: T) => void) {
    this.#requeue = requeue;
  }

  /** A job ran out of attempts. */
  add(record: FailedJob, job: T): void {
    this.#failed.push({ record, job });
  }

  /** How many failed jobs of a listener are kept. */
  countOf(listener: string): number {
    return this.#failed.filter(({ record }) => record.listener === listener).length;
  }

  async listFailed(queues: readonly string[]): Promise<FailedJob[]> {
    return this.#failed
      .filter(({ record }) => queues.includes(record.queue))
      .map(({ record }) => record)
      .reverse();
  }

  async pageFailed(queues: readonly string[], range: FailedJobRange): Promise<FailedJob[]> {
    const page = (await this.listFailed(queues)).slice(range.offset, range.offset + range.limit);
    return range.withData === false ? page.map(({ data: _data, ...record }) => record) : page;
  }

  async countFailed(queues: readonly string[]): Promise<number> {
    return this.#failed.filter(({ record }) => queues.includes(record.queue)).length;
  }

  async findFailed(id: string, queues: readonly string[]): Promise<FailedJob | undefined> {
    return this.#failed.find(({ record }) => record.id === id && queues.includes(record.queue))?.record;
  }

  async retryFailed(ids: readonly string[] | 'all', queues: readonly string[]): Promise<string[]> {
    const chosen = this.#failed.filter(
      ({ record }) => queues.includes(record.queue) && (ids === 'all' || ids.includes(record.id)),
    );
    for (const failed of chosen) {
      this.#failed.splice(this.#failed.indexOf(failed), 1);
      this.#requeue(failed.job);
    }
    return chosen.map(({ record }) => record.id);
  }

  async forgetFailed(id: string, queues: readonly string[]): Promise<boolean> {
    const index = this.#failed.findIndex(({ record }) => record.id === id && queues.includes(record.queue));
    if (index === -1) return false;
    this.#failed.splice(index, 1);
    return true;
  }

  async flushFailed(queues: readonly string[]): Promise<number> {
    const before = this.#failed.length;
    const kept = this.#failed.filter(({ record }) => !queues.includes(record.queue));
    this.#failed.splice(0, this.#failed.length, ...kept);
    return before - kept.length;
  }
}
