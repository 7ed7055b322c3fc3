import type { FailedJob } from './failed-job.js';

/** Which slice of the failed jobs (newest first) a page holds. */
export interface FailedJobRange {
  /** Jobs skipped from the newest; 0 for the first page. */
  readonly offset: number;
  /** Most jobs returned. */
  readonly limit: number;
  /**
   * False: leave out each job's `data` (a list screen needs none, and payloads may be megabytes);
   * default true.
   */
  readonly withData?: boolean;
}

/**
 * The failed-job operations a driver offers (`queue:failed`, `queue:retry`, the dashboard), as
 * its `QueueDriver.failedJobs`.
 */
export interface FailedJobStore {
  /** Failed jobs of the given queues, newest first (every one: prefer `pageFailed` for a UI). */
  listFailed(queues: readonly string[]): Promise<FailedJob[]>;
  /**
   * A range of the failed jobs of the queues, newest first, reading at most `offset + limit`
   * jobs per queue (never the whole failed set).
   */
  pageFailed(queues: readonly string[], range: FailedJobRange): Promise<FailedJob[]>;
  /** How many failed jobs the queues keep. */
  countFailed(queues: readonly string[]): Promise<number>;
  /** One failed job of the queues by id; undefined when none has it (or it is no longer failed). */
  findFailed(id: string, queues: readonly string[]): Promise<FailedJob | undefined>;
  /** Puts failed jobs back to run again with fresh attempts; returns the ids retried. */
  retryFailed(ids: readonly string[] | 'all', queues: readonly string[]): Promise<string[]>;
  /** Deletes one failed job; false when there was none with that id. */
  forgetFailed(id: string, queues: readonly string[]): Promise<boolean>;
  /** Deletes every failed job of the queues; returns how many. */
  flushFailed(queues: readonly string[]): Promise<number>;
}
