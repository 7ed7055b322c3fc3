import type { JobReport } from '../queue/worker/job-report.js';
import type { Output } from './output.js';

/** How long one distinct worker error message stays quiet after it was logged (outages repeat them). */
const REPEAT_QUIET_MS = 10_000;
/** Distinct messages remembered for that; bounded, a worker runs for weeks. */
const MAX_REMEMBERED = 100;

/**
 * The log of `herald queue:work`: one line per job attempt on stdout (text or `--json`), and
 * timestamped `herald:` lines on stderr for everything else (start, warnings, signals, errors).
 * Every line starts with an ISO time (test/cli/queue-work-log-output.test.ts).
 */
export class WorkerLog {
  readonly #out: Output;
  readonly #json: boolean;
  readonly #recentErrors = new Map<string, number>();

  constructor(out: Output, json: boolean) {
    this.#out = out;
    this.#json = json;
  }

  /** A `<time> herald: <text>` line on stderr. */
  info(text: string): void {
    this.#out.error(`${new Date().toISOString()} herald: ${text}`);
  }

  /** A warning line on stderr. */
  warn(text: string): void {
    this.info(`${this.#out.paint('yellow', 'warning:')} ${text}`);
  }

  /** A worker error on stderr, once per distinct message per {@link REPEAT_QUIET_MS}. */
  error(error: Error): void {
    const now = Date.now();
    const last = this.#recentErrors.get(error.message);
    if (last !== undefined && now - last < REPEAT_QUIET_MS) return;
    if (this.#recentErrors.size >= MAX_REMEMBERED) this.#recentErrors.clear();
    this.#recentErrors.set(error.message, now);
    this.info(`worker error: ${error.message}`);
  }

  /** One finished attempt on stdout. */
  job(report: JobReport): void {
    this.#out.line(this.#json ? JSON.stringify(report) : this.#formatJob(report));
  }

  /** `<time> <queue> <listener> <event> job <id> attempt <n> <ms>ms <outcome> [error]`. */
  #formatJob(report: JobReport): string {
    const out = this.#out;
    const outcome =
      report.outcome === 'completed'
        ? out.paint('green', 'completed')
        : report.outcome === 'retrying'
          ? out.paint('yellow', 'retrying')
          : out.paint('red', 'failed');
    const error = report.error === undefined ? '' : ` ${out.paint('dim', report.error)}`;
    return `${report.time.toISOString()} ${report.queue} ${report.listener} ${report.event} job ${report.jobId} attempt ${report.attempt} ${report.durationMs}ms ${outcome}${error}`;
  }
}
