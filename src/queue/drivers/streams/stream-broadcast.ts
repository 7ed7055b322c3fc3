import type { WorkerListener } from '../../driver.js';
import type { RedisClient } from '../../redis/redis-client.js';
import { jobReportOf } from '../../worker/job-report.js';
import { type ConsumerHost, eventOf, fieldOf } from './stream-attempt.js';
import { jobDataOf } from './stream-entry.js';
import { type ListenerReader, partitionsOf } from './stream-listener-reader.js';
import type { StreamEntry } from './stream-reply.js';
import { entryOf } from './stream-reply.js';
import { PartitionReads } from './stream-slots.js';
import { type ConsumerPlace, type Partition, READ_COUNT } from './stream-work.js';

/**
 * A `broadcast: true` listener: every worker handles every entry appended after it started, with
 * no consumer group. It notes where each partition stream ends when the worker starts (its last
 * entry id, like `$`), then XREADs from the last id it saw. Each entry gets one attempt through
 * the shared JobRunner: nothing is acknowledged, retried or dead-lettered (there is no group to
 * keep an entry pending); a failure runs `failed()` and is reported like any other
 * (test/integration/streams/streams-broadcast.test.ts). Options that need retries are refused
 * at boot (streams-listener-check.ts).
 */
export class BroadcastReader implements ListenerReader {
  readonly listener: WorkerListener;
  readonly #redis: RedisClient;
  readonly #reads: PartitionReads;
  readonly #host: ConsumerHost;
  readonly #partitions: Partition[];
  /** The last entry id seen per partition key. */
  readonly #lastIds = new Map<string, string>();

  constructor(
    listener: WorkerListener,
    connections: { readonly redis: RedisClient; readonly reader: RedisClient },
    place: ConsumerPlace,
    host: ConsumerHost,
  ) {
    this.listener = listener;
    this.#redis = connections.redis;
    this.#reads = new PartitionReads(connections.reader);
    this.#host = host;
    this.#partitions = partitionsOf(listener.streams, place);
  }

  /**
   * Notes each partition's last entry id: XREAD with `$` on every read would miss what was
   * appended between two reads. An empty or missing stream starts at `0-0`.
   */
  async start(): Promise<void> {
    for (const at of this.#partitions) {
      const last = await this.#redis.xrevrange(at.key, '+', '-', 'COUNT', 1);
      const entry = entryOf(at.key, last[0]);
      this.#lastIds.set(at.key, entry?.id ?? '0-0');
    }
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  async poll(maxBlockMs: number): Promise<'idle' | 'busy'> {
    if (this.#partitions.length === 0 || !this.#host.mayStart()) return 'idle';
    const entries = await this.#reads.read(
      ['XREAD'],
      Math.min(READ_COUNT, this.#host.budget()),
      Math.max(1, maxBlockMs),
      this.#partitions.map((at) => at.key),
      this.#partitions.map((at) => this.#lastIds.get(at.key) ?? '0-0'),
    );
    for (const entry of entries) this.#lastIds.set(entry.key, entry.id);
    await this.#runAll(entries);
    return entries.length === 0 ? 'idle' : 'busy';
  }

  /** Runs entries `concurrency` at a time, in read order; entries left when the worker stops are skipped. */
  async #runAll(entries: readonly StreamEntry[]): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < entries.length && this.#host.mayStart())
        await this.#runEntry(entries[next++] as StreamEntry);
    };
    await Promise.all(Array.from({ length: Math.min(this.#host.concurrency, entries.length) }, lane));
  }

  async #runEntry(entry: StreamEntry): Promise<void> {
    if (entry.fields === null) return;
    const at = this.#partitions.find((each) => each.key === entry.key);
    this.#host.attemptStarted();
    const started = performance.now();
    const result = await this.#host.runner.run(jobDataOf(entry.fields, this.listener.name), {
      attempt: 1,
      jobId: entry.id,
      queue: at?.stream ?? entry.key,
      // One attempt, whatever the listener says: a retry would need a group to keep it pending.
      options: { ...this.listener.options, tries: 1, backoff: undefined, retryUntil: undefined },
      shutdownSignal: this.#host.shutdownSignal,
    });
    const report = {
      queue: at?.stream ?? entry.key,
      jobId: entry.id,
      attempt: 1,
      listener: this.listener.name,
      event: eventOf(entry.fields),
      dispatchedAt: fieldOf(entry.fields, 'dispatchedAt'),
    };
    this.#host.attemptEnded(jobReportOf(report, started, result), true);
  }
}
