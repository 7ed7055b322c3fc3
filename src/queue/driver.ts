import type { BacklogQuery, ListenerBacklog } from './backlog.js';
import type { FailedJobStore } from './failed/failed-job-store.js';
import type { JobOptions, QueuedJob } from './job/queued-job.js';
import type { QueueStateReader } from './queue-states.js';
import type { RedisClient } from './redis/redis-client.js';
import type { JobRunner } from './runner/job-runner.js';
import type { HeraldWorker } from './worker/herald-worker.js';
import type { JobReport } from './worker/job-report.js';
import type { WorkOptions } from './worker/work-options.js';

/** The queue a job goes to when neither its listener nor its connection's config names one. */
export const DEFAULT_QUEUE = 'default';

/** A connection's default queue: its config's `queue`, else {@link DEFAULT_QUEUE}. */
export function configuredQueue(config: { readonly queue?: string | undefined }): string {
  return config.queue ?? DEFAULT_QUEUE;
}

/**
 * What a driver supports beyond moving jobs, by design. The conformance suite
 * (test/conformance) pins each of these per driver.
 */
export interface DriverFeatures {
  /** `delay`, backoff and `release(ms)` waits are honoured (sync runs attempts back to back). */
  readonly delays: boolean;
  /** Waiting jobs start by `priority` (sync has no waiting jobs to order). */
  readonly priority: boolean;
  /** A second job with a taken `unique` id is dropped (sync has no pending job to collide with). */
  readonly unique: boolean;
  /** Jobs outlive the process and other processes see them (a worker elsewhere, `queue:clear`). */
  readonly shared: boolean;
}

/**
 * A queued listener of the worker's connection, for drivers that read per listener rather than
 * per queue (`streams`: one consumer group each).
 */
export interface WorkerListener {
  /** Its wire name (a streams consumer group's name). */
  readonly name: string;
  /** The streams its events are appended to: each event's `stream` option, else its wire name. */
  readonly streams: readonly string[];
  /** Where its group starts the first time (`streams`); default `'new'`. */
  readonly startFrom: 'new' | 'start';
  /** `streams`: one entry at a time per partition, in log order (one owner per partition). */
  readonly ordered: boolean;
  /** `streams`: every worker handles every new entry, no group, one attempt. */
  readonly broadcast: boolean;
  /**
   * Its attempt options, read from the listener on the worker: one log entry serves every
   * listener, so they cannot travel with it.
   */
  readonly options: Pick<JobOptions, 'tries' | 'backoff' | 'timeout' | 'retryUntil'>;
}

/** What `createWorker` needs: the queues to take jobs from and how to run them. */
export interface WorkerRequest {
  /** The queues to work, already resolved (the caller's, or every queue the listeners use). */
  readonly queues: readonly string[];
  /** The connection's queued listeners (with their streams); queue drivers ignore them. */
  readonly listeners: readonly WorkerListener[];
  /**
   * The streams this app's events are appended to on the connection (`@Event(name, { stream })`),
   * read by a listener here or not: a log driver's workers keep them within retention too, so a
   * stream this app only publishes does not grow without end.
   */
  readonly appendedStreams?: readonly string[];
  readonly options: WorkOptions;
  /** The app's runner: attempts of jobs a worker takes run through it. */
  readonly runner: JobRunner;
}

/**
 * A queue connection's implementation (`sync`, `memory`, `bullmq`). Drivers move jobs; the
 * shared JobRunner decides what an attempt means, so retries and `failed()` behave alike.
 * Callers ask a driver what it offers through this contract only, never its class: a driver is
 * made from its descriptor (drivers/descriptors.ts).
 */
export interface QueueDriver {
  /** The connection name from config. */
  readonly connection: string;
  /**
   * True when `push` runs the job before it resolves (the sync driver): the dispatcher then
   * awaits each push in listener order instead of collecting them.
   */
  readonly inline: boolean;
  /** The queue of jobs whose listener names none: the connection's `queue`, or `'default'`. */
  readonly defaultQueue: string;
  /** What this driver supports; see {@link DriverFeatures}. */
  readonly features: DriverFeatures;
  /** Where jobs out of attempts are kept; undefined when a final failure rejects the dispatch (sync). */
  readonly failedJobs?: FailedJobStore | undefined;
  /** Its queues' jobs by state (`herald_queue_jobs`); absent where nothing is counted (in-process). */
  readonly queueStates?: QueueStateReader | undefined;
  /** Resolves once the queue has acknowledged the job (stored it, or ran it for `sync`). */
  push(job: QueuedJob): Promise<void>;
  /**
   * Pushes the job unless a push with the same `once` id was made before (the outbox relay, whose
   * id comes from the row: a relay that crashed between push and delete pushes the row again).
   * The job and a marker of `once` are stored atomically; {@link forgetOnce} lets the marker go.
   * Shared drivers implement it; the relay falls back to `push` where absent.
   */
  pushOnce?(job: QueuedJob, once: string): Promise<void>;
  /**
   * Lets the marker of a `pushOnce` whose outbox row is gone expire after a grace period, long
   * enough for a late push of the same row to find it (src/queue/redis/once-marker.ts).
   */
  forgetOnce?(job: QueuedJob, once: string): Promise<void>;
  /**
   * Starts a worker on this connection (`herald.work()`): for a shared queue it takes jobs from
   * `queues`; for an in-process one jobs already run on push, so it watches until a stop condition.
   */
  createWorker(request: WorkerRequest): Promise<HeraldWorker>;
  /** Whether nothing is waiting, delayed or active in this process right now. */
  isIdle(): boolean;
  /** Resolves when nothing is waiting, delayed or active in this process's queues. */
  drain(): Promise<void>;
  /** Releases connections and timers; idempotent. */
  close(): Promise<void>;
  /**
   * Subscribes to every attempt that runs in this process without a worker (`memory`): how its
   * metrics are recorded; returns the unsubscribe function.
   */
  onJob?(listener: (report: JobReport) => void): () => void;
  /** herald's own keys (metrics) on a Redis connection: its producer client, connected, and prefix. */
  heraldKeys?(): Promise<HeraldKeys>;
  /** Each listener's jobs right now (`herald.stats()`); see {@link ListenerBacklog}. */
  backlog?(listeners: readonly BacklogQuery[]): Promise<ListenerBacklog[]>;
}

/** A Redis connection's client and key prefix, for keys herald keeps beside the jobs (metrics). */
export interface HeraldKeys {
  readonly client: RedisClient;
  readonly prefix: string;
}
