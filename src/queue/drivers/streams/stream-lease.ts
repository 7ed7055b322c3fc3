import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../redis/redis-client.js';
import { pipelineBySlot, type SlotCommand } from './stream-slots.js';
import type { ConsumerPlace, Partition } from './stream-work.js';

/** Extends a lease only while this holder still has it. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/** Deletes a lease only while this holder still has it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The lease of one partition of an ordered listener: `<partition key>:lease:<listener>`, in the
 * partition's slot on a cluster (its hash tag is the partition key's).
 */
export function leaseKey(partitionKey: string, listener: string): string {
  return `${partitionKey}:lease:${listener}`;
}

/** The sorted set of an ordered listener's live workers on a stream, scored by last heartbeat. */
export function ownersKey(prefix: string, stream: string, listener: string): string {
  return `${prefix}:${stream}:owners:${listener}`;
}

/**
 * The partitions one worker of an ordered listener owns. A partition has one owner at a time:
 * a lease key (SET NX PX claimAfter, value = this worker's token), renewed every third of
 * `claimAfter` and on every poll, deleted on close; a crashed owner's lease runs out after
 * `claimAfter`, and the next owner first claims the partition's pending entries.
 *
 * Why leases: XREADGROUP spreads one partition's entries over every consumer of the group, so
 * two workers would run entries of one key side by side, and out of order. Workers share the
 * partitions fairly: each heartbeats into the listener's owners set, takes free partitions up to
 * its share (partitions / live workers, rounded up) and releases those beyond it between polls,
 * when none of its entries run. A worker stalled longer than `claimAfter` (no renewal) may lose
 * a partition while an entry of it still runs: it then starts no further entry of it.
 */
export class PartitionLeases {
  readonly #redis: RedisClient;
  readonly #place: ConsumerPlace;
  readonly #listener: string;
  readonly #byStream = new Map<string, Partition[]>();
  readonly #held = new Set<Partition>();
  readonly #token = `${randomUUID()}@`;
  #timer: NodeJS.Timeout | undefined;

  constructor(redis: RedisClient, place: ConsumerPlace, listener: string, partitions: readonly Partition[]) {
    this.#redis = redis;
    this.#place = place;
    this.#listener = listener;
    this.#token += place.consumer;
    for (const at of partitions) {
      const list = this.#byStream.get(at.stream) ?? [];
      list.push(at);
      this.#byStream.set(at.stream, list);
    }
  }

  /** The partitions held now, in listener order. */
  held(): Partition[] {
    return [...this.#byStream.values()].flat().filter((at) => this.#held.has(at));
  }

  /** Whether this worker still holds the partition (false once a renewal found it lost). */
  owns(at: Partition): boolean {
    return this.#held.has(at);
  }

  /** Starts renewing the held leases and the heartbeat between polls (a long entry runs). */
  startRenewing(onError: (error: Error) => void): void {
    const every = Math.max(10, Math.floor(this.#place.claimAfter / 3));
    this.#timer = setInterval(() => {
      this.#renew().catch(onError);
    }, every);
    this.#timer.unref();
  }

  /**
   * Heartbeats, renews the held leases, then evens out: releases partitions beyond this
   * worker's share, takes free ones up to it. Call only when no entry of this listener runs.
   */
  async balance(): Promise<void> {
    await this.#renew();
    const now = Date.now();
    for (const [stream, partitions] of this.#byStream) {
      const owners = ownersKey(this.#place.prefix, stream, this.#listener);
      const replies = await this.#redis
        .multi()
        .zremrangebyscore(owners, '-inf', now - this.#place.claimAfter)
        .zcard(owners)
        .exec();
      const live = Math.max(1, Number(replies?.[1]?.[1] ?? 1));
      const share = Math.ceil(partitions.length / live);
      const mine = partitions.filter((at) => this.#held.has(at));
      for (const extra of mine.slice(share)) await this.#release(extra);
      let count = Math.min(mine.length, share);
      // Start at a different partition per worker, so workers starting together rarely collide.
      const offset = Math.abs(hashOf(this.#token)) % partitions.length;
      for (let step = 0; step < partitions.length && count < share; step++) {
        const at = partitions[(offset + step) % partitions.length] as Partition;
        if (this.#held.has(at)) continue;
        const taken = await this.#redis.set(
          leaseKey(at.key, this.#listener),
          this.#token,
          'PX',
          this.#place.claimAfter,
          'NX',
        );
        if (taken !== 'OK') continue;
        this.#held.add(at);
        count++;
      }
    }
  }

  /** Stops renewing, releases every lease and leaves the owners sets (worker closing). */
  async releaseAll(): Promise<void> {
    clearInterval(this.#timer);
    for (const at of [...this.#held]) await this.#release(at);
    for (const stream of this.#byStream.keys())
      await this.#redis.zrem(ownersKey(this.#place.prefix, stream, this.#listener), this.#token);
  }

  async #renew(): Promise<void> {
    const now = Date.now();
    const commands: SlotCommand[] = [];
    for (const stream of this.#byStream.keys()) {
      const owners = ownersKey(this.#place.prefix, stream, this.#listener);
      commands.push({ key: owners, add: (pipeline) => pipeline.zadd(owners, now, this.#token) });
      commands.push({ key: owners, add: (pipeline) => pipeline.pexpire(owners, this.#place.claimAfter * 2) });
    }
    const held = [...this.#held];
    for (const at of held) {
      const lease = leaseKey(at.key, this.#listener);
      commands.push({
        key: lease,
        add: (pipeline) => pipeline.eval(RENEW, 1, lease, this.#token, this.#place.claimAfter),
      });
    }
    const replies = await pipelineBySlot(this.#redis, commands);
    const first = replies.length - held.length;
    held.forEach((at, index) => {
      const [error, kept] = replies[first + index] ?? [null, 0];
      if (error === null && Number(kept) !== 1) this.#held.delete(at);
    });
  }

  async #release(at: Partition): Promise<void> {
    this.#held.delete(at);
    await this.#redis.eval(RELEASE, 1, leaseKey(at.key, this.#listener), this.#token);
  }
}

/** A small stable hash of a string (FNV-1a), to spread workers' starting partitions. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
