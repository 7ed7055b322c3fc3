import { activeTracing } from '../telemetry/otel-switch.js';
import { spanFields } from '../telemetry/span-ids.js';
import type { HeraldLogger, LogFields } from './herald-logger.js';

/** A logger's methods herald calls. */
export type LogLevel = 'info' | 'warn' | 'error';

/** Loggers that threw once: told about on the first throw only (a broken logger logs every job). */
const failedLoggers = new WeakSet<HeraldLogger>();

/**
 * Writes one record, as a method call (pino's methods read `this`). A logger that throws must not
 * fail the job or the worker that logs through it: its error becomes one process warning
 * (`HERALD_LOGGER_FAILED`) and the record is dropped.
 */
export function writeLog(logger: HeraldLogger, level: LogLevel, fields: LogFields, message: string): void {
  try {
    logger[level](fields, message);
  } catch (error) {
    if (failedLoggers.has(logger)) return;
    failedLoggers.add(logger);
    process.emitWarning(
      `herald: the configured logger threw on ${level}() (${error instanceof Error ? error.message : String(error)}); herald drops the records it cannot write. Fix the logger (its info, warn and error must accept (fields, message)).`,
      { code: 'HERALD_LOGGER_FAILED' },
    );
  }
}

/** `trace_id`/`span_id` of the span active here, when tracing is on and a span is active. */
export function activeSpanFields(): { trace_id?: string; span_id?: string } {
  return spanFields(activeTracing()?.activeSpanIds());
}

/**
 * A warning that needs an operator but stops nothing: to the logger's `warn` (with its `code` and
 * the active span's ids) when there is one, else `process.emitWarning` as without a logger.
 */
export function heraldWarning(logger: HeraldLogger | undefined, message: string, code: string): void {
  if (logger === undefined) process.emitWarning(message, { code });
  else writeLog(logger, 'warn', { code, ...activeSpanFields() }, message);
}
