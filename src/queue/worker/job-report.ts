import type { AttemptResult } from '../runner/attempt.js';

/** One finished attempt, as a worker reports it. */
export interface JobReport {
  readonly time: Date;
  readonly queue: string;
  readonly jobId: string;
  readonly listener: string;
  readonly event: string;
  readonly attempt: number;
  /** ISO time of the job's dispatch (its payload's `dispatchedAt`), when the job carried one. */
  readonly dispatchedAt?: string;
  readonly durationMs: number;
  readonly outcome: 'completed' | 'retrying' | 'failed';
  readonly error?: string;
  /** The trace of the attempt's `process` span, when tracing is on (OpenTelemetry). */
  readonly traceId?: string;
  /** The attempt's `process` span, when tracing is on. */
  readonly spanId?: string;
}

/** Which job an attempt ran, for its {@link JobReport}. */
export interface ReportedAttempt {
  readonly queue: string;
  readonly jobId: string;
  readonly listener: string;
  readonly event: string;
  readonly attempt: number;
  /** The payload's `dispatchedAt` (ISO), when readable: the start of the job's wait. */
  readonly dispatchedAt?: string | undefined;
}

/**
 * What `onJob` hears of one finished attempt, on every driver. `started` is the attempt's
 * `performance.now()` at its start.
 */
export function jobReportOf(attempt: ReportedAttempt, started: number, result: AttemptResult): JobReport {
  return {
    time: new Date(),
    queue: attempt.queue,
    jobId: attempt.jobId,
    listener: attempt.listener,
    event: attempt.event,
    attempt: attempt.attempt,
    ...(attempt.dispatchedAt === undefined ? {} : { dispatchedAt: attempt.dispatchedAt }),
    durationMs: Math.round(performance.now() - started),
    outcome: result.status === 'retry' ? 'retrying' : result.status,
    ...(result.status === 'completed' ? {} : { error: result.error.message }),
    ...(result.trace === undefined ? {} : { traceId: result.trace.traceId, spanId: result.trace.spanId }),
  };
}
