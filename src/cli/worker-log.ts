import type { HeraldLogger } from '../logging/herald-logger.js';
import { RepeatQuiet } from '../logging/repeat-quiet.js';
import { writeLog } from '../logging/write-log.js';
import type { JobReport } from '../queue/worker/job-report.js';
import type { WorkOptions } from '../queue/worker/work-options.js';
import type { Output } from './output.js';

/** What the CLI's own lines carry as fields when they go to the config's logger. */
const CLI_FIELDS = { command: 'queue:work' } as const;

/**
 * The log of `herald queue:work`: one line per job attempt on stdout (text or `--json`), and
 * timestamped `herald:` lines on stderr for everything else (start, warnings, signals, errors).
 * Every line starts with an ISO time (test/cli/queue-work-log-output.test.ts).
 *
 * With a `logger` in the config the CLI yields to it: `herald.work()` sends that logger the
 * attempt records, errors and warnings, and the CLI's own lines (start, signals, stop) go to it
 * too, with `command: 'queue:work'`; nothing is printed. Why not both: an app that configures a
 * logger wants one stream in one format, and pino writes NDJSON to stdout, so text lines beside
 * it would break every line-by-line JSON reader of that stream, and each attempt would be logged
 * twice (test/cli/queue-work-logger.test.ts).
 */
export class WorkerLog {
  readonly #out: Output;
  readonly #json: boolean;
  readonly #logger: HeraldLogger | undefined;
  readonly #quiet = new RepeatQuiet();

  constructor(out: Output, json: boolean, logger?: HeraldLogger) {
    this.#out = out;
    this.#json = json;
    this.#logger = logger;
  }

  /**
   * The `work()` callbacks that print attempts, errors and warnings; none when a logger takes
   * them (`work()` routes them to the config's logger then).
   */
  workCallbacks(): Pick<WorkOptions, 'onError' | 'onWarning' | 'onJob'> {
    if (this.#logger !== undefined) return {};
    return {
      onError: (error) => this.error(error),
      onWarning: (warning) => this.warn(warning.message),
      onJob: (report) => this.job(report),
    };
  }

  /** A `<time> herald: <text>` line on stderr (or an info record to the config's logger). */
  info(text: string): void {
    if (this.#logger !== undefined) writeLog(this.#logger, 'info', CLI_FIELDS, text);
    else this.#out.error(`${new Date().toISOString()} herald: ${text}`);
  }

  /** A warning line on stderr (or a warn record to the config's logger). */
  warn(text: string): void {
    if (this.#logger !== undefined) writeLog(this.#logger, 'warn', CLI_FIELDS, text);
    else this.info(`${this.#out.paint('yellow', 'warning:')} ${text}`);
  }

  /** A worker error on stderr, once per distinct message per 10 s (see RepeatQuiet). */
  error(error: Error): void {
    if (this.#quiet.allows(error.message)) this.info(`worker error: ${error.message}`);
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
