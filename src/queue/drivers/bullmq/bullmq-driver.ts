import type { JobJson, Queue } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { HeraldError } from '../../../errors.js';
import type { BacklogQuery } from '../../backlog.js';
import type { BullMqConnectionConfig } from '../../connection-config.js';
import { configuredQueue, type QueueDriver, type WorkerRequest } from '../../driver.js';
import type { FailedJobStore } from '../../failed/failed-job-store.js';
import type { QueuedJob } from '../../job/queued-job.js';
import type { QueueStateReader } from '../../queue-states.js';
import {
  clusterNodeProblem,
  createProducerClient,
  describeTarget,
  type RedisClient,
  workerConnection,
} from '../../redis/redis-client.js';
import { confirmReplicas } from '../../redis/replica-wait.js';
import type { HeraldWorker } from '../../worker/herald-worker.js';
import { bullmqBacklog, bullmqHeraldKeys } from './bullmq-backlog.js';
import { MAX_BATCH, type PendingPush, type PushOutcome, storeBatch } from './bullmq-batch.js';
import { BullMqFailedJobs } from './bullmq-failed-jobs.js';
import { BULLMQ_FEATURES } from './bullmq-features.js';
import { sharedBullMqJobOptions } from './bullmq-job-options.js';
import { bullmqPrefixOf } from './bullmq-keys.js';
import { forgetOnce, pushOnce } from './bullmq-push-once.js';
import { BullMqQueueStates } from './bullmq-queue-states.js';
import { BullMqHeraldWorker } from './bullmq-worker.js';
import type { BullMqWorkerSource } from './bullmq-worker-source.js';
import { bounded, checkSize, readMaxBulkLength, storeError, unavailableError } from './push-errors.js';
import { RawDataQueue } from './raw-data-job.js';

const DEFAULT_UNAVAILABLE_TIMEOUT = 5000;

/**
 * Pushes jobs to BullMQ queues on Redis. The producer connection has ioredis' offline queue
 * off: while Redis is down a push fails (after a bounded wait for a reconnect) with
 * `queue_unavailable` instead of hanging or being buffered in memory where a crash would lose it.
 */
