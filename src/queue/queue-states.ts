/** The jobs of one queue by state, as a scrape of `herald_queue_jobs{queue,state}` reads them. */
export interface QueueStateCounts {
  readonly queue: string;
  /** Ready to start: waiting or prioritised (a paused queue's too). */
  readonly waiting: number;
  readonly active: number;
  /** Waiting for their time (a `delay`, a backoff, a `release(ms)`). */
  readonly delayed: number;
  /** Out of attempts, kept for `queue:failed`. */
  readonly failed: number;
}

/**
 * How many jobs each queue holds by state, read from where the queue lives (Redis for bullmq).
 * A driver offers one as `queueStates` when its queues have states to count; rejects with
 * `queue_unavailable` when that store cannot be reached.
 */
export interface QueueStateReader {
  count(queues: readonly string[]): Promise<QueueStateCounts[]>;
}
