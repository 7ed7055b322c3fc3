import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster } from 'ioredis';
import { HeraldError } from '../../../errors.js';
import type { WorkerRequest } from '../../driver.js';
import { isConnectionProblem } from '../../redis/connection-problem.js';
import { clusterNodeProblem, type RedisClient } from '../../redis/redis-client.js';
import { clearLongTimeout, type LongTimer, setLongTimeout } from '../../runner/long-timer.js';
import type { HeraldWorker } from '../../worker/herald-worker.js';
import type { JobReport } from '../../worker/job-report.js';
import type { ConsumerHost } from './stream-attempt.js';
import { BroadcastReader } from './stream-broadcast.js';
import { StreamConsumer } from './stream-consumer.js';
import { partitionKey } from './stream-keys.js';
import type { ListenerReader } from './stream-listener-reader.js';
import { OrderedConsumer } from './stream-ordered.js';
import { StreamRetention } from './stream-retention.js';
import type { StreamsWorkerSource } from './streams-worker-source.js';

/**
 * Longest a read blocks (ms): how late a retry or a claim round may start at worst, and how long
 * `close()` waits for a read that began as it closed (other reads it unblocks).
 */
const MAX_BLOCK_MS = 1000;
/** Pause after a failed poll (Redis unreachable) before the next. */
const ERROR_PAUSE_MS = 200;
/** Pause between two retention rounds over the partition streams this worker reads. */
const RETENTION_EVERY_MS = 5000;

/**
 * `work()` on a streams connection: one consumer group per listener of the connection (group =
 * listener wire name, consumer = host:pid; `ordered` listeners own partitions by lease,
 * `broadcast` ones read with no group), each polled in its own loop on its own blocking
 * connection; commands (acks, retries, dead letters) share one more. Every attempt runs through
 * the shared JobRunner. Closing stops starting entries, aborts `ctx.signal`, ends the reads under
 * way (CLIENT UNBLOCK), waits for running attempts, then disconnects.
 */
export class StreamsWorker implements HeraldWorker, ConsumerHost {
  readonly stopped: Promise<void>;
  readonly runner: WorkerRequest['runner'];
  readonly concurrency: number;
  readonly #source: StreamsWorkerSource;
  readonly #request: WorkerRequest;
  readonly #redis: RedisClient;
  readonly #readers: RedisClient[] = [];
  #readerIds: string[] = [];
  readonly #shutdown = new AbortController();
  readonly #idle = new Set<ListenerReader>();
  #consumers: ListenerReader[] = [];
  #loops: Promise<void>[] = [];
  #processed = 0;
  #active = 0;
  #maxTimeTimer: LongTimer | undefined;
  #closing: Promise<void> | undefined;
  #resolveStopped: () => void = () => {};

  constructor(source: StreamsWorkerSource, request: WorkerRequest) {
    this.#source = source;
    this.#request = request;
    this.runner = request.runner;
    this.concurrency = request.options.concurrency ?? 1;
    this.stopped = new Promise((resolve) => {
      this.#resolveStopped = resolve;
    });
    // Worker commands wait through a reconnect (like BullMQ's workers): an ack or a retry must not
    // be dropped because Redis blinked.
    this.#redis = source.createWorkerClient();
    this.#redis.on('error', (error: Error) => this.#request.options.onError?.(error));
  }

  get shutdownSignal(): AbortSignal {
    return this.#shutdown.signal;
  }

  get processed(): number {
    return this.#processed;
  }

