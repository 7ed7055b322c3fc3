import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { HeraldError } from '../../../errors.js';
import type { BacklogQuery } from '../../backlog.js';
import type { StreamsConnectionConfig } from '../../connection-config.js';
import { DEFAULT_QUEUE, type QueueDriver, type WorkerRequest } from '../../driver.js';
import type { QueuedJob } from '../../job/queued-job.js';
import { isConnectionProblem } from '../../redis/connection-problem.js';
import { forgetOnceMarker } from '../../redis/once-marker.js';
import {
  createProducerClient,
  describeTarget,
  type RedisClient,
  serverOptions,
  singleServer,
  workerConnection,
} from '../../redis/redis-client.js';
import { confirmReplicas } from '../../redis/replica-wait.js';
import type { HeraldWorker } from '../../worker/herald-worker.js';
import { appendEntries, type PendingEntry, pendingEntry } from './stream-append.js';
import { streamsBacklog } from './stream-backlog.js';
import { entryFields } from './stream-entry.js';
import { keyspaceOf, partitionKey, partitionOf, type StreamKeyspace } from './stream-keys.js';
import { appendOnce, onceMarkerKey } from './stream-push-once.js';
import { STREAMS_FEATURES } from './streams-features.js';
import { StreamsWorker } from './streams-worker.js';
import type { StreamsWorkerSource } from './streams-worker-source.js';

const DEFAULT_UNAVAILABLE_TIMEOUT = 5000;
const DEFAULT_CLAIM_AFTER = 30_000;

/** Most entries one pipeline carries (as the bullmq driver's batches: keeps Redis and Node both busy). */
const MAX_BATCH = 100;

/**
 * Appends dispatches to Redis Streams (one entry per dispatch and stream, whatever the number of
 * listeners) and starts stream workers. Like the bullmq producer, the connection has ioredis'
 * offline queue off: while Redis is down an append fails with `queue_unavailable` after
 * `unavailableTimeout` instead of hanging or being buffered where a crash would lose it.
 */
