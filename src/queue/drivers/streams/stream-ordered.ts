import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerListener } from '../../driver.js';
import type { RedisClient } from '../../redis/redis-client.js';
import { type ConsumerHost, EntryAttempts } from './stream-attempt.js';
import { ensureGroups } from './stream-groups.js';
import { retryKey } from './stream-keys.js';
import { PartitionLeases } from './stream-lease.js';
import { type ListenerReader, partitionsOf } from './stream-listener-reader.js';
import { entryOf } from './stream-reply.js';
import { PartitionReads, pipelineBySlot, type SlotCommand } from './stream-slots.js';
import { type ConsumerPlace, type Partition, READ_COUNT, type Work } from './stream-work.js';

/** The writes a chain batches until it ends (acks, forgotten and taken-back attempt counts). */
interface ChainWrites {
  hincrby(key: string, member: string, by: number): void;
  xack(key: string, id: string): void;
  hdel(key: string, member: string): void;
}

/** One partition's entries for this round, run one after the other. */
interface Chain {
  readonly at: Partition;
  /** Pending entry ids to claim and run first (a previous owner's, or retries), in log order. */
  readonly pending: readonly string[];
  /** New entries read for it (first attempts). */
  readonly fresh: readonly Work[];
}

/**
 * An `ordered: true` listener's group: one entry at a time per partition, in log order, also
 * across worker processes and retries. Each partition has one owner at a time (PartitionLeases);
 * the owner runs the partition's pending entries first, oldest first (a crashed or departed
 * owner's, entries it read but never started, a retry once due), and reads new ones only when
 * none is pending. A failed attempt's entry waits in the retry set and holds its partition: no
 * later entry of that partition starts before it ends. Different partitions run side by side, up
 * to `concurrency` (test/integration/streams/streams-ordered.test.ts).
 */
export class OrderedConsumer implements ListenerReader {
  readonly listener: WorkerListener;
  readonly #redis: RedisClient;
  readonly #reads: PartitionReads;
  readonly #place: ConsumerPlace;
  readonly #host: ConsumerHost;
  readonly #partitions: Partition[];
  readonly #leases: PartitionLeases;
  readonly #attempts: EntryAttempts;

  constructor(
    listener: WorkerListener,
    connections: { readonly redis: RedisClient; readonly reader: RedisClient },
    place: ConsumerPlace,
    host: ConsumerHost,
  ) {
    this.listener = listener;
    this.#redis = connections.redis;
    this.#reads = new PartitionReads(connections.reader);
    this.#place = place;
    this.#host = host;
    this.#partitions = partitionsOf(listener.streams, place);
    this.#leases = new PartitionLeases(this.#redis, place, listener.name, this.#partitions);
    this.#attempts = new EntryAttempts(listener, this.#redis, place, host);
  }

