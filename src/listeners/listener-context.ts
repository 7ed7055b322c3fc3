/**
 * The second argument of a listener's `handle`. For queued listeners it describes the job's
 * attempt and lets the listener release or fail it; sync listeners get the same shape with
 * `attempt` 1 and no job.
 */
export interface ListenerContext {
  /** 1-based attempt number of this job. */
  readonly attempt: number;
  /** How many attempts the job may take in all (`tries`); `Infinity` when `retryUntil` sets a deadline instead. */
  readonly maxTries: number;
  /** The queue job id; `undefined` for a sync listener. */
  readonly jobId: string | undefined;
  /** The queue the job came from; `undefined` for a sync listener. */
  readonly queue: string | undefined;
  /** The wire name of the event being handled (useful for wildcard listeners). */
  readonly eventName: string;
  /** Aborts when the attempt times out or the worker shuts down. */
  readonly signal: AbortSignal;
  /**
   * Ends this attempt and retries the job later (after `delayMs`, default 0). Counts as an
   * attempt; when none are left the job fails. Queued listeners only.
   */
  release(delayMs?: number): void;
  /** Fails the job now, without further retries; `failed()` runs. Queued listeners only. */
  fail(error?: Error | string): void;
}
