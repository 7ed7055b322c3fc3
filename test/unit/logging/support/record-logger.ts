/** One call a {@link RecordLogger} received. */
export interface LogCall {
  readonly level: 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/**
 * A logger shaped like pino's: `info`/`warn`/`error` are prototype methods taking
 * `(mergingObject, message)` and reading `this` (pino's do, so a logger called detached from its
 * object breaks: this one throws then, as pino would).
 */
export class RecordLogger {
  readonly calls: LogCall[] = [];

  info(fields: Record<string, unknown>, message: string): void {
    this.#record('info', fields, message);
  }

  warn(fields: Record<string, unknown>, message: string): void {
    this.#record('warn', fields, message);
  }

  error(fields: Record<string, unknown>, message: string): void {
    this.#record('error', fields, message);
  }

  /** The calls at one level. */
  at(level: LogCall['level']): LogCall[] {
    return this.calls.filter((call) => call.level === level);
  }

  #record(level: LogCall['level'], fields: Record<string, unknown>, message: string): void {
    if (!(this instanceof RecordLogger)) throw new TypeError('logger method called without its object');
    if (typeof fields !== 'object' || fields === null) throw new TypeError('pino call shape: fields first');
    if (typeof message !== 'string') throw new TypeError('pino call shape: a message string second');
    this.calls.push({ level, fields, message });
  }
}