export class BullMqDriver implements QueueDriver, BullMqWorkerSource {
  readonly connection: string;
  readonly inline = false;
  readonly features = BULLMQ_FEATURES;
  readonly failedJobs: FailedJobStore;
  readonly queueStates: QueueStateReader = new BullMqQueueStates(this);
  readonly config: BullMqConnectionConfig;
  /** Where Redis is, for messages: `host:port`, or the cluster's seeds. */
  readonly redis: string;
  readonly prefix: string;
  readonly defaultQueue: string;
  readonly #queues = new Map<string, Queue>();
  readonly #batches = new Map<string, PendingPush[]>();
  /** Redis's proto-max-bulk-len (read at connect; undefined where CONFIG GET is not allowed). */
  #maxBulkLength: number | undefined;
  #bulkLimitRead: Promise<void> | undefined;
  /** How long (ms) to wait for Redis before `queue_unavailable` (pushes, and a worker's start). */
  readonly unavailableTimeout: number;
  #producer: RedisClient | undefined;
  #workerClient: RedisClient | undefined;
  /** Set when the server named as one Redis turned out to be a cluster node. */
  #misconfigured: HeraldError | undefined;
  #ready: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(connection: string, config: BullMqConnectionConfig) {
    this.connection = connection;
    this.config = config;
    this.redis = describeTarget(config);
    this.prefix = config.prefix ?? 'herald';
    this.defaultQueue = configuredQueue(config);
    this.unavailableTimeout = config.unavailableTimeout ?? DEFAULT_UNAVAILABLE_TIMEOUT;
    this.failedJobs = new BullMqFailedJobs(connection, (name) => this.queue(name), this.redis);
  }

  /** The BullMQ prefix of a queue: per-queue hash tags on a cluster (bullmq-keys.ts). */
  prefixOf(queue: string): string {
    return bullmqPrefixOf(this.prefix, queue, this.config.cluster !== undefined);
  }

  /**
   * What a BullMQ Worker of this connection connects with (redis-client.ts). A client (a
   * createClient's) is made once and kept: BullMQ only duplicates it; close() disconnects it.
   */
  workerConnection(): RedisOptions | RedisClient {
    if (this.config.createClient === undefined) return workerConnection(this.config, this.connection);
    this.#workerClient ??= workerConnection(this.config, this.connection) as RedisClient;
    return this.#workerClient;
  }

  ownsWorkerConnection(client: unknown): boolean {
    return client !== undefined && client === this.#workerClient;
  }

  /**
   * Stores the job. Jobs pushed in the same tick (the jobs of one dispatch, or of many concurrent
   * dispatches) go to Redis together, in pipelines of up to {@link MAX_BATCH} jobs per queue:
   * one round trip instead of one each. Every push has its own promise and its own outcome: it
   * rejects if and only if its own job was not stored (bullmq-batch.ts). Unique jobs go alone,
   * with `add`, where BullMQ applies deduplication.
   */
  push(job: QueuedJob): Promise<void> {
    const closed =
      this.#closing === undefined ? undefined : `The queue connection "${this.connection}" is closed.`;
    if (closed !== undefined) return Promise.reject(new HeraldError('closed', closed));
    const name = job.options.queue ?? this.defaultQueue;
    if (job.options.unique !== undefined) return this.#storeOne(name, job);
    let batch = this.#batches.get(name);
    if (batch === undefined) {
      const pushes: PendingPush[] = [];
      batch = pushes;
      this.#batches.set(name, pushes);
      // The batch closes when this microtask runs (or earlier, once it is full).
      queueMicrotask(() => {
        if (this.#batches.get(name) === pushes) this.#batches.delete(name);
        void this.#storeBatch(name, pushes);
      });
    }
    const pushes = batch;
    return new Promise<void>((resolve, reject) => {
      pushes.push({ job, resolve, reject });
      if (pushes.length >= MAX_BATCH) this.#batches.delete(name);
    });
  }

  async #storeBatch(name: string, pushes: readonly PendingPush[]): Promise<void> {
    let outcomes: PushOutcome[];
    try {
      const queue = await this.queue(name);
      outcomes = await storeBatch(
        queue,
        pushes.map((push) => push.job),
        (job) => sharedBullMqJobOptions(job.options),
        (job, json) => this.#checkSize(job, json),
      );
    } catch (error) {
      // Each dispatch gets its own error, naming its own listener.
      for (const push of pushes) {
        const own = HeraldError.is(error)
          ? new HeraldError(error.kind, error.message, { cause: error.cause })
          : this.#storeError(error, [push.job]);
        push.reject(own);
      }
      return;
    }
    const short = outcomes.some((outcome) => outcome?.stored !== false)
      ? await this.#confirmReplicas()
      : undefined;
    pushes.forEach((push, index) => {
      const outcome = outcomes[index];
      if (outcome !== undefined && !outcome.stored) push.reject(this.#storeError(outcome.error, [push.job]));
      else if (short !== undefined)
        push.reject(new HeraldError(short.kind, short.message, { cause: short.cause }));
      else push.resolve();
    });
  }

  async #storeOne(name: string, job: QueuedJob): Promise<void> {
    try {
      const queue = await this.queue(name);
      const json = { data: JSON.stringify(job.data) } as JobJson;
      const refusal = this.#checkSize(job, json);
      if (refusal instanceof HeraldError) throw refusal;
      // Bounded by the producer's commandTimeout rather than a timer per job.
      await queue.add(job.data.listener, job.data, sharedBullMqJobOptions(job.options));
    } catch (error) {
      throw this.#storeError(error, [job]);
    }
    const short = await this.#confirmReplicas();
    if (short !== undefined) throw short;
  }

  /** After a push was acknowledged: one WAIT for `waitForReplicas` (replica-wait.ts). */
  async #confirmReplicas(): Promise<HeraldError | undefined> {
    if (this.#producer === undefined || (this.config.waitForReplicas ?? 0) === 0) return undefined;
    const context = { connection: this.connection, redis: this.redis, what: 'job' };
    return confirmReplicas(this.#producer, this.config, this.unavailableTimeout, context);
  }

  #checkSize(job: QueuedJob, json: JobJson): HeraldError | 'alone' | undefined {
    return checkSize(job, json, this.#maxBulkLength, this.redis);
  }

  /** The error a push rejects with when its job was not stored. */
  #storeError(error: unknown, jobs: readonly QueuedJob[]): HeraldError {
    return storeError(error, jobs, this.redis, (cause) =>
      unavailableError(cause, 'store the job', this.connection, this.redis),
    );
  }

  /** The BullMQ queue of a name, on the shared producer connection (ready when returned). */
  async queue(name: string): Promise<Queue> {
    if (this.#closing !== undefined)
      throw new HeraldError('closed', `The queue connection "${this.connection}" is closed.`);
    const producer = await this.#connectedProducer();
    let queue = this.#queues.get(name);
    if (queue === undefined) {
      // RawDataQueue: queue:failed/retry/forget must not crash on a job whose data is not JSON.
      queue = new RawDataQueue(name, { connection: producer, prefix: this.prefixOf(name) });
      // BullMQ reports connection errors on the queue too; they surface through push instead.
      queue.on('error', () => {});
      this.#queues.set(name, queue);
    }
    return queue;
  }

  async #connectedProducer(): Promise<RedisClient> {
    if (this.#producer === undefined) {
      this.#producer = createProducerClient(this.config, {
        commandTimeout: this.unavailableTimeout,
        connection: this.connection,
      });
      // Errors show up as failed pushes; an unhandled 'error' event would crash the app.
      this.#producer.on('error', () => {});
      const producer = this.#producer;
      producer.on('ready', () => {
        this.#bulkLimitRead = this.#readMaxBulkLength(producer);
      });
      this.#producer.connect().catch(() => {});
    }
    const producer = this.#producer;
    if (producer.status === 'ready') {
      if (this.#bulkLimitRead !== undefined) await this.#bulkLimitRead;
      if (this.#misconfigured !== undefined) throw this.#misconfigured;
      return producer;
    }
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
      await bounded(this.#ready, this.unavailableTimeout, 'connect');
      if (this.#bulkLimitRead !== undefined) await this.#bulkLimitRead;
      if (this.#misconfigured !== undefined) throw this.#misconfigured;
    } catch (error) {
      throw unavailableError(error, 'connect', this.connection, this.redis);
    }
    return producer;
  }

  /** Reads proto-max-bulk-len and checks a single-server config does not name a cluster node. */
  async #readMaxBulkLength(producer: RedisClient): Promise<void> {
    try {
      this.#maxBulkLength = (await readMaxBulkLength(producer)) ?? this.#maxBulkLength;
      this.#misconfigured = await clusterNodeProblem(producer, this.config, this.connection);
    } finally {
      this.#bulkLimitRead = undefined;
    }
  }

  /** Starts BullMQ workers on the request's queues; resolves once they reach Redis. */
  async createWorker(request: WorkerRequest): Promise<HeraldWorker> {
    const worker = new BullMqHeraldWorker(this, request.runner, request.queues, request.options);
    await worker.ready();
    return worker;
  }

  /** The outbox relay's push-once and marker cleanup (bullmq-push-once.ts). */
  readonly pushOnce = (job: QueuedJob, once: string) => pushOnce(this, job, once);
  readonly forgetOnce = (job: QueuedJob, once: string) => forgetOnce(this, job, once);
  /** Metrics keys and each listener's queue counts (bullmq-backlog.ts). */
  readonly heraldKeys = () => bullmqHeraldKeys(this);
  readonly backlog = (listeners: readonly BacklogQuery[]) => bullmqBacklog(this, listeners);

  /** Nothing runs in this process for Redis queues; workers own the jobs. */
  isIdle(): boolean {
    return true;
  }

  async drain(): Promise<void> {}

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#queues.values()].map((queue) => queue.close()));
      this.#producer?.disconnect();
      this.#workerClient?.disconnect();
    })();
    return this.#closing;
  }
}