export class StreamsDriver implements QueueDriver, StreamsWorkerSource {
  readonly connection: string;
  readonly inline = false;
  readonly features = STREAMS_FEATURES;
  readonly defaultQueue = DEFAULT_QUEUE;
  /** The connection's config (where Redis is: one server, a cluster, Sentinel, createClient). */
  readonly target: StreamsConnectionConfig;
  /** One server's options, or its sentinels' (empty with createClient: see createWorkerClient). */
  readonly redisOptions: RedisOptions;
  readonly prefix: string;
  readonly keyspace: StreamKeyspace;
  readonly partitions: number;
  readonly claimAfter: number;
  readonly unavailableTimeout: number;
  readonly maxLen: number | undefined;
  readonly maxAge: number | undefined;
  /** Entries of the current tick, by `dispatchId` (then stream key): one XADD per (dispatch, stream). */
  #batch: Map<string, PendingEntry[]> | undefined;
  /** Partition stream keys by stream name, indexed by partition. */
  readonly #keys = new Map<string, string[]>();
  #producer: RedisClient | undefined;
  #ready: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(connection: string, config: StreamsConnectionConfig) {
    this.connection = connection;
    this.target = config;
    this.redisOptions = serverOptions(config);
    this.prefix = config.prefix ?? 'herald';
    this.keyspace = keyspaceOf(this.prefix, config.cluster !== undefined);
    this.partitions = config.partitions ?? 1;
    this.claimAfter = config.claimAfter ?? DEFAULT_CLAIM_AFTER;
    this.unavailableTimeout = config.unavailableTimeout ?? DEFAULT_UNAVAILABLE_TIMEOUT;
    this.maxLen = config.maxLen;
    this.maxAge = config.maxAge;
  }

  /** `host:port` of the connection's Redis, the cluster's seeds or the sentinels, for messages. */
  get redisAddress(): string {
    return describeTarget(this.target);
  }

  /**
   * A lazy client for a worker (`maxRetriesPerRequest: null`), duplicated per blocking reader: one
   * server or its sentinels, a lazy Cluster for `cluster`, or the user's `createClient('worker')`
   * — one server only, since the key layout (per-partition hash tags) follows `cluster` in config.
   */
  createWorkerClient(): RedisClient {
    const client = workerConnection(this.target, this.connection);
    if (client instanceof Cluster) return client;
    if (client instanceof Redis)
      return this.target.createClient === undefined ? client : singleServer(client, this.connection);
    return new Redis({ ...client, lazyConnect: true });
  }

  /**
   * Appends the job's event to its stream. The jobs of one dispatch for several listeners of this
   * connection arrive in the same tick with the same `dispatchId`: they share one entry, and the
   * one XADD reply settles all their promises (test/integration/streams/streams-publish.test.ts).
   * Entries of one tick go in pipelines of up to {@link MAX_BATCH}; each keeps its own outcome.
   */
  push(job: QueuedJob): Promise<void> {
    if (this.#closing !== undefined) {
      return Promise.reject(
        new HeraldError('closed', `The queue connection "${this.connection}" is closed.`),
      );
    }
    const key = this.#keyOf(job.stream?.name ?? job.data.event, job.stream?.key);
    let batch = this.#batch;
    if (batch === undefined) {
      const entries = new Map<string, PendingEntry[]>();
      batch = entries;
      this.#batch = entries;
      // The batch closes when this microtask runs.
      queueMicrotask(() => {
        if (this.#batch === entries) this.#batch = undefined;
        void this.#append([...entries.values()].flat());
      });
    }
    // Keyed by the dispatch id alone (a string whose hash V8 keeps), not a new "id + key" string
    // per push; a dispatch appends to one stream but for an event of several streams' listeners.
    const dispatchId = job.data.dispatchId;
    const ofDispatch = batch.get(dispatchId);
    const known = ofDispatch?.find((entry) => entry.key === key);
    if (known !== undefined) return known.promise;
    const entry = pendingEntry(key, entryFields(job.data));
    if (ofDispatch === undefined) batch.set(dispatchId, [entry]);
    else ofDispatch.push(entry);
    return entry.promise;
  }

  /**
   * Appends the job's event unless an append with the same `once` id was made (the outbox relay):
   * the marker and the XADD go in one script (stream-push-once.ts), so a relay that crashed
   * between append and delete appends nothing the second time.
   */
  async pushOnce(job: QueuedJob, once: string): Promise<void> {
    const key = this.#keyOf(job.stream?.name ?? job.data.event, job.stream?.key);
    let producer: RedisClient;
    try {
      producer = await this.#connectedProducer();
    } catch (error) {
      throw this.#unavailable(error);
    }
    try {
      await appendOnce(producer, key, entryFields(job.data), once);
    } catch (error) {
      throw this.#appendError(error);
    }
    const short = await this.#confirmReplicas(producer);
    if (short !== undefined) throw short;
  }

  /** Lets the marker of a `pushOnce` expire after a grace period (its outbox row is deleted). */
  async forgetOnce(job: QueuedJob, once: string): Promise<void> {
    const marker = onceMarkerKey(this.#keyOf(job.stream?.name ?? job.data.event, job.stream?.key), once);
    await forgetOnceMarker(await this.#connectedProducer(), marker, this.unavailableTimeout);
  }

  /** The partition stream key of a stream and partition key, built once per partition. */
  #keyOf(stream: string, partitionBy: string | undefined): string {
    let keys = this.#keys.get(stream);
    if (keys === undefined) {
      keys = [];
      this.#keys.set(stream, keys);
    }
    const partition = partitionOf(partitionBy, this.partitions);
    let key = keys[partition];
    if (key === undefined) {
      key = partitionKey(this.keyspace, stream, partition);
      keys[partition] = key;
    }
    return key;
  }

  async #append(entries: readonly PendingEntry[]): Promise<void> {
    let producer: RedisClient;
    try {
      if (this.#closing !== undefined)
        throw new HeraldError('closed', `The queue connection "${this.connection}" is closed.`);
      producer = await this.#connectedProducer();
    } catch (error) {
      for (const entry of entries) entry.reject(this.#unavailable(error));
      return;
    }
    const sends: Promise<void>[] = [];
    for (let start = 0; start < entries.length; start += MAX_BATCH) {
      sends.push(
        appendEntries(
          producer,
          entries.slice(start, start + MAX_BATCH),
          (error) => this.#appendError(error),
          () => this.#confirmReplicas(producer),
        ),
      );
    }
    await Promise.all(sends);
  }

  /** After an append was acknowledged: one WAIT per pipeline for `waitForReplicas` (replica-wait.ts). */
  #confirmReplicas(producer: RedisClient): Promise<HeraldError | undefined> {
    const context = { connection: this.connection, redis: this.redisAddress, what: 'entry' };
    return confirmReplicas(producer, this.target, this.unavailableTimeout, context);
  }

  #appendError(error: unknown): HeraldError {
    if (HeraldError.is(error)) return error;
    if (isConnectionProblem(error)) return this.#unavailable(error);
    return new HeraldError(
      'invalid_argument',
      `Redis at ${this.redisAddress} refused the append on the queue connection "${this.connection}": ${error instanceof Error ? error.message : String(error)}. Is another kind of value stored under the stream's key (prefix "${this.prefix}")?`,
      { cause: error },
    );
  }

  /** The producer connection, ready, or a rejection after `unavailableTimeout`. */
  async #connectedProducer(): Promise<RedisClient> {
    if (this.#producer === undefined) {
      // Fail-fast (redis-client.ts): never sends an XADD twice, as a resent append whose first
      // reply was lost adds a second entry.
      this.#producer = createProducerClient(this.target, {
        commandTimeout: this.unavailableTimeout,
        connection: this.connection,
      });
      // Errors show up as failed pushes; an unhandled 'error' event would crash the app.
      this.#producer.on('error', () => {});
      this.#producer.connect().catch(() => {});
    }
    const producer = this.#producer;
    if (producer.status === 'ready') return producer;
    // One shared 'ready' wait for every append that arrives while connecting.
    this.#ready ??= new Promise<void>((resolve) =>
      producer.once('ready', () => {
        this.#ready = undefined;
        resolve();
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(`no answer from Redis within ${this.unavailableTimeout} ms while trying to connect`),
          ),
        this.unavailableTimeout,
      );
    });
    try {
      await Promise.race([this.#ready, deadline]);
    } finally {
      clearTimeout(timer);
    }
    return producer;
  }

  #unavailable(error: unknown): HeraldError {
    if (HeraldError.is(error)) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new HeraldError(
      'queue_unavailable',
      `Could not append to a stream on the queue connection "${this.connection}" (Redis at ${this.redisAddress}): ${reason}. The dispatch may not have been appended (dispatch again once Redis is back; an append whose reply was lost may then be handled twice, so keep listeners idempotent). Check that Redis is running and reachable.`,
      { cause: error },
    );
  }

  /** Metrics keys on the producer connection, and each listener's group backlog (stream-backlog.ts). */
  readonly heraldKeys = async () => ({ client: await this.#connectedProducer(), prefix: this.prefix });
  readonly backlog = async (listeners: readonly BacklogQuery[]) =>
    streamsBacklog(await this.#connectedProducer(), this, listeners);

  /** Starts a consumer per listener of this connection; resolves once they reach Redis. */
  async createWorker(request: WorkerRequest): Promise<HeraldWorker> {
    const worker = new StreamsWorker(this, request);
    await worker.ready();
    return worker;
  }

  /** Nothing runs in this process on push; workers own the entries. */
  isIdle(): boolean {
    return true;
  }

  async drain(): Promise<void> {}

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#producer?.disconnect();
    })();
    return this.#closing;
  }
}
