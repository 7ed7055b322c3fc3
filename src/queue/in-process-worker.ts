import { clearLongTimeout, type LongTimer, setLongTimeout } from './long-timer.js';
import { MemoryDriver } from './memory-driver.js';
import type { QueueDriver } from './queue-driver.js';
import type { HeraldWorker, WorkOptions } from './work-options.js';

/**
 * `work()` on an in-process connection (memory, sync): jobs already run in this process as soon
 * as they are pushed, so the worker only watches: it reports each memory job to `onJob`, counts
 * `processed`, and stops for `stopWhenEmpty` once the queue is drained, for `maxJobs` once that
 * many jobs finished, for `maxTime` when the time is up, otherwise when closed.
 */
export class InProcessWorker implements HeraldWorker {
  readonly stopped: Promise<void>;
  #processed = 0;
  #unsubscribe: () => void = () => {};
  #resolve: () => void = () => {};
  #timer: LongTimer | undefined;

  constructor(driver: QueueDriver, options: WorkOptions) {
    this.stopped = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    if (options.stopWhenEmpty === true) void driver.drain().then(() => this.#resolve());
    if (options.maxTime !== undefined)
      this.#timer = setLongTimeout(() => this.#resolve(), options.maxTime * 1000);
    // Fix: stopping another way (stopWhenEmpty) left the maxTime timer pending, and the app drops
    // a stopped worker without closing it, so `queue:work memory --stop-when-empty --max-time
    // 3600` sat idle for the full hour before exiting.
    void this.stopped.then(() => {
      clearLongTimeout(this.#timer);
      this.#unsubscribe();
    });
    if (driver instanceof MemoryDriver) {
      this.#unsubscribe = driver.onJob((report) => {
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
