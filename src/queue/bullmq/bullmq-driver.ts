import { type JobsOptions, Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { BullMqConnectionConfig } from '../../config/config-types.js';
import { HeraldError } from '../../errors.js';
import type { FailedJob } from '../failed-job.js';
import type { FailedJobStore } from '../failed-job-store.js';
import type { JobOptions, QueuedJob } from '../job-options.js';
import type { QueueDriver } from '../queue-driver.js';
import { BullMqFailedJobs } from './bullmq-failed-jobs.js';
import { bullMqJobOptions } from './bullmq-job-options.js';
import { RawDataQueue } from './raw-data-job.js';
import { describeRedis, redisOptionsFrom } from './redis-options.js';

const DEFAULT_UNAVAILABLE_TIMEOUT = 5000;

/**
 * Most jobs one addBulk carries. Redis runs a MULTI only once all of it has arrived, so one
 * batch of a 1000-dispatch burst left Redis idle while Node serialised it all, then Node idle
 * while Redis ran it: enqueueing took 1.6x as long as with batches of 100-250
 * (`npm run bench:queue`). Small batches also keep each Redis transaction short for the workers.
 */
const MAX_BATCH = 100;

const CONNECTION_PROBLEM =
  /no answer from Redis|Command timed out|Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|max retries|READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN/i;

/** The jobs pushed to one queue in one tick, stored together. */
interface PendingBatch {
  readonly jobs: QueuedJob[];
  /** Settles once Redis acknowledged (or refused) every job of the batch. */
  readonly stored: Promise<void>;
}

/** Whether an error from ioredis/BullMQ means Redis could not be reached (vs a refused job). */
function isConnectionProblem(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  const code = (error as { code?: unknown }).code;
  return (
    CONNECTION_PROBLEM.test(error.message) || (typeof code === 'string' && CONNECTION_PROBLEM.test(code))
  );
}

/**
 * Pushes jobs to BullMQ queues on Redis. The producer connection has ioredis' offline queue
 * off: while Redis is down a push fails (after a bounded wait for a reconnect) with
 * `queue_unavailable` instead of hanging or being buffered in memory where a crash would lose it.
 */
export class BullMqDriver implements QueueDriver, FailedJobStore {
  readonly connection: string;
  readonly inline = false;
  readonly config: BullMqConnectionConfig;
  readonly redisOptions: RedisOptions;
  readonly prefix: string;
  readonly defaultQueue: string;
  readonly #queues = new Map<string, Queue>();
  readonly #batches = new Map<string, PendingBatch>();
  readonly #sharedOptions = new WeakMap<JobOptions, JobsOptions>();
  readonly #failed: BullMqFailedJobs;
  readonly #unavailableTimeout: number;
  #producer: Redis | undefined;
  #ready: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(connection: string, config: BullMqConnectionConfig) {
    this.connection = connection;
    this.config = config;
    this.redisOptions = redisOptionsFrom(config);
    this.prefix = config.prefix ?? 'herald';
    this.defaultQueue = config.queue ?? 'default';
    this.#unavailableTimeout = config.unavailableTimeout ?? DEFAULT_UNAVAILABLE_TIMEOUT;
    this.#failed = new BullMqFailedJobs(connection, (name) => this.queue(name));
  }

  /** How long (ms) to wait for Redis before `queue_unavailable` (pushes, and a worker's start). */
  get unavailableTimeout(): number {
    return this.#unavailableTimeout;
  }

  /**
   * Stores the job. Jobs pushed in the same tick (the jobs of one dispatch, or of many concurrent
   * dispatches) go to Redis together, in `addBulk` calls of up to {@link MAX_BATCH} jobs per
   * queue: one transaction instead of a round trip each. `addBulk` is all or nothing, so every
   * push of a batch resolves or rejects together. Unique jobs go alone, with `add`, where BullMQ
   * applies deduplication.
   */
  push(job: QueuedJob): Promise<void> {
    if (this.#closing !== undefined) {
      return Promise.reject(
        new HeraldError('closed', `The queue connection "${this.connection}" is closed.`),
      );
    }
    const name = job.options.queue ?? this.defaultQueue;
    if (job.options.unique !== undefined) return this.#store(name, [job]);
    let batch = this.#batches.get(name);
    if (batch === undefined) {
      const jobs: QueuedJob[] = [];
      // Every push of a batch shares its one promise: addBulk stores all or none, so they settle
      // together anyway, and a promise plus two callbacks per push were a measurable part of a
      // queued dispatch's cost. The batch closes when its microtask runs (or when it is full).
      const stored: Promise<void> = Promise.resolve().then(() => {
        if (this.#batches.get(name)?.stored === stored) this.#batches.delete(name);
        return this.#store(name, jobs);
      });
      batch = { jobs, stored };
      this.#batches.set(name, batch);
    }
    batch.jobs.push(job);
    if (batch.jobs.length >= MAX_BATCH) this.#batches.delete(name);
    return batch.stored;
  }

  async #store(name: string, jobs: readonly QueuedJob[]): Promise<void> {
    try {
      const queue = await this.queue(name);
      const [only] = jobs;
      // Bounded by the producer's commandTimeout rather than a timer per job.
      if (jobs.length === 1 && only !== undefined) {
        await queue.add(only.data.listener, only.data, this.#bullMqOptionsOf(only.options));
      } else {
        await queue.addBulk(
          jobs.map((job) => ({
            name: job.data.listener,
            data: job.data,
            opts: this.#bullMqOptionsOf(job.options),
          })),
        );
      }
    } catch (error) {
      if (HeraldError.is(error)) throw error;
      if (!isConnectionProblem(error)) {
        // BullMQ validates options at add; that is a problem with the job, not with Redis.
        const names = [...new Set(jobs.map((job) => `${job.data.listener} for ${job.data.event}`))].join(
          ', ',
        );
        throw new HeraldError(
          'config_invalid',
          `BullMQ refused the job of ${names}: ${error instanceof Error ? error.message : String(error)}. Check the listener's queue options.`,
          { cause: error },
        );
      }
      throw this.#unavailable(error, 'store the job');
    }
  }

  /**
   * BullMQ options of a job, made once per JobOptions object: a listener without option methods
   * shares one JobOptions across its jobs (queue-bridge.ts), and BullMQ copies the options into
   * each job it adds.
   */
  #bullMqOptionsOf(options: JobOptions): JobsOptions {
    let made = this.#sharedOptions.get(options);
    if (made === undefined) {
      made = bullMqJobOptions(options);
      this.#sharedOptions.set(options, made);
    }
    return made;
  }

  /** The BullMQ queue of a name, on the shared producer connection (ready when returned). */
  async queue(name: string): Promise<Queue> {
    if (this.#closing !== undefined)
      throw new HeraldError('closed', `The queue connection "${this.connection}" is closed.`);
    const producer = await this.#connectedProducer();
    let queue = this.#queues.get(name);
    if (queue === undefined) {
      // RawDataQueue: queue:failed/retry/forget must not crash on a job whose data is not JSON.
      queue = new RawDataQueue(name, { connection: producer, prefix: this.prefix });
      // BullMQ reports connection errors on the queue too; they surface through push instead.
      queue.on('error', () => {});
      this.#queues.set(name, queue);
    }
    return queue;
  }

  async #connectedProducer(): Promise<Redis> {
    if (this.#producer === undefined) {
      this.#producer = new Redis({
        ...this.redisOptions,
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: this.#unavailableTimeout,
        retryStrategy: (times) => Math.min(times * 100, 1000),
      });
      // Errors show up as failed pushes; an unhandled 'error' event would crash the app.
      this.#producer.on('error', () => {});
      this.#producer.connect().catch(() => {});
    }
    const producer = this.#producer;
    if (producer.status === 'ready') return producer;
    // One shared 'ready' wait for every push that arrives while connecting: a listener per push
    // piled up (MaxListenersExceededWarning on 11 concurrent dispatches) and, during an outage,
    // every rejected dispatch left its listener behind until Redis came back.
    this.#ready ??= new Promise<void>((resolve) =>
      producer.once('ready', () => {
        this.#ready = undefined;
        resolve();
      }),
    );
    try {
      await this.#bounded(this.#ready, 'connect');
    } catch (error) {
      throw this.#unavailable(error, 'connect');
    }
    return producer;
  }

  #bounded<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`no answer from Redis within ${this.#unavailableTimeout} ms while trying to ${what}`),
          ),
        this.#unavailableTimeout,
      );
    });
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }

  #unavailable(error: unknown, what: string): HeraldError {
    if (HeraldError.is(error)) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new HeraldError(
      'queue_unavailable',
      `Could not ${what} on the queue connection "${this.connection}" (Redis at ${describeRedis(this.redisOptions)}): ${reason}. The dispatch may not have been queued (dispatch again once Redis is back; a job whose reply was lost may then run twice, so keep listeners idempotent). Check that Redis is running and reachable.`,
      { cause: error },
    );
  }

  listFailed(queues: readonly string[]): Promise<FailedJob[]> {
    return this.#failed.list(queues);
  }

  retryFailed(ids: readonly string[] | 'all', queues: readonly string[]): Promise<string[]> {
    return this.#failed.retry(ids, queues);
  }

  forgetFailed(id: string, queues: readonly string[]): Promise<boolean> {
    return this.#failed.forget(id, queues);
  }

  flushFailed(queues: readonly string[]): Promise<number> {
    return this.#failed.flush(queues);
  }

  /** Nothing runs in this process for Redis queues; workers own the jobs. */
  isIdle(): boolean {
    return true;
  }

  async drain(): Promise<void> {}

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#queues.values()].map((queue) => queue.close()));
      this.#producer?.disconnect();
    })();
    return this.#closing;
  }
}
