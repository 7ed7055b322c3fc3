import type { RedisClient } from '../../redis/redis-client.js';
import { attemptsKey, keysOverPartitions, partitionKey, retryKey } from './stream-keys.js';
import { entryOf } from './stream-reply.js';
import { entryMember, entryOfMember } from './stream-retries.js';
import { type ConsumerPlace, type Partition, READ_COUNT, type Work } from './stream-work.js';

/**
 * Where a listener's entries come from besides new reads: retries whose time has come, and
 * entries a crashed consumer left pending longer than `claimAfter`. Either kind is a later
 * attempt, counted in the attempts hash before it starts, so a crashed attempt counts
 * (test/integration/streams/streams-claim.test.ts).
 */
export class StreamPickUp {
  readonly #redis: RedisClient;
  readonly #group: string;
  readonly #streams: readonly string[];
  readonly #place: ConsumerPlace;
  readonly #partitions: readonly Partition[];
  readonly #byKey: ReadonlyMap<string, Partition>;
  readonly #claimCursors = new Map<string, string>();
  #nextClaimAt = 0;

  constructor(
    redis: RedisClient,
    group: string,
    streams: readonly string[],
    place: ConsumerPlace,
    partitions: readonly Partition[],
  ) {
    this.#redis = redis;
    this.#group = group;
    this.#streams = streams;
    this.#place = place;
    this.#partitions = partitions;
    this.#byKey = new Map(partitions.map((at) => [at.key, at]));
  }

  /**
   * The listener's retry sets with their streams: one per stream on one server, one per
   * partition on a cluster (stream-keys.ts).
   */
  retryKeys(): { stream: string; key: string }[] {
    return this.#streams.flatMap((stream) =>
      keysOverPartitions(this.#place.partitions, (partition) =>
        retryKey(this.#place, stream, partition, this.#group),
      ).map(({ key }) => ({ stream, key })),
    );
  }

  /** When the next claim round is due (epoch ms): a blocking read wakes for it. */
  get nextClaimAt(): number {
    return this.#nextClaimAt;
  }

  /**
   * Takes the retries whose time has come. ZREM decides which worker runs a retry (only the one
   * whose removal counted); XCLAIM then makes this consumer the entry's owner, with a fresh idle
   * time, so no other worker claims it as stale while it runs.
   */
  async dueRetries(): Promise<Work[]> {
    const due: Work[] = [];
    for (const { stream, key } of this.retryKeys()) {
      const members = await this.#redis.zrangebyscore(key, '-inf', Date.now(), 'LIMIT', 0, READ_COUNT);
      for (const member of members) {
        if ((await this.#redis.zrem(key, member)) !== 1) continue;
        const named = entryOfMember(member);
        const at =
          named === undefined
            ? undefined
            : this.#byKey.get(partitionKey(this.#place, stream, named.partition));
        if (named === undefined || at === undefined) continue;
        const claimed = await this.#redis.call(
          'XCLAIM',
          at.key,
          this.#group,
          this.#place.consumer,
          0,
          named.id,
        );
        const entry = Array.isArray(claimed) ? entryOf(at.key, claimed[0]) : undefined;
        // Gone from the stream (trimmed, deleted): nothing left to run.
        if (entry === undefined) {
          await this.#redis.hdel(attemptsKey(this.#place, stream, at.partition, this.#group), member);
          continue;
        }
        due.push({
          entry,
          at,
          attempt: await this.#countAttempt(at, entry.id),
          gotAt: Date.now(),
          counted: true,
        });
      }
    }
    return due;
  }

  /**
   * Claims entries pending longer than `claimAfter` (their consumer crashed or was killed),
   * at most every half `claimAfter`, carrying each partition's XAUTOCLAIM cursor between rounds.
   * An entry waiting in the retry set is not stale, only waiting: it is left to its retry.
   */
  async stale(): Promise<Work[]> {
    const now = Date.now();
    if (now < this.#nextClaimAt) return [];
    this.#nextClaimAt = now + Math.max(50, Math.floor(this.#place.claimAfter / 2));
    const claimed: Work[] = [];
    for (const at of this.#partitions) {
      const reply = await this.#redis.call(
        'XAUTOCLAIM',
        at.key,
        this.#group,
        this.#place.consumer,
        this.#place.claimAfter,
        this.#claimCursors.get(at.key) ?? '0-0',
        'COUNT',
        READ_COUNT,
      );
      if (!Array.isArray(reply)) continue;
      this.#claimCursors.set(at.key, typeof reply[0] === 'string' ? reply[0] : '0-0');
      const entries = Array.isArray(reply[1]) ? (reply[1] as unknown[]) : [];
      const retries = retryKey(this.#place, at.stream, at.partition, this.#group);
      for (const raw of entries) {
        const entry = entryOf(at.key, raw);
        if (entry === undefined) continue;
        const member = entryMember({ partition: at.partition, id: entry.id });
        if ((await this.#redis.zscore(retries, member)) !== null) continue;
        claimed.push({
          entry,
          at,
          attempt: await this.#countAttempt(at, entry.id),
          gotAt: Date.now(),
          counted: true,
        });
      }
    }
    return claimed;
  }

  /** Counts a retry or claimed attempt in Redis before it starts; returns its number (2, 3, ...). */
  async #countAttempt(at: Partition, id: string): Promise<number> {
    const key = attemptsKey(this.#place, at.stream, at.partition, this.#group);
    return (await this.#redis.hincrby(key, entryMember({ partition: at.partition, id }), 1)) + 1;
  }
}
