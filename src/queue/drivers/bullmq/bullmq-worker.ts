import { type ConnectionOptions, type Job, UnrecoverableError, WaitingError, type Worker } from 'bullmq';
import { HeraldError } from '../../../errors.js';
import type { AttemptOverrun, AttemptResult } from '../../runner/attempt.js';
import type { JobRunner } from '../../runner/job-runner.js';
import { clearLongTimeout, type LongTimer, setLongTimeout } from '../../runner/long-timer.js';
import type { HeraldWorker } from '../../worker/herald-worker.js';
import { jobReportOf } from '../../worker/job-report.js';
import { DEFAULT_TIMEOUT_GRACE, type WorkOptions } from '../../worker/work-options.js';
import { connectWithin } from './bullmq-connect.js';
import { heraldJobId } from './bullmq-job-id.js';
import { attemptOptionsOf, HERALD_BACKOFF_TYPE } from './bullmq-job-options.js';
import { reportedNamesOf } from './bullmq-job-report.js';
import { lockSettingsOf } from './bullmq-lock-settings.js';
import { attemptNumberOf, failureBeforeRun, previousErrorOf } from './bullmq-pick-up.js';
import { workerRetention } from './bullmq-retention.js';
import type { BullMqWorkerSource } from './bullmq-worker-source.js';
import { closeWorkers } from './close-workers.js';
import { overrunError } from './overrun-error.js';
import { RawDataWorker } from './raw-data-job.js';
import { RetryLater } from './retry-later.js';

const POLL_EMPTY_MS = 200;

/**
 * Runs queued listeners from BullMQ queues: one BullMQ Worker per queue, each attempt through
 * the shared JobRunner. Closing stops fetching, aborts `ctx.signal` of active attempts so they
 * can wind down, and resolves once they have finished. A handler still running `timeoutGrace`
 * after its timeout stops the worker: it takes no more jobs, lets the others finish, and
 * `stopped` rejects with a `timeout` HeraldError, so `queue:work` exits 1 and its process
 * manager starts a fresh one (what Laravel does to a timed-out worker).
 */
export class BullMqHeraldWorker implements HeraldWorker {
  readonly stopped: Promise<void>;
  #processed = 0;
  readonly #workers: Worker[];
  readonly #driver: BullMqWorkerSource;
  readonly #queues: readonly string[];
  readonly #options: WorkOptions;
  readonly #shutdown = new AbortController();
  readonly #timers = new Set<NodeJS.Timeout>();
  #maxTimeTimer: LongTimer | undefined;
  #active = 0;
  /** Jobs fetched beyond the `maxJobs` budget, waiting for it to free (see #startWithinBudget). */
  readonly #budgetWaiters: (() => void)[] = [];
  #closing: Promise<void> | undefined;
  #resolveStopped: () => void = () => {};
  #rejectStopped: (error: Error) => void = () => {};
  /** Attempts still running after their timeout's grace: the worker stops once the rest end. */
  readonly #overrunning = new Set<Job>();
  /** Told whenever an attempt ends, for the overrun stop waiting on the others. */
  #onAttemptEnd: (() => void) | undefined;
  /** Why the worker stopped on its own: the first handler that overran its timeout. */
  #overrunError: HeraldError | undefined;
  /** The last error a BullMQ Worker reported, for the `queue_unavailable` message. */
  #lastError: Error | undefined;

