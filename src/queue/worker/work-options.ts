import type { HeraldLogger } from '../../logging/herald-logger.js';
import type { JobReport } from './job-report.js';

/** Options of `herald.work()` and `herald queue:work`. */
export interface WorkOptions {
  /** Connection to work; default: the config's default connection. */
  readonly connection?: string;
  /**
   * Queues to take jobs from, in this connection; default: every queue the registered queued
   * listeners of this connection use, plus its default queue.
   */
  readonly queues?: readonly string[];
  /** Jobs run at once (per queue); default 1. */
  readonly concurrency?: number;
  /** Stop after this many jobs (completed or failed). */
  readonly maxJobs?: number;
  /** Stop after this many seconds. */
  readonly maxTime?: number;
  /** Stop once the queues have nothing waiting, delayed or active. */
  readonly stopWhenEmpty?: boolean;
  /**
   * @internal Set by `herald.work()` when the app has an outbox: whether committed outbox rows
   * still wait for a relay. A `stopWhenEmpty` worker counts them as work still to do.
   */
  readonly outboxWaiting?: () => Promise<boolean>;
  /**
   * How long (ms) a handler may keep running after its `timeout` aborted `ctx.signal` before
   * the worker (bullmq) stops taking jobs, lets the others finish and stops with a `timeout`
   * error, so its process manager starts a fresh one; default 5000.
   */
  readonly timeoutGrace?: number;
  /** Called with errors of the queue machinery (Redis connection, unreadable jobs). */
  readonly onError?: (error: Error) => void;
  /**
   * Called with warnings that need an operator but stop nothing (a streams consumer group that
   * holds retention back); default: `process.emitWarning` (code `HERALD_STREAM_LAG`).
   */
  readonly onWarning?: (warning: Error) => void;
  /** Called after each job attempt with what happened (the CLI logs it). */
  readonly onJob?: (report: JobReport) => void;
  /**
   * Where this worker logs (default: the config's `logger`): each finished attempt as a record
   * (`info` completed, `warn` retrying, `error` failed; with `trace_id`/`span_id` when tracing is
   * on), worker errors to `error`, warnings to `warn` instead of `process.emitWarning`. The
   * callbacks above still run.
   */
  readonly logger?: HeraldLogger;
}

/** `timeoutGrace` when none is given (ms). */
export const DEFAULT_TIMEOUT_GRACE = 5000;
