import { clearLongTimeout, type LongTimer, setLongTimeout } from '../runner/long-timer.js';
import type { HeraldWorker } from './herald-worker.js';
import type { JobReport } from './job-report.js';
import type { WorkOptions } from './work-options.js';

/** What an in-process worker watches: the driver's queue, and its finished attempts if it reports them. */
export interface InProcessJobs {
  /** Resolves when nothing is waiting, delayed or active. */
  drain(): Promise<void>;
  /** Subscribes to every finished attempt; returns the unsubscribe function. */
  onJob?(listener: (report: JobReport) => void): () => void;
}

/**
 * `work()` on an in-process connection (memory, sync): jobs already run in this process as soon
 * as they are pushed, so the worker only watches: it reports each job the driver reports to `onJob`, counts
 * `processed`, and stops for `stopWhenEmpty` once the queue is drained, for `maxJobs` once that
 * many jobs finished, for `maxTime` when the time is up, otherwise when closed.
 */
export class InProcessWorker implements HeraldWorker {
  readonly stopped: Promise<void>;
  #processed = 0;
  #unsubscribe: () => void = () => {};
  #resolve: () => void = () => {};
  #timer: LongTimer | undefined;

  constructor(jobs: InProcessJobs, options: WorkOptions) {
    this.stopped = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    if (options.stopWhenEmpty === true) void jobs.drain().then(() => this.#resolve());
    if (options.maxTime !== undefined)
      this.#timer = setLongTimeout(() => this.#resolve(), options.maxTime * 1000);
    // Any way of stopping clears the maxTime timer: the app drops a stopped worker without
    // closing it, so a pending timer would keep the process alive until maxTime
    // (test/cli/queue-work-stop-options.test.ts: "--stop-when-empty exits 0 at once, even with a long
    // --max-time").
    void this.stopped.then(() => {
      clearLongTimeout(this.#timer);
      this.#unsubscribe();
    });
    if (jobs.onJob !== undefined) {
      this.#unsubscribe = jobs.onJob((report) => {
        options.onJob?.(report);
        if (report.outcome === 'retrying') return;
        this.#processed++;
        if (options.maxJobs !== undefined && this.#processed >= options.maxJobs) this.#resolve();
      });
    }
  }

  get processed(): number {
    return this.#processed;
  }

  async close(): Promise<void> {
    clearLongTimeout(this.#timer);
    this.#resolve();
    await this.stopped;
  }
}
