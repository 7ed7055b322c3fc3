import { HeraldError } from '../../errors.js';
import type { QueueConnections } from '../queue-connections.js';
import type { FailedJob } from './failed-job.js';
import type { FailedJobRange } from './failed-job-store.js';
import { type FailedJobsOptions, failedStoreOf } from './failed-store-of.js';

/** Options of `herald.failedJobs()`: which jobs, and optionally one page of them. */
export interface ListFailedOptions extends FailedJobsOptions {
  /** Jobs to skip from the newest (default 0); with `limit`, reads a page instead of every job. */
  readonly offset?: number;
  /** Most jobs to return (1 to {@link MAX_FAILED_PAGE}). */
  readonly limit?: number;
  /** With `limit`: false leaves each job's `data` out (cheaper for a list); default true. */
  readonly withData?: boolean;
}

/** The largest page `failedJobs({ limit })` reads at once. */
export const MAX_FAILED_PAGE = 1000;

/** The range asked for; undefined when neither `offset` nor `limit` was given (every job). */
export function failedRangeOf(options: ListFailedOptions): FailedJobRange | undefined {
  const { offset, limit } = options;
  if (offset === undefined && limit === undefined) return undefined;
  const bad = (name: string, value: unknown, rule: string) =>
    new HeraldError(
      'invalid_argument',
      `failedJobs({ ${name} }): expected ${rule}, got ${JSON.stringify(value)}.`,
    );
  if (offset !== undefined && !(Number.isSafeInteger(offset) && offset >= 0))
    throw bad('offset', offset, 'an integer of 0 or more');
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1 && limit <= MAX_FAILED_PAGE))
    throw bad('limit', limit, `an integer from 1 to ${MAX_FAILED_PAGE}`);
  return { offset: offset ?? 0, limit: limit ?? 100, withData: options.withData !== false };
}

/**
 * The failed-job side of the app (`herald.failedJobs()`, `failedJob`, `countFailed`,
 * `retryFailed`, `forgetFailed`, `flushFailed`): each resolves the connection's store and
 * queues, then asks the driver's {@link FailedJobStore}.
 */
export class FailedJobOperations {
  readonly #connections: QueueConnections;
  readonly #queuesOf: (connection: string) => string[];

  constructor(connections: QueueConnections, queuesOf: (connection: string) => string[]) {
    this.#connections = connections;
    this.#queuesOf = queuesOf;
  }

  #store(options: FailedJobsOptions) {
    return failedStoreOf(this.#connections, options, this.#queuesOf);
  }

  async list(options: ListFailedOptions): Promise<FailedJob[]> {
    const range = failedRangeOf(options);
    const { store, queues } = this.#store(options);
    return range === undefined ? store.listFailed(queues) : store.pageFailed(queues, range);
  }

  async find(id: string, options: FailedJobsOptions): Promise<FailedJob | undefined> {
    const { store, queues } = this.#store(options);
    return store.findFailed(id, queues);
  }

  async count(options: FailedJobsOptions): Promise<number> {
    const { store, queues } = this.#store(options);
    return store.countFailed(queues);
  }

  async retry(ids: readonly string[] | 'all', options: FailedJobsOptions): Promise<string[]> {
    const { store, queues } = this.#store(options);
    return store.retryFailed(ids, queues);
  }

  async forget(id: string, options: FailedJobsOptions): Promise<boolean> {
    const { store, queues } = this.#store(options);
    return store.forgetFailed(id, queues);
  }

  async flush(options: FailedJobsOptions): Promise<number> {
    const { store, queues } = this.#store(options);
    return store.flushFailed(queues);
  }
}
