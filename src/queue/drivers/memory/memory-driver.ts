import { randomUUID } from 'node:crypto';
import { HeraldError } from '../../../errors.js';
import type { DriverFeatures, QueueDriver, WorkerRequest } from '../../driver.js';
import type { FailedJobStore } from '../../failed/failed-job-store.js';
import type { QueuedJob } from '../../job/queued-job.js';
import type { AttemptResult } from '../../runner/attempt.js';
import type { JobRunner } from '../../runner/job-runner.js';
import { clearLongTimeout, type LongTimer, setLongTimeout } from '../../runner/long-timer.js';
import type { HeraldWorker } from '../../worker/herald-worker.js';
import { InProcessWorker } from '../../worker/in-process-worker.js';
import { type JobReport, jobReportOf } from '../../worker/job-report.js';
import { MemoryFailedJobs } from './memory-failed-jobs.js';
import { type LoggedJob, MemoryLog, type MemoryLogEntry } from './memory-log.js';
import { OrderedLanes } from './ordered-lanes.js';

/** Everything a queued job can ask for, but only within this process. */
export const MEMORY_FEATURES: DriverFeatures = { delays: true, priority: true, unique: true, shared: false };

/** Settings of the in-process queue, defaults already applied (memory-descriptor.ts). */
export interface MemoryDriverOptions {
  /** The queue of jobs whose listener names none. */
  readonly queue: string;
  /** Jobs run at once. */
  readonly concurrency: number;
  /** Entries the log keeps per stream (memory-log.ts). */
  readonly maxLen: number;
}

interface Entry {
  /** Unique per job (its ordered lane's holder). */
  readonly id: string;
  /** `ctx.jobId`: its log entry's id when its event names a stream (as on `streams`), else `id`. */
  readonly jobId: string;
  readonly job: QueuedJob;
  /** The job data as JSON, as a real queue would store it: listeners never share the dispatcher's objects. */
  readonly wire: string;
  readonly queue: string;
  readonly sequence: number;
  /** Its ordered lane (ordered-lanes.ts), if its listener is `ordered`. */
  readonly lane: string | undefined;
  attempt: number;
  /** The last attempt's error, for `failed()` if a retry may not start (attempt-limits.ts). */
  lastError?: Error | undefined;
  /** Its place in the log, when its event names a stream: out of tries, it is a dead letter. */
  readonly logged: LoggedJob | undefined;
}

/**
 * The embedded queue: jobs run in this process, soon after `dispatch` resolves, with the same
 * delays, retries, backoff, timeouts and `failed()` as the Redis driver. Not durable: jobs
 * still waiting when the process exits are lost.
 */
export class MemoryDriver implements QueueDriver {
  readonly connection: string;
  readonly inline = false;
  readonly defaultQueue: string;
  readonly features = MEMORY_FEATURES;
  readonly failedJobs: FailedJobStore;
  /** The stand-in for a streams log: what `herald.replay()` and friends read on memory. */
  readonly log: MemoryLog;
  readonly #runner: JobRunner;
  readonly #concurrency: number;
  readonly #waiting: Entry[] = [];
  readonly #timers = new Set<LongTimer>();
  readonly #uniqueIds = new Map<string, number>();
  readonly #failed: MemoryFailedJobs<Entry>;
  readonly #idleWaiters: (() => void)[] = [];
  readonly #jobListeners = new Set<(report: JobReport) => void>();
  readonly #lanes = new OrderedLanes();
  #active = 0;
  #sequence = 0;
  #closed = false;
  #pumpScheduled = false;