  constructor(
    driver: BullMqWorkerSource,
    runner: JobRunner,
    queues: readonly string[],
    options: WorkOptions,
  ) {
    this.#driver = driver;
    this.#queues = queues;
    this.#options = options;
    this.stopped = new Promise((resolve, reject) => {
      this.#resolveStopped = resolve;
      this.#rejectStopped = reject;
    });
    const config = driver.config;
    this.#workers = queues.map((queue) => {
      // RawDataWorker: a job whose stored data is not JSON must fail, not loop forever (raw-data-job.ts).
      const worker: Worker = new RawDataWorker(
        queue,
        (job: Job, token) => this.#process(runner, worker, queue, job, token),
        {
          connection: driver.workerConnection() as ConnectionOptions,
          prefix: driver.prefixOf(queue),
          concurrency: options.concurrency ?? 1,
          ...lockSettingsOf(config),
          ...workerRetention(config),
          settings: {
            backoffStrategy: (_attempts, type, error) =>
              type === HERALD_BACKOFF_TYPE && error instanceof RetryLater ? error.delay : 0,
          },
        },
      );
      // The Worker reconnects by itself, so an error must not crash the process; but it must not
      // vanish either (a job BullMQ could not read once looped unseen): report it.
      worker.on('error', (error) => {
        this.#lastError = error;
        this.#options.onError?.(error);
      });
      return worker;
    });
    if (options.maxTime !== undefined)
      this.#maxTimeTimer = setLongTimeout(() => void this.close(), options.maxTime * 1000);
    if (options.stopWhenEmpty === true) this.#pollUntilEmpty();
  }

  get processed(): number {
    return this.#processed;
  }

  /**
   * Resolves once every BullMQ worker is connected and fetching. A worker that never reaches
   * Redis within the connection's `unavailableTimeout` gives up: its BullMQ workers close and
   * this rejects with `queue_unavailable` (test/fault/redis-down-at-start.test.ts). Once
   * connected, a lost Redis is only reported: BullMQ reconnects by itself.
   */
  async ready(): Promise<void> {
    const error = await connectWithin(this.#workers, this.#driver, () => this.#lastError);
    if (error === undefined) return;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#closing ??= closeWorkers(this.#workers, true, this.#driver);
    await this.#closing;
    // Nobody holds this worker (work() rejects instead of returning it): nothing to reject.
    this.#resolveStopped();
    throw error;
  }

  async #process(
    runner: JobRunner,
    worker: Worker,
    queue: string,
    job: Job,
    token: string | undefined,
  ): Promise<void> {
    // A fetch already blocking when the worker began to stop still hands over a job: put it back.
    if (this.#closing !== undefined) return this.#giveBack(worker, job, token);
    // Without a budget no job waits: skip the extra await (a promise per job on the hot path).
    if (this.#options.maxJobs === undefined) this.#active++;
    else await this.#startWithinBudget(worker, job, token);
    // The start time only serves the per-job report.
    const started = this.#options.onJob === undefined ? 0 : performance.now();
    const jobId = heraldJobId(queue, job.id);
    const attempt = attemptNumberOf(job);
    let result: AttemptResult | undefined;
    try {
      const refused = failureBeforeRun(worker, job);
      if (refused !== undefined) result = await runner.giveUp(job.data, await refused);
      else {
        const options = attemptOptionsOf(job.opts);
        result = await runner.run(job.data, {
          attempt,
          jobId,
          queue,
          options,
          shutdownSignal: this.#shutdown.signal,
          previousError: previousErrorOf(job),
          overrun: options.timeout === undefined ? undefined : this.#overrunWatch(job, jobId),
        });
      }
    } finally {
      this.#active--;
      this.#overrunning.delete(job);
      // Waiters resume on a later microtask, so they see the #countProcessed() below.
      if (this.#budgetWaiters.length > 0) this.#wakeBudgetWaiters();
      this.#onAttemptEnd?.();
    }
    const final = result.status !== 'retry';
    this.#options.onJob?.(jobReportOf({ queue, jobId, attempt, ...reportedNamesOf(job) }, started, result));
    if (final) this.#countProcessed();
    if (result.status === 'completed') return;
    if (result.status === 'retry') throw new RetryLater(result.error, result.delay);
    // Out of attempts (failed() already ran): tell BullMQ not to retry.
    const error = new UnrecoverableError(result.error.message);
    error.stack = result.error.stack;
    throw error;
  }

  /**
   * A worker never runs more than `maxJobs` jobs, though BullMQ fetches ahead (up to
   * `concurrency` jobs per queue, and the next job as each one completes). A job fetched while
   * the budget (finished + running) is spent waits, holding its slot so BullMQ fetches nothing
   * more: if a running attempt ends as a retry, the budget frees and it runs; once the worker
   * stops, it goes back to `wait` untouched (WaitingError tells BullMQ the job was moved, not
   * failed). Counts the job active in the same tick as the check, so two jobs never both take
   * the last slot. Held by the `maxJobs - ...` cases of test/integration/bullmq/work-max-jobs.test.ts.
   */
  async #startWithinBudget(worker: Worker, job: Job, token: string | undefined): Promise<void> {
    const max = this.#options.maxJobs;
    while (max !== undefined && this.#processed + this.#active >= max) {
      if (this.#closing !== undefined || this.#shutdown.signal.aborted) {
        await this.#giveBack(worker, job, token);
      }
      await new Promise<void>((resolve) => this.#budgetWaiters.push(resolve));
    }
    this.#active++;
  }

  /**
   * Puts a fetched job back to `wait` without an attempt. Takes back the start BullMQ counted
   * when it fetched the job, or its next worker would see one attempt too many (attempts count
   * started ones). WaitingError tells BullMQ the job was moved, not failed.
   */
  async #giveBack(worker: Worker, job: Job, token: string | undefined): Promise<never> {
    const client = await worker.backend.client;
    await client.hset(worker.toKey(job.id ?? ''), { ats: String(Math.max(0, job.attemptsStarted - 1)) });
    await job.moveToWait(token ?? '');
    throw new WaitingError();
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
        // Outbox rows are jobs on their way (src/outbox); asked first: a relay pushes before it deletes.
        const outboxWaiting = (await this.#options.outboxWaiting?.()) === true;
        // Active jobs count too: a stop-when-empty worker must not exit while one is running.
        let remaining = this.#active;
        for (const name of this.#queues) {
          const queue = await this.#driver.queue(name);
          const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
          remaining += Object.values(counts).reduce((sum, count) => sum + count, 0);
        }
        if (remaining === 0 && !outboxWaiting) {
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

  /** Tells this worker when the attempt of `job` overruns its timeout (attempt-timeout.ts). */
  #overrunWatch(job: Job, jobId: string): AttemptOverrun {
    return {
      graceMs: this.#options.timeoutGrace ?? DEFAULT_TIMEOUT_GRACE,
      onOverrun: () => this.#stopForOverrun(job, jobId),
    };
  }

  /**
   * A handler ignored its timeout past the grace period. It cannot be killed inside Node, and
   * taking more jobs beside it would exceed `concurrency`, so the worker stops: no more
   * fetching, the other attempts finish, then `stopped` rejects (test/fault/timeout-overrun.test.ts).
   * The overrunning job keeps its lock until the process exits; then the stalled check gives it
   * to another worker, where the lost attempt counts toward `tries`.
   */
  #stopForOverrun(job: Job, jobId: string): void {
    this.#overrunning.add(job);
    this.#overrunError ??= overrunError(job, jobId, this.#options.timeoutGrace ?? DEFAULT_TIMEOUT_GRACE);
    // A stop already under way (a signal, maxTime) re-checks what it still waits for.
    this.#onAttemptEnd?.();
    void this.#stop();
  }

  close(): Promise<void> {
    this.#shutdown.abort(new Error('The worker is shutting down.'));
    return this.#stop();
  }

  /**
   * Stops fetching, waits for every attempt that can still end, then closes the BullMQ workers:
   * forced past an overrunning handler, which a normal close would wait for forever (so a
   * signal or `maxTime` stop cannot hang on one either). `stopped` rejects after an overrun.
   */
  #stop(): Promise<void> {
    this.#closing ??= (async () => {
      for (const timer of this.#timers) clearTimeout(timer);
      clearLongTimeout(this.#maxTimeTimer);
      this.#wakeBudgetWaiters();
      await Promise.allSettled(this.#workers.map((worker) => worker.pause(true)));
      while (this.#active > this.#overrunning.size) {
        await new Promise<void>((resolve) => {
          this.#onAttemptEnd = resolve;
        });
      }
      this.#onAttemptEnd = undefined;
      const force = this.#overrunning.size > 0;
      await closeWorkers(this.#workers, force, this.#driver);
      if (this.#overrunError === undefined) this.#resolveStopped();
      else this.#rejectStopped(this.#overrunError);
    })();
    return this.#closing;
  }
}
