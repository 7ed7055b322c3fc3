import type { SpanIds } from '../../telemetry/span-ids.js';
import type { JobOptions } from '../job/queued-job.js';

/** What a driver tells the runner about the attempt it is about to make. */
export interface AttemptInfo {
  /** 1-based attempt number. */
  readonly attempt: number;
  readonly jobId: string;
  /** The queue the job came from. */
  readonly queue: string;
  /** The job's options as stored at dispatch. */
  readonly options: Pick<JobOptions, 'tries' | 'backoff' | 'timeout' | 'retryUntil'>;
  /** Whether `tries` still limits attempts when `retryUntil` is set (the sync driver). */
  readonly triesBoundRetryUntil?: boolean;
  /** Aborted by the driver when the worker shuts down. */
  readonly shutdownSignal?: AbortSignal;
  /**
   * The previous attempt's error, when the driver knows it: handed to `failed()` if this attempt
   * may not start (see attempt-limits.ts).
   */
  readonly previousError?: Error | undefined;
  /** Who to tell when a timed-out handler keeps running (see attempt-timeout.ts). */
  readonly overrun?: AttemptOverrun | undefined;
}

/** A worker's wish to hear of handlers still running `graceMs` after their timeout. */
export interface AttemptOverrun {
  readonly graceMs: number;
  readonly onOverrun: () => void;
}

/**
 * What the runner decided after one attempt; `trace` names the attempt's `process` span when
 * tracing is on (herald-tracing.ts), for the attempt's report.
 */
export type AttemptResult = (
  | { readonly status: 'completed' }
  /** Try again after `delay` ms. */
  | { readonly status: 'retry'; readonly delay: number; readonly error: Error }
  /** No more attempts; `failed()` has already been called (when there was an event to give it). */
  | { readonly status: 'failed'; readonly error: Error }
) & { readonly trace?: SpanIds };
