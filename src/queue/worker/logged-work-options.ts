import type { HeraldLogger } from '../../logging/herald-logger.js';
import { RepeatQuiet } from '../../logging/repeat-quiet.js';
import { activeSpanFields, type LogLevel, writeLog } from '../../logging/write-log.js';
import type { JobReport } from './job-report.js';
import type { WorkOptions } from './work-options.js';

/**
 * A failed attempt logs at `error` and a retried one at `warn`, not all at `info`: a logger set
 * to `warn` (as production often is) then still shows every failure, and alerting on error-level
 * records catches jobs out of attempts without parsing messages.
 */
const LEVEL_OF: Readonly<Record<JobReport['outcome'], LogLevel>> = {
  completed: 'info',
  retrying: 'warn',
  failed: 'error',
};

/** The structured record of one finished attempt (the fields of `onJob`'s report, pino-named span ids). */
export function attemptRecord(report: JobReport): Record<string, unknown> {
  return {
    queue: report.queue,
    listener: report.listener,
    event: report.event,
    jobId: report.jobId,
    attempt: report.attempt,
    durationMs: report.durationMs,
    outcome: report.outcome,
    ...(report.error === undefined ? {} : { error: report.error }),
    ...(report.traceId === undefined ? {} : { trace_id: report.traceId, span_id: report.spanId }),
  };
}

/** The warning's code (`HERALD_STREAM_LAG`, ...), or a generic one for a warning without. */
function codeOf(warning: Error): string {
  const code = (warning as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'HERALD_WARNING';
}

/**
 * `options` with a logger behind its callbacks: each finished attempt becomes a record (level by
 * outcome), worker errors go to `error` (each distinct message once per 10 s, as the CLI does),
 * warnings to `warn` with their code instead of `process.emitWarning`. The caller's own
 * `onJob`/`onError`/`onWarning` still run first: the logger records, the callbacks act.
 */
export function withLogger(options: WorkOptions, logger: HeraldLogger): WorkOptions {
  const quiet = new RepeatQuiet();
  const { onJob, onError, onWarning } = options;
  return {
    ...options,
    onJob: (report) => {
      onJob?.(report);
      writeLog(
        logger,
        LEVEL_OF[report.outcome],
        attemptRecord(report),
        `${report.queue} ${report.listener} ${report.event} job ${report.jobId} attempt ${report.attempt} ${report.durationMs}ms ${report.outcome}`,
      );
    },
    onError: (error) => {
      onError?.(error);
      if (!quiet.allows(error.message)) return;
      // `err` is pino's key for an Error: its serializer keeps type, message and stack.
      writeLog(logger, 'error', { err: error, ...activeSpanFields() }, `worker error: ${error.message}`);
    },
    onWarning: (warning) => {
      onWarning?.(warning);
      writeLog(logger, 'warn', { code: codeOf(warning), ...activeSpanFields() }, warning.message);
    },
  };
}
