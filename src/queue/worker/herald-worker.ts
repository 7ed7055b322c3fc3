/** A running worker. */
export interface HeraldWorker {
  /**
   * Resolves when the worker has stopped (closed, or a stop condition was met); rejects when it
   * had to stop on its own (a bullmq worker whose handler overran its timeout: a `timeout`
   * HeraldError).
   */
  readonly stopped: Promise<void>;
  /** Jobs this worker finished (completed or failed for good). */
  readonly processed: number;
  /** Stops taking jobs, lets active ones finish, then resolves. Idempotent. */
  close(): Promise<void>;
}