  async start(): Promise<void> {
    const keys = this.#partitions.map((at) => at.key);
    await ensureGroups(this.#redis, keys, this.listener.name, this.listener.startFrom);
    // A failed renewal between polls is retried on the next one, and poll() reports its own errors.
    this.#leases.startRenewing(() => {});
  }

  /** Releases the leases, so another worker takes the partitions over at once. */
  stop(): Promise<void> {
    return this.#leases.releaseAll();
  }

  async poll(maxBlockMs: number): Promise<'idle' | 'busy'> {
    if (this.#partitions.length === 0) return 'idle';
    await this.#leases.balance();
    const pendingChains: Chain[] = [];
    const clear: Partition[] = [];
    let nextDue = Number.POSITIVE_INFINITY;
    for (const at of this.#leases.held()) {
      const pending = await this.#pendingIds(at);
      if (pending.length === 0) {
        clear.push(at);
        continue;
      }
      const due = await this.#dueAt(at, pending[0] as string);
      if (due !== undefined && due > Date.now()) nextDue = Math.min(nextDue, due);
      else pendingChains.push({ at, pending, fresh: [] });
    }
    await this.#runChains(pendingChains);
    if (!this.#host.mayStart()) return 'busy';
    const block = Math.max(1, Math.min(maxBlockMs, nextDue - Date.now()));
    const fresh = await this.#read(clear, block);
    await this.#runChains(fresh);
    const waiting = nextDue !== Number.POSITIVE_INFINITY;
    return pendingChains.length === 0 && fresh.length === 0 && !waiting ? 'idle' : 'busy';
  }

  /** The group's pending entry ids on a partition, oldest first (any consumer's). */
  async #pendingIds(at: Partition): Promise<string[]> {
    const reply = await this.#redis.call('XPENDING', at.key, this.listener.name, '-', '+', READ_COUNT);
    if (!Array.isArray(reply)) return [];
    return reply.flatMap((row) => (Array.isArray(row) && typeof row[0] === 'string' ? [row[0]] : []));
  }

  /** When a pending entry's retry falls due (epoch ms), or undefined when it waits for none. */
  async #dueAt(at: Partition, id: string): Promise<number | undefined> {
    const member = this.#attempts.memberOf({ at, entry: { key: at.key, id, fields: null } });
    const score = await this.#redis.zscore(
      retryKey(this.#place, at.stream, at.partition, this.listener.name),
      member,
    );
    return score === null ? undefined : Number(score);
  }

  /** New entries of the partitions with nothing pending, grouped per partition in log order. */
  async #read(clear: readonly Partition[], block: number): Promise<Chain[]> {
    if (clear.length === 0) {
      // Nothing to read: wait as a read would, for a retry to fall due or a partition to free up.
      await sleep(block, undefined, { signal: this.#host.shutdownSignal }).catch(() => {});
      return [];
    }
    const read = await this.#reads.read(
      ['XREADGROUP', 'GROUP', this.listener.name, this.#place.consumer],
      Math.min(READ_COUNT, this.#host.budget()),
      block,
      clear.map((at) => at.key),
      clear.map(() => '>'),
    );
    const gotAt = Date.now();
    const byKey = new Map<string, Work[]>();
    for (const entry of read) {
      const at = clear.find((each) => each.key === entry.key);
      if (at === undefined) continue;
      const list = byKey.get(at.key) ?? [];
      list.push({ entry, at, attempt: 1, gotAt });
      byKey.set(at.key, list);
    }
    return clear.flatMap((at) => {
      const fresh = byKey.get(at.key);
      return fresh === undefined ? [] : [{ at, pending: [], fresh }];
    });
  }

  /** Runs the chains, `concurrency` partitions at a time, each one entry after the other. */
  async #runChains(chains: readonly Chain[]): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < chains.length) await this.#runChain(chains[next++] as Chain);
    };
    await Promise.all(Array.from({ length: Math.min(this.#host.concurrency, chains.length) }, lane));
  }

  /**
   * Runs a partition's entries in order until one goes to its retry (it holds the partition), the
   * worker may start no more, or the lease is lost. New entries never started are made to count
   * as not attempted (attempts hash -1), so the next pick-up from the pending list runs attempt 1.
   */
  async #runChain(chain: Chain): Promise<void> {
    let blocked = false;
    // Every key here is of the chain's partition: one slot on a cluster too.
    const commands: SlotCommand[] = [];
    const writes: ChainWrites = {
      hincrby: (key: string, member: string, by: number) =>
        commands.push({ key, add: (p) => p.hincrby(key, member, by) }),
      xack: (key: string, id: string) =>
        commands.push({ key, add: (p) => p.xack(key, this.listener.name, id) }),
      hdel: (key: string, member: string) => commands.push({ key, add: (p) => p.hdel(key, member) }),
    };
    for (const id of chain.pending) {
      if (blocked || !this.#mayContinue(chain.at)) break;
      const outcome = await this.#runPending(chain.at, id, writes);
      blocked = outcome === 'held';
    }
    for (const item of chain.fresh) {
      if (blocked || !this.#mayContinue(chain.at)) {
        writes.hincrby(this.#attempts.attemptsOf(item), this.#attempts.memberOf(item), -1);
        continue;
      }
      // An entry deleted since it was read has nothing left to run.
      const status = item.entry.fields === null ? 'completed' : (await this.#attempts.run(item)).status;
      if (status === 'completed') writes.xack(item.at.key, item.entry.id);
      blocked = status === 'retry';
    }
    await pipelineBySlot(this.#redis, commands);
  }

  #mayContinue(at: Partition): boolean {
    return this.#host.mayStart() && this.#leases.owns(at);
  }

  /**
   * Claims one pending entry and runs its next attempt (counted first, so a crashed attempt
   * counts); `'held'` when it waits for a retry, so the partition stops here.
   */
  async #runPending(at: Partition, id: string, writes: ChainWrites): Promise<'done' | 'held'> {
    const retries = retryKey(this.#place, at.stream, at.partition, this.listener.name);
    const member = this.#attempts.memberOf({ at, entry: { key: at.key, id, fields: null } });
    const due = await this.#dueAt(at, id);
    if (due !== undefined && due > Date.now()) return 'held';
    if (due !== undefined) await this.#redis.zrem(retries, member);
    const claimed = await this.#redis.call('XCLAIM', at.key, this.listener.name, this.#place.consumer, 0, id);
    const entry = Array.isArray(claimed) ? entryOf(at.key, claimed[0]) : undefined;
    const attempts = this.#attempts.attemptsOf({ at });
    if (entry === undefined || entry.fields === null) {
      // Trimmed or deleted while pending: nothing left to run.
      writes.xack(at.key, id);
      writes.hdel(attempts, member);
      return 'done';
    }
    const attempt = (await this.#redis.hincrby(attempts, member, 1)) + 1;
    const result = await this.#attempts.run({ entry, at, attempt, gotAt: Date.now() });
    if (result.status === 'retry') return 'held';
    if (result.status === 'completed') {
      writes.xack(at.key, id);
      writes.hdel(attempts, member);
    }
    return 'done';
  }
}
