import type { FailedJob } from './failed-job.js';

/**
 * The failed-job operations a driver offers (`queue:failed`, `queue:retry`, ...), as its
 * `QueueDriver.failedJobs`.
 */
export interface FailedJobStore {
  /** Failed jobs of the given queues, newest first. */
  listFailed(queues: readonly string[]): Promise<FailedJob[]>;
  /** Puts failed jobs back to run again with fresh attempts; returns the ids retried. */
  retryFailed(ids: readonly string[] | 'all', queues: readonly string[]): Promise<string[]>;
  /** Deletes one failed job; false when there was none with that id. */
  forgetFailed(id: string, queues: readonly string[]): Promise<boolean>;
  /** Deletes every failed job of the queues; returns how many. */
  flushFailed(queues: readonly string[]): Promise<number>;
}
