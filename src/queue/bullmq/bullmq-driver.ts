import { type Job, Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { BullMqConnectionConfig } from '../../config/config-types.js';
import { HeraldError } from '../../errors.js';
import type { FailedJob } from '../failed-job.js';
import type { FailedJobStore } from '../failed-job-store.js';
import type { QueuedJob } from '../job-options.js';
import type { QueueDriver } from '../queue-driver.js';
import { bullMqJobOptions } from './bullmq-job-options.js';
import { RawDataQueue } from './raw-data-job.js';
import { describeRedis, redisOptionsFrom } from './redis-options.js';

const DEFAULT_UNAVAILABLE_TIMEOUT = 5000;

const CONNECTION_PROBLEM =
  /no answer from Redis|Command timed out|Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|max retries|READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN/i;

/** A push waiting for its tick's batch to be stored. */
interface PendingPush {
  readonly job: QueuedJob;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
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
  #batches = new Map<string, PendingPush[]>();
  #flushScheduled = false;
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
  }

  /**
   * Stores the job. Jobs pushed in the same tick (the jobs of one dispatch, or of many concurrent
   * dispatches) go to Redis together with one `addBulk` per queue: one transaction instead of a
   * round trip each. `addBulk` is all or nothing, so every push of a batch resolves or rejects
   * together. Unique jobs go alone, with `add`, where BullMQ applies deduplication.
   */
  push(job: QueuedJob): Promise<void> {
    if (this.#closing !== undefined) {
      return Promise.reject(
        new HeraldError('closed', `The queue connection "${this.connection}" is closed.`),
      );
    }
    if (job.options.unique !== undefined) return this.#store(job.options.queue ?? this.defaultQueue, [job]);
    return new Promise((resolve, reject) => {
      const name = job.options.queue ?? this.defaultQueue;
      let batch = this.#batches.get(name);
      if (batch === undefined) {
        batch = [];
        this.#batches.set(name, batch);
      }
      batch.push({ job, resolve, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        queueMicrotask(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batches = this.#batches;
    this.#batches = new Map();
    for (const [name, entries] of batches) {
      this.#store(
        name,
        entries.map((entry) => entry.job),
      ).then(
        () => {
          for (const entry of entries) entry.resolve();
        },
        (error: unknown) => {
          for (const entry of entries) entry.reject(error);
        },
      );
    }
  }

  async #store(name: string, jobs: readonly QueuedJob[]): Promise<void> {
    try {
      const queue = await this.queue(name);
      const [only] = jobs;
      // Bounded by the producer's commandTimeout rather than a timer per job.
      if (jobs.length === 1 && only !== undefined) {
        await queue.add(only.data.listener, only.data, bullMqJobOptions(only.options, this.config));
      } else {
        await queue.addBulk(
          jobs.map((job) => ({
            name: job.data.listener,
            data: job.data,
            opts: bullMqJobOptions(job.options, this.config),
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

  async listFailed(queues: readonly string[]): Promise<FailedJob[]> {
    const failed: FailedJob[] = [];
    for (const name of queues) {
      const queue = await this.queue(name);
      for (const job of await queue.getFailed()) failed.push(toFailedJob(job as Job, this.connection, name));
    }
    return failed.sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime());
  }

  async retryFailed(ids: readonly string[] | 'all', queues: readonly string[]): Promise<string[]> {
    const retried: string[] = [];
    for (const name of queues) {
      const queue = await this.queue(name);
      const jobs = ids === 'all' ? ((await queue.getFailed()) as Job[]) : await this.#jobsById(queue, ids);
      for (const job of jobs) {
        if ((await job.getState()) !== 'failed') continue;
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        retried.push(String(job.id));
      }
    }
    return retried;
  }

  async forgetFailed(id: string, queues: readonly string[]): Promise<boolean> {
    for (const name of queues) {
      const queue = await this.queue(name);
      const [job] = await this.#jobsById(queue, [id]);
      if (job !== undefined && (await job.getState()) === 'failed') {
        await job.remove();
        return true;
      }
    }
    return false;
  }

  async flushFailed(queues: readonly string[]): Promise<number> {
    let removed = 0;
    for (const name of queues) {
      const queue = await this.queue(name);
      removed += (await queue.clean(0, 0, 'failed')).length;
    }
    return removed;
  }

  async #jobsById(queue: Queue, ids: readonly string[]): Promise<Job[]> {
    const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
    return jobs.filter((job): job is Job => job !== undefined && job !== null) as Job[];
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

function toFailedJob(job: Job, connection: string, queue: string): FailedJob {
  const data = job.data as { listener?: unknown; event?: unknown } | undefined;
  return {
    id: String(job.id),
    connection,
    queue,
    listener: typeof data?.listener === 'string' ? data.listener : job.name,
    event: typeof data?.event === 'string' ? data.event : '?',
    attempts: job.attemptsMade,
    error: job.failedReason ?? '',
    failedAt: new Date(job.finishedOn ?? job.timestamp),
  };
}
