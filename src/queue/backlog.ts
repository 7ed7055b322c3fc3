/** A queued listener whose backlog `herald.stats()` asks its driver for. */
export interface BacklogQuery {
  /** Its wire name. */
  readonly listener: string;
  /** The queue its jobs go to (queue drivers). */
  readonly queue: string;
  /** The streams its group reads (log drivers). */
  readonly streams: readonly string[];
}

/**
 * A listener's jobs right now. On `bullmq` these are the counts of the listener's queue, shared
 * by every listener of that queue; on `streams` and `memory` they are the listener's own.
 */
export interface ListenerBacklog {
  readonly listener: string;
  /** Not started yet (BullMQ wait + prioritized; a streams group's lag). */
  readonly waiting: number;
  /** Running now (a streams group's pending entries, retries waiting included). */
  readonly active: number;
  /** Waiting for their delay or backoff (streams: retries scheduled). */
  readonly delayed: number;
  /** Failed for good and still kept (failed jobs, or dead letters on streams). */
  readonly failed: number;
  /** Milliseconds since the oldest waiting job was dispatched; null when none waits. */
  readonly oldestWaitingMs: number | null;
  /** True when the counts are its queue's, shared with the other listeners of that queue (bullmq). */
  readonly shared?: boolean;
}
