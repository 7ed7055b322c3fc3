import { HeraldError } from '../../errors.js';
import type { QueueConnections } from '../queue-connections.js';
import type { FailedJobStore } from './failed-job-store.js';

/** Which failed jobs an operation looks at. */
export interface FailedJobsOptions {
  /** Default: the config's default connection. */
  readonly connection?: string;
  /** Default: every queue the connection's listeners use, plus its default queue. */
  readonly queues?: readonly string[];
}

/**
 * The failed-job store and queues `herald.failedJobs()` and friends work on; `unsupported` for a
 * connection that keeps none (sync).
 */
export function failedStoreOf(
  connections: QueueConnections,
  options: FailedJobsOptions,
  queuesOf: (connection: string) => string[],
): { store: FailedJobStore; queues: readonly string[] } {
  const connection = options.connection ?? connections.defaultName;
  const store = connections.driver(connection).failedJobs;
  if (store === undefined) {
    throw new HeraldError(
      'unsupported',
      `The queue connection "${connection}" keeps no failed jobs (its jobs run inline and fail the dispatch): use a bullmq or memory connection.`,
    );
  }
  return { store, queues: options.queues ?? queuesOf(connection) };
}