  /**
   * Connects, creates the listeners' groups where missing, and starts reading. Redis not reached
   * within the connection's `unavailableTimeout` → `queue_unavailable`, everything closed.
   */
  async ready(): Promise<void> {
    const timeout = this.#source.unavailableTimeout;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeout);
    });
    let lastError: Error | undefined;
    const onError = (error: Error) => {
      lastError = error;
    };
    this.#redis.on('error', onError);
    try {
      // connect() rejects on the first refused attempt; ioredis keeps retrying, so wait for 'ready'.
      // A createClient client may be connecting or ready already (not lazy).
      const connected =
        this.#redis.status === 'ready'
          ? Promise.resolve<'ready'>('ready')
          : new Promise<'ready'>((resolve) => this.#redis.once('ready', () => resolve('ready')));
      if (this.#redis.status === 'wait') this.#redis.connect().catch(() => {});
      if ((await Promise.race([connected, late])) === 'late') {
        this.#redis.disconnect();
        this.#resolveStopped();
        throw new HeraldError(
          'queue_unavailable',
          `The worker could not reach Redis at ${this.#source.redisAddress} (queue connection "${this.#source.connection}") within ${timeout} ms: ${lastError?.message ?? 'no answer'}. Start Redis or fix the connection's url/host/port (or cluster.nodes) in herald.config, then start the worker again (the connection's unavailableTimeout sets how long it waits).`,
        );
      }
    } finally {
      clearTimeout(timer);
      this.#redis.off('error', onError);
    }
    await this.#readable(() => clusterNodeProblem(this.#redis, this.#source.target, this.#source.connection));
    const consumer = `${hostname()}:${process.pid}`;
    const where = {
      ...this.#source.keyspace,
      partitions: this.#source.partitions,
      consumer,
      claimAfter: this.#source.claimAfter,
    };
    this.#consumers = this.#request.listeners
      .filter((listener) => listener.streams.length > 0)
      .map((listener) => {
        // Its own connection (on a cluster its own Cluster, with a connection per node): a
        // blocking read holds the connection to the node that owns the keys it reads.
        const reader: RedisClient =
          this.#redis instanceof Cluster ? this.#redis.duplicate() : this.#redis.duplicate();
        reader.on('error', (error: Error) => this.#request.options.onError?.(error));
        this.#readers.push(reader);
        const connections = { redis: this.#redis, reader };
        if (listener.broadcast) return new BroadcastReader(listener, connections, where, this);
        if (listener.ordered) return new OrderedConsumer(listener, connections, where, this);
        return new StreamConsumer(listener, connections, where, this);
      });
    await this.#readable(async () => {
      await Promise.all(this.#consumers.map((each) => each.start()));
      return undefined;
    });
    // Each reader's client id, so close() can end a blocking read at once (CLIENT UNBLOCK). A
    // cluster reader has one per node and blocks at most 100 ms with several partitions
    // (stream-slots.ts), its BLOCK otherwise: close() waits for it.
    if (!this.#redis.isCluster)
      this.#readerIds = await Promise.all(
        this.#readers.map(async (reader) => String(await reader.call('CLIENT', 'ID'))),
      );
    const { options } = this.#request;
    if (options.maxTime !== undefined)
      this.#maxTimeTimer = setLongTimeout(() => void this.close(), options.maxTime * 1000);
    if (options.stopWhenEmpty === true && this.#consumers.length === 0) void this.close();
    this.#loops = this.#consumers.map((each) => this.#loop(each));
    const retention = this.#retention();
    if (retention.active && this.#closing === undefined) {
      // The first round runs before ready() resolves, so a worker started on an over-long
      // stream trims it at once (test/integration/streams/streams-retention.test.ts).
      // Its own groups were just created or are about to read: only other groups are named.
      await retention.round(Date.now(), new Set(this.#request.listeners.map((listener) => listener.name)));
      this.#loops.push(this.#retentionLoop(retention));
    }
  }

  /**
   * Retention over every partition stream some listener of this worker reads or some event of
   * its app is appended to (test/integration/streams/streams-retention.test.ts).
   */
  #retention(): StreamRetention {
    const { partitions, maxLen, maxAge } = this.#source;
    const streams = new Set(this.#request.appendedStreams);
    for (const listener of this.#request.listeners)
      for (const stream of listener.streams) streams.add(stream);
    const keys: string[] = [];
    for (const stream of streams)
      for (let partition = 0; partition < partitions; partition++)
        keys.push(partitionKey(this.#source.keyspace, stream, partition));
    const { onWarning } = this.#request.options;
    return new StreamRetention(this.#redis, keys, { maxLen, maxAge }, (warning) => {
      if (onWarning !== undefined) onWarning(warning);
      else process.emitWarning(warning.message, { code: 'HERALD_STREAM_LAG' });
    });
  }

  /**
   * Runs a start step; a worker that reached Redis but cannot read its streams there (a cluster
   * node named as one server, a cluster without an owner for a partition's slot) closes and
   * throws `queue_unavailable` naming the fix, instead of idling as "working" while entries wait.
   */
  async #readable(step: () => Promise<HeraldError | undefined>): Promise<void> {
    let problem: unknown;
    try {
      problem = await step();
    } catch (error) {
      problem = error;
    }
    if (problem === undefined) return;
    await this.close();
    if (HeraldError.is(problem) || !isConnectionProblem(problem)) throw problem;
    const reason = problem instanceof Error ? problem.message : String(problem);
    throw new HeraldError(
      'queue_unavailable',
      `The worker reached Redis at ${this.#source.redisAddress} (queue connection "${this.#source.connection}") but could not read its streams: ${reason}. Check that every slot of the cluster has a running master (CLUSTER INFO says cluster_state:ok), then start the worker again.`,
      { cause: problem },
    );
  }

  async #retentionLoop(retention: StreamRetention): Promise<void> {
    while (this.#closing === undefined) {
      try {
        await sleep(RETENTION_EVERY_MS, undefined, { signal: this.#shutdown.signal });
      } catch {
        return;
      }
      await retention.round();
    }
  }

  async #loop(consumer: ListenerReader): Promise<void> {
    while (this.#closing === undefined) {
      try {
        // Committed outbox rows are entries on their way here (src/outbox; unknown counts as
        // some). Asked before the poll: a row relayed after the answer was pushed before it, so
        // an idle poll after an empty outbox has really seen everything (asked after, a row
        // relayed in between was missed and the worker stopped with its entry unread).
        const stopWhenEmpty = this.#request.options.stopWhenEmpty === true;
        const outboxEmpty =
          !stopWhenEmpty || (await this.#request.options.outboxWaiting?.().catch(() => true)) !== true;
        const outcome = await consumer.poll(MAX_BLOCK_MS);
        if (outcome === 'idle' && outboxEmpty) this.#idle.add(consumer);
        else this.#idle.delete(consumer);
        if (stopWhenEmpty && this.#active === 0 && this.#idle.size === this.#consumers.length)
          void this.close();
      } catch (error) {
        if (this.#closing !== undefined) return;
        this.#request.options.onError?.(error instanceof Error ? error : new Error(String(error)));
        await sleep(ERROR_PAUSE_MS);
      }
    }
  }

  mayStart(): boolean {
    if (this.#closing !== undefined) return false;
    const max = this.#request.options.maxJobs;
    return max === undefined || this.#processed + this.#active < max;
  }

  budget(): number {
    const max = this.#request.options.maxJobs;
    return max === undefined ? Number.MAX_SAFE_INTEGER : Math.max(1, max - this.#processed - this.#active);
  }

  attemptStarted(): void {
    this.#active++;
  }

  attemptEnded(report: JobReport, final: boolean): void {
    this.#active--;
    this.#request.options.onJob?.(report);
    if (!final) return;
    this.#processed++;
    const max = this.#request.options.maxJobs;
    if (max !== undefined && this.#processed >= max) void this.close();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearLongTimeout(this.#maxTimeTimer);
      this.#shutdown.abort(new Error('The worker is shutting down.'));
      // A read under way returns as if its BLOCK timed out: no entry is handed over half-read.
      // A reader that reconnected since has another id; its read then ends by its BLOCK.
      await Promise.allSettled(
        this.#readerIds.map((id) => this.#redis.call('CLIENT', 'UNBLOCK', id, 'TIMEOUT')),
      );
      await Promise.allSettled(this.#loops);
      // Ordered listeners release their partitions here, so another worker takes them at once.
      await Promise.allSettled(this.#consumers.map((each) => each.stop()));
      for (const reader of this.#readers) reader.disconnect();
      await this.#redis.quit().catch(() => this.#redis.disconnect());
      this.#resolveStopped();
    })();
    return this.#closing;
  }
}
