import type { AttemptResult } from '../runner/attempt.js';

/** One finished attempt, as a worker reports it. */
export interface JobReport {
  readonly time: Date;
  readonly queue: string;
  readonly jobId: string;
  readonly listener: string;
  readonly event: string;
  readonly attempt: number;
  readonly durationMs: number;
  /** Epoch ms the attempt started at. */
  readonly startedAt: number;
  /** Epoch ms of the dispatch (the job's `dispatchedAt`); absent when the job has none readable. */
  readonly dispatchedAt?: number;
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
  /** The job's `dispatchedAt` as stored (an ISO time), if any. */
  readonly dispatchedAt?: unknown;
}

/**
 * What `onJob` hears of one finished attempt, on every driver. `started` is the attempt's
 * `performance.now()` at its start.
 */
export function jobReportOf(attempt: ReportedAttempt, started: number, result: AttemptResult): JobReport {
  const now = Date.now();
  const elapsed = performance.now() - started;
  const dispatchedAt =
    typeof attempt.dispatchedAt === 'string' ? Date.parse(attempt.dispatchedAt) : Number.NaN;
  return {
    time: new Date(now),
    queue: attempt.queue,
    jobId: attempt.jobId,
    listener: attempt.listener,
    event: attempt.event,
    attempt: attempt.attempt,
    durationMs: Math.round(elapsed),
    startedAt: Math.round(now - elapsed),
    ...(Number.isNaN(dispatchedAt) ? {} : { dispatchedAt }),
    outcome: result.status === 'retry' ? 'retrying' : result.status,
    ...(result.status === 'completed' ? {} : { error: result.error.message }),
    ...(result.trace === undefined ? {} : { traceId: result.trace.traceId, spanId: result.trace.spanId }),
  };
}
