/** The structured fields of one log record (pino's "merging object"). */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where herald writes its logs when you give it one (`defineConfig({ logger })` or
 * `herald.work({ logger })`): any object with `info`, `warn` and `error` methods taking pino's call
 * shape `(fields, message)`. A pino logger fits as it is (or a child: `logger.child({ app: 'x' })`),
 * and so does `console`, which prints the fields object before the message. herald always calls them
 * as methods (`logger.warn(...)`), so loggers that rely on `this` work.
 *
 * @example
 * import pino from 'pino';
 * export default defineConfig({ discover: ['src/listeners'], logger: pino() });
 */
export interface HeraldLogger {
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/** The methods a logger must have. */
const LOG_METHODS = ['info', 'warn', 'error'] as const;

/**
 * What is wrong with a `logger` option, as the end of a sentence naming it (`"logger" <problem>`),
 * or undefined when it is a usable logger.
 */
export function loggerProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return `must be an object with info, warn and error methods, e.g. pino() or console (got ${value === null ? 'null' : typeof value})`;
  }
  const missing = LOG_METHODS.filter(
    (method) => typeof (value as Record<string, unknown>)[method] !== 'function',
  );
  if (missing.length === 0) return undefined;
  return `has no ${missing.join(', ')} method${missing.length === 1 ? '' : 's'}: pass a logger with info, warn and error methods, e.g. pino() or console (or wrap yours in an object that has them)`;
}