  constructor(connection: string, runner: JobRunner, options: MemoryDriverOptions) {
    this.connection = connection;
    this.#runner = runner;
    this.defaultQueue = options.queue;
    this.#concurrency = options.concurrency;
    this.log = new MemoryLog(options.maxLen);
    this.#failed = new MemoryFailedJobs<Entry>((entry) => {
      entry.attempt = 1;
      entry.lastError = undefined;
      this.#enqueue(entry);
    });
    this.failedJobs = this.#failed;
  }

  async push(job: QueuedJob): Promise<void> {
    if (this.#closed) throw new HeraldError('closed', `The queue connection "${this.connection}" is closed.`);
    // Standing in for a streams connection: the event is kept in the log once per dispatch
    // (memory-log.ts); an append with no listener ('') is an entry no local listener reads.
    const logged = this.log.append(job);
    if (job.data.listener === '') return;
    const unique = job.options.unique;
    if (unique !== undefined) {
      const until = this.#uniqueIds.get(unique.id);
      if (until !== undefined && until > Date.now()) return;
      this.#uniqueIds.set(
        unique.id,
        unique.ttl === undefined ? Number.POSITIVE_INFINITY : Date.now() + unique.ttl,
      );
    }
    this.#start(job, logged, job.options.delay);
  }

  /**
   * Runs the listener's job of a logged entry again, with fresh tries and no delay (replay,
   * retryDead: memory-stream-admin.ts); false when the listener got no job of that entry.
   */
  redeliver(entry: MemoryLogEntry, listener: string): boolean {
    if (this.#closed) throw new HeraldError('closed', `The queue connection "${this.connection}" is closed.`);
    const job = entry.jobs.get(listener);
    if (job === undefined) return false;
    this.#start(job, entry, 0);
    return true;
  }

  #start(job: QueuedJob, logEntry: MemoryLogEntry | undefined, delay: number): void {
    const id = `memory-${randomUUID()}`;
    const entry: Entry = {
      id,
      jobId: logEntry?.id ?? id,
      job,
      wire: JSON.stringify(job.data),
      queue: job.options.queue ?? this.defaultQueue,
      sequence: this.#sequence++,
      lane: OrderedLanes.laneOf(job),
      attempt: 1,
      logged: logEntry === undefined ? undefined : this.log.track(logEntry, job.data.listener),
    };
    this.#schedule(entry, delay);
  }

  #schedule(entry: Entry, delay: number): void {
    // A retry asked for after close() must not start a timer: nothing would ever clear it, so
    // the driver would never be idle again and close() (waiting for idle) would hang.
    if (this.#closed) return;
    if (delay <= 0) {
      this.#enqueue(entry);
      return;
    }
    // A long timer: a delay, backoff or release past 2^31 - 1 ms must wait, not run at once.
    const timer = setLongTimeout(() => {
      this.#timers.delete(timer);
      this.#enqueue(entry);
    }, delay);
    this.#timers.add(timer);
  }

  #enqueue(entry: Entry): void {
    if (this.#closed) return;
    // BullMQ's rule, so both drivers agree: jobs without a priority come first, then prioritised
    // ones from 1 (highest) down; FIFO among equals.
    const rank = (e: Entry) => e.job.options.priority ?? 0;
    const at = this.#waiting.findIndex((other) => rank(other) > rank(entry));
    if (at === -1) this.#waiting.push(entry);
    else this.#waiting.splice(at, 0, entry);
    // Start on a later macrotask: dispatch resolves first, as it would against a real queue. A
    // microtask is not enough: it runs before the dispatcher's own awaits settle, so the job's
    // handler started before `dispatch` resolved. One pending pump serves every enqueue.
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (!this.#closed && this.#active < this.#concurrency) {
      // The first waiting job whose ordered lane (if any) is free: usually the head.
      const at = this.#waiting.findIndex((each) => this.#lanes.mayStart(each.lane, each.id));
      if (at === -1) break;
      const [entry] = this.#waiting.splice(at, 1) as [Entry];
      this.#lanes.hold(entry.lane, entry.id);
      if (entry.logged !== undefined) entry.logged.started = true;
      this.#active++;
      void this.#run(entry).finally(() => {
        this.#active--;
        this.#pump();
        this.#notifyIfIdle();
      });
    }
    this.#notifyIfIdle();
  }

  async #run(entry: Entry): Promise<void> {
    const started = performance.now();
    const result = await this.#runner.run(entry.wire, {
      attempt: entry.attempt,
      jobId: entry.jobId,
      queue: entry.queue,
      options: entry.job.options,
      previousError: entry.lastError,
    });
    this.#report(entry, started, result);
    if (result.status === 'retry') {
      entry.attempt++;
      entry.lastError = result.error;
      this.#schedule(entry, result.delay);
      return;
    }
    this.#lanes.release(entry.lane, entry.id);
    this.#releaseUnique(entry);
    if (entry.logged !== undefined) {
      this.log.settle(entry.logged);
      // As on `streams`: an entry out of tries is a dead letter of its listener, not a failed job.
      if (result.status === 'failed') this.log.deadLetter(entry.logged, entry.attempt, result.error);
      return;
    }
    if (result.status === 'failed') {
      this.#failed.add(
        {
          id: entry.id,
          connection: this.connection,
          queue: entry.queue,
          listener: entry.job.data.listener,
          event: entry.job.data.event,
          attempts: entry.attempt,
          error: result.error.message,
          failedAt: new Date(),
          data: entry.job.data,
        },
        entry,
      );
    }
  }

  /** Jobs already run on push: the worker watches them (reporting each) until a stop condition. */
  async createWorker(request: WorkerRequest): Promise<HeraldWorker> {
    return new InProcessWorker(this, request.options);
  }

  /**
   * Subscribes to every finished attempt (what `work()` counts and `queue:work` logs); returns
   * the unsubscribe function.
   */
  onJob(listener: (report: JobReport) => void): () => void {
    this.#jobListeners.add(listener);
    return () => this.#jobListeners.delete(listener);
  }

  #report(entry: Entry, started: number, result: AttemptResult): void {
    if (this.#jobListeners.size === 0) return;
    const { listener, event, dispatchedAt } = entry.job.data;
    const report = jobReportOf(
      { queue: entry.queue, jobId: entry.jobId, listener, event, attempt: entry.attempt, dispatchedAt },
      started,
      result,
    );
    for (const listener of this.#jobListeners) listener(report);
  }

  #releaseUnique(entry: Entry): void {
    const unique = entry.job.options.unique;
    if (unique !== undefined && unique.ttl === undefined) this.#uniqueIds.delete(unique.id);
  }

  isIdle(): boolean {
    return this.#active === 0 && this.#waiting.length === 0 && this.#timers.size === 0;
  }

  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #notifyIfIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearLongTimeout(timer);
    this.#timers.clear();
    this.#waiting.length = 0;
    if (this.#active > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    this.#notifyIfIdle();
  }
}
