import { type ConnectionOptions, type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { AttemptResult } from '../attempt.js';
import type { JobRunner } from '../job-runner.js';
import type { HeraldWorker, JobReport, WorkOptions } from '../work-options.js';
import type { BullMqDriver } from './bullmq-driver.js';
import { heraldJobId } from './bullmq-job-id.js';
import { attemptOptionsOf, HERALD_BACKOFF_TYPE } from './bullmq-job-options.js';
import { workerRetention } from './bullmq-retention.js';
import { RawDataWorker } from './raw-data-job.js';

/** Thrown to BullMQ to ask for a retry after the delay the JobRunner chose. */
class RetryLater extends Error {
  readonly delay: number;
  constructor(error: Error, delay: number) {
    super(error.message);
    this.name = error.name;
    this.stack = error.stack;
    this.delay = delay;
  }
}

const POLL_EMPTY_MS = 200;

/**
 * Runs queued listeners from BullMQ queues: one BullMQ Worker per queue, each attempt through
 * the shared JobRunner. Closing stops fetching, aborts `ctx.signal` of active attempts so they
 * can wind down, and resolves once they have finished.
 */
export class BullMqHeraldWorker implements HeraldWorker {
  readonly stopped: Promise<void>;
  #processed = 0;
  readonly #workers: Worker[];
  readonly #driver: BullMqDriver;
  readonly #queues: readonly string[];
  readonly #options: WorkOptions;
  readonly #shutdown = new AbortController();
  readonly #timers = new Set<NodeJS.Timeout>();
  #active = 0;
  /** Jobs fetched beyond the `maxJobs` budget, waiting for it to free (see #startWithinBudget). */
  readonly #budgetWaiters: (() => void)[] = [];
  #closing: Promise<void> | undefined;
  #resolveStopped: () => void = () => {};

  constructor(driver: BullMqDriver, runner: JobRunner, queues: readonly string[], options: WorkOptions) {
    this.#driver = driver;
    this.#queues = queues;
    this.#options = options;
    this.stopped = new Promise((resolve) => {
      this.#resolveStopped = resolve;
    });
    const config = driver.config;
    this.#workers = queues.map((queue) => {
      // RawDataWorker: a job whose stored data is not JSON must fail, not loop forever (raw-data-job.ts).
      const worker = new RawDataWorker(queue, (job: Job, token) => this.#process(runner, queue, job, token), {
        connection: { ...driver.redisOptions, maxRetriesPerRequest: null } as ConnectionOptions,
        prefix: driver.prefix,
        concurrency: options.concurrency ?? 1,
        lockDuration: config.lockDuration ?? 30_000,
        stalledInterval: config.stalledInterval ?? 30_000,
        maxStalledCount: config.maxStalledCount ?? 1,
        ...workerRetention(config),
        settings: {
          backoffStrategy: (_attempts, type, error) =>
            type === HERALD_BACKOFF_TYPE && error instanceof RetryLater ? error.delay : 0,
        },
      });
      // The Worker reconnects by itself, so an error must not crash the process; but it must not
      // vanish either (a job BullMQ could not read once looped unseen): report it.
      worker.on('error', (error) => this.#options.onError?.(error));
      return worker;
    });
    if (options.maxTime !== undefined)
      this.#timers.add(setTimeout(() => void this.close(), options.maxTime * 1000));
    if (options.stopWhenEmpty === true) this.#pollUntilEmpty();
  }

  get processed(): number {
    return this.#processed;
  }

  /** Resolves once every BullMQ worker is connected and fetching. */
  async ready(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.waitUntilReady()));
  }

  async #process(runner: JobRunner, queue: string, job: Job, token: string | undefined): Promise<void> {
    // Without a budget no job waits: skip the extra await (a promise per job on the hot path).
    if (this.#options.maxJobs === undefined) this.#active++;
    else await this.#startWithinBudget(job, token);
    // The start time only serves the per-job report.
    const started = this.#options.onJob === undefined ? 0 : performance.now();
    const jobId = heraldJobId(queue, job.id);
    let result: AttemptResult | undefined;
    try {
      result = await runner.run(job.data, {
        attempt: job.attemptsMade + 1,
        jobId,
        queue,
        options: attemptOptionsOf(job.opts),
        shutdownSignal: this.#shutdown.signal,
      });
    } finally {
      this.#active--;
      // Waiters resume on a later microtask, so they see the #countProcessed() below.
      if (this.#budgetWaiters.length > 0) this.#wakeBudgetWaiters();
    }
    const final = result.status !== 'retry';
    this.#report(queue, job, jobId, started, result);
    if (final) this.#countProcessed();
    if (result.status === 'completed') return;
    if (result.status === 'retry') throw new RetryLater(result.error, result.delay);
    // Out of attempts (failed() already ran): tell BullMQ not to retry.
    const error = new UnrecoverableError(result.error.message);
    error.stack = result.error.stack;
    throw error;
  }

  #report(queue: string, job: Job, jobId: string, started: number, result: AttemptResult): void {
    const onJob = this.#options.onJob;
    if (onJob === undefined) return;
    const data = job.data as { listener?: unknown; event?: unknown } | undefined;
    const report: JobReport = {
      time: new Date(),
      queue,
      jobId,
      listener: typeof data?.listener === 'string' ? data.listener : '?',
      event: typeof data?.event === 'string' ? data.event : '?',
      attempt: job.attemptsMade + 1,
      durationMs: Math.round(performance.now() - started),
      outcome: result.status === 'retry' ? 'retrying' : result.status,
      ...(result.status === 'completed' ? {} : { error: result.error.message }),
    };
    onJob(report);
  }

  /**
   * Fix: `maxJobs` was overshot. BullMQ fetches ahead (up to `concurrency` jobs per queue, and
   * the next job as each one completes), so `maxJobs: 5, concurrency: 4` ran 8 jobs. A job
   * fetched while the budget (finished + running) is spent now waits, holding its slot so
   * BullMQ fetches nothing more: if a running attempt ends as a retry, the budget frees and it
   * runs; once the worker stops, it goes back to `wait` untouched (WaitingError tells BullMQ
   * the job was moved, not failed). Counts the job active in the same tick as the check, so two
   * jobs never both take the last slot.
   */
  async #startWithinBudget(job: Job, token: string | undefined): Promise<void> {
    const max = this.#options.maxJobs;
    while (max !== undefined && this.#processed + this.#active >= max) {
      if (this.#closing !== undefined || this.#shutdown.signal.aborted) {
        await job.moveToWait(token ?? '');
        throw new WaitingError();
      }
      await new Promise<void>((resolve) => this.#budgetWaiters.push(resolve));
    }
    this.#active++;
  }

  #wakeBudgetWaiters(): void {
    for (const wake of this.#budgetWaiters.splice(0)) wake();
  }

  #countProcessed(): void {
    this.#processed++;
    const max = this.#options.maxJobs;
    if (max !== undefined && this.#processed >= max) void this.close();
  }

  #pollUntilEmpty(): void {
    const check = async () => {
      if (this.#closing !== undefined) return;
      try {
        // Active jobs count too: a stop-when-empty worker must not exit while one is running.
        let remaining = this.#active;
        for (const name of this.#queues) {
          const queue = await this.#driver.queue(name);
          const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
          remaining += Object.values(counts).reduce((sum, count) => sum + count, 0);
        }
        if (remaining === 0) {
          void this.close();
          return;
        }
      } catch {
        // Redis unreachable: keep waiting; the workers reconnect by themselves.
      }
      this.#schedulePoll(check);
    };
    this.#schedulePoll(check);
  }

  /** One poll timer at a time, forgotten once it fired (a long-running worker polls forever). */
  #schedulePoll(check: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void check();
    }, POLL_EMPTY_MS);
    this.#timers.add(timer);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const timer of this.#timers) clearTimeout(timer);
      this.#shutdown.abort(new Error('The worker is shutting down.'));
      this.#wakeBudgetWaiters();
      await Promise.allSettled(this.#workers.map((worker) => worker.close()));
      this.#resolveStopped();
    })();
    return this.#closing;
  }
}
