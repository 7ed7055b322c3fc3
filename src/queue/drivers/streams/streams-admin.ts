import { HeraldError } from '../../../errors.js';
import { isConnectionProblem } from '../../redis/connection-problem.js';
import type { RedisClient } from '../../redis/redis-client.js';
import type {
  DeadLetter,
  RetryDeadOutcome,
  StreamAdmin,
  StreamGroupState,
  StreamPartitionState,
  StreamReader,
} from '../../stream-admin.js';
import { connectAdmin } from './stream-admin-connect.js';
import { compareIds, idBefore, timeOfId } from './stream-ids.js';
import { numberOrNull, recordOfReply } from './stream-info-reply.js';
import { attemptsKey, deadKey, keysOverPartitions, partitionKey, retryKey } from './stream-keys.js';
import { entryMember } from './stream-retries.js';
import type { StreamsWorkerSource } from './streams-worker-source.js';

/** The consumer that holds a dead entry handed back to its group until a worker's retry takes it. */
const RETRY_DEAD_CONSUMER = 'herald:retry-dead';
/** Most entries counted one by one for a group's lag when Redis does not know it. */
const MAX_COUNTED_LAG = 100_000;

/**
 * The `stream:*` commands' side of a streams connection, on one connection of its own that
 * fails fast: a command must say Redis is down, not wait for it.
 */
export class StreamsAdmin implements StreamAdmin {
  readonly connection: string;
  readonly #source: StreamsWorkerSource;
  #redis: RedisClient | undefined;
  /** Where each dead letter read was stored: its dead-letter stream and partition. */
  readonly #origins = new WeakMap<DeadLetter, { key: string; partition: number }>();

  constructor(source: StreamsWorkerSource) {
    this.connection = source.connection;
    this.#source = source;
  }

  describe(streams: readonly string[]): Promise<StreamPartitionState[]> {
    return this.#use('read the streams', async (redis) => {
      const states: StreamPartitionState[] = [];
      for (const stream of streams) {
        for (let partition = 0; partition < this.#source.partitions; partition++) {
          const key = partitionKey(this.#source.keyspace, stream, partition);
          const length = await redis.xlen(key);
          const groups: StreamGroupState[] = [];
          // XINFO GROUPS refuses a key that does not exist (no append and no group yet).
          const infos =
            length === 0 && (await redis.exists(key)) === 0 ? [] : await redis.call('XINFO', 'GROUPS', key);
          for (const info of Array.isArray(infos) ? infos : []) {
            groups.push(await this.#groupState(redis, { stream, partition, key }, recordOfReply(info)));
          }
          states.push({ stream, partition, key, length, groups });
        }
      }
      return states;
    });
  }

  async #groupState(
    redis: RedisClient,
    at: { readonly stream: string; readonly partition: number; readonly key: string },
    info: Record<string, unknown>,
  ): Promise<StreamGroupState> {
    const { key } = at;
    const group = String(info.name);
    const pending = numberOrNull(info.pending) ?? 0;
    // Redis 7 reports `lag`, but nil when it cannot tell (entries deleted mid-log): count then.
    let lag = numberOrNull(info.lag);
    if (lag === null) {
      const after = await redis.xrange(
        key,
        `(${String(info['last-delivered-id'] ?? '0-0')}`,
        '+',
        'COUNT',
        MAX_COUNTED_LAG,
      );
      lag = after.length < MAX_COUNTED_LAG ? after.length : null;
    }
    let oldestPendingMs: number | null = null;
    if (pending > 0) {
      const summary = await redis.call('XPENDING', key, group);
      const oldest = Array.isArray(summary) ? summary[1] : undefined;
      if (typeof oldest === 'string') oldestPendingMs = Math.max(0, Date.now() - timeOfId(oldest));
    }
    // The partition's dead letters on a cluster, the stream's on one server (stream-keys.ts).
    const dead = await this.#deadCount(redis, at.stream, group);
    return { group, lag, pending, oldestPendingMs, dead };
  }

  /** A listener's dead letters on a stream: one stream's XLEN, or the sum over its partitions' on a cluster. */
  async #deadCount(redis: RedisClient, stream: string, group: string): Promise<number> {
    const { keyspace, partitions } = this.#source;
    let count = 0;
    for (const { key } of keysOverPartitions(partitions, (at) => deadKey(keyspace, stream, at, group)))
      count += await redis.xlen(key);
    return count;
  }

  deadLetters(listener: StreamReader): Promise<DeadLetter[]> {
    return this.#use('read dead letters', (redis) => this.#deadLetters(redis, listener));
  }

  async #deadLetters(redis: RedisClient, listener: StreamReader): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    const { keyspace, partitions } = this.#source;
    for (const stream of listener.streams) {
      const ofStream: DeadLetter[] = [];
      const keys = keysOverPartitions(partitions, (at) => deadKey(keyspace, stream, at, listener.name));
      for (const { key, partition } of keys) {
        for (const [id, fields] of await redis.xrange(key, '-', '+')) {
          const record = recordOfReply(fields);
          const text = (name: string) => (typeof record[name] === 'string' ? (record[name] as string) : '');
          const letter: DeadLetter = {
            id,
            stream,
            entryId: text('entryId'),
            event: text('event'),
            dispatchId: text('dispatchId'),
            failedAt: text('failedAt'),
            attempts: Number(text('attempts')) || 0,
            error: text('error'),
            errorKind: text('errorKind'),
          };
          this.#origins.set(letter, { key, partition });
          ofStream.push(letter);
        }
      }
      // A cluster's partitions each keep their dead letters: oldest first across them.
      if (keys.length > 1) ofStream.sort((a, b) => compareIds(a.id, b.id));
      letters.push(...ofStream);
    }
    return letters;
  }

  /**
   * Dead-lettering acknowledged the entry, so it left the group's pending list and nothing
   * delivers it again; appending a copy would reach every group of the stream. Instead the entry
   * is made pending for this group again (XCLAIM FORCE re-creates it in the group's pending list
   * while the entry is still in the log) and put in the listener's retry set, due now, with its
   * attempts count at -1 so the retry that takes it counts as attempt 1: the listener's workers
   * run it with fresh tries and no other group sees it. An entry trimmed from the log cannot come
   * back this way; its dead letter stays (test/cli/stream-dead-letter-commands.test.ts). Should the schedule
   * after the claim not reach Redis, the entry stays pending and a worker claims it after
   * `claimAfter` like any orphaned entry; the dead letter stays too.
   */
  retryDead(listener: StreamReader, ids: readonly string[] | 'all'): Promise<RetryDeadOutcome> {
    const { keyspace } = this.#source;
    return this.#use('retry dead letters', async (redis) => {
      const letters = await this.#deadLetters(redis, listener);
      const wanted = (letter: DeadLetter) =>
        ids === 'all' || ids.includes(letter.entryId) || ids.includes(letter.id);
      const chosen = letters.filter(wanted);
      const unknown =
        ids === 'all'
          ? []
          : ids.filter((id) => !letters.some((letter) => letter.entryId === id || letter.id === id));
      const retried: string[] = [];
      const trimmed: string[] = [];
      for (const letter of chosen) {
        const origin = this.#origins.get(letter);
        // A cluster's dead letters are per partition: the letter names its partition.
        const partition = keyspace.clustered ? origin?.partition : await this.#partitionOf(redis, letter);
        if (partition === undefined) {
          trimmed.push(letter.entryId);
          continue;
        }
        const member = entryMember({ partition, id: letter.entryId });
        // Trimmed since the look-up: XCLAIM FORCE skips an entry the log no longer holds.
        const claimed = await redis.call(
          'XCLAIM',
          partitionKey(keyspace, letter.stream, partition),
          listener.name,
          RETRY_DEAD_CONSUMER,
          0,
          letter.entryId,
          'FORCE',
          'JUSTID',
        );
        if (!Array.isArray(claimed) || claimed.length === 0) {
          trimmed.push(letter.entryId);
          continue;
        }
        await redis
          .multi()
          .hset(attemptsKey(keyspace, letter.stream, partition, listener.name), member, -1)
          .zadd(retryKey(keyspace, letter.stream, partition, listener.name), Date.now(), member)
          .xdel(origin?.key ?? deadKey(keyspace, letter.stream, partition, listener.name), letter.id)
          .exec();
        retried.push(letter.entryId);
      }
      return { retried, trimmed, unknown };
    });
  }

  /**
   * The partition whose log still holds the dead letter's entry. Ids are per partition, so the
   * entry's `dispatchId` must match too: two partitions may hold the same id.
   */
  async #partitionOf(redis: RedisClient, letter: DeadLetter): Promise<number | undefined> {
    for (let partition = 0; partition < this.#source.partitions; partition++) {
      const key = partitionKey(this.#source.keyspace, letter.stream, partition);
      const [found] = await redis.xrange(key, letter.entryId, letter.entryId);
      if (found !== undefined && recordOfReply(found[1]).dispatchId === letter.dispatchId) return partition;
    }
    return undefined;
  }

  /**
   * XGROUP SETID moves only this listener's group: the next read delivers `from` and what follows
   * again to it alone. A group that does not exist yet is created there.
   */
  replay(listener: StreamReader, from: 'start' | string): Promise<number> {
    return this.#use('replay the listener', async (redis) => {
      const target = from === 'start' ? '0' : idBefore(from);
      let moved = 0;
      for (const stream of listener.streams) {
        for (let partition = 0; partition < this.#source.partitions; partition++) {
          const key = partitionKey(this.#source.keyspace, stream, partition);
          try {
            await redis.xgroup('SETID', key, listener.name, target);
          } catch (error) {
            if (!(error instanceof Error) || !/NOGROUP|no such key/i.test(error.message)) throw error;
            await redis.xgroup('CREATE', key, listener.name, target, 'MKSTREAM');
          }
          moved++;
        }
      }
      return moved;
    });
  }

  async close(): Promise<void> {
    const redis = this.#redis;
    this.#redis = undefined;
    if (redis !== undefined) await redis.quit().catch(() => redis.disconnect());
  }

  /** Runs `work` on the connection; a Redis that cannot be reached becomes `queue_unavailable`. */
  async #use<T>(what: string, work: (redis: RedisClient) => Promise<T>): Promise<T> {
    try {
      return await work(await this.#connected());
    } catch (error) {
      if (HeraldError.is(error) || !isConnectionProblem(error)) throw error;
      throw this.#unavailable(what, error);
    }
  }

  async #connected(): Promise<RedisClient> {
    this.#redis ??= await connectAdmin(this.#source);
    return this.#redis;
  }

  #unavailable(what: string, error: unknown): HeraldError {
    const reason = error instanceof Error ? error.message : String(error);
    return new HeraldError(
      'queue_unavailable',
      `Could not ${what} on the queue connection "${this.connection}" (Redis at ${this.#source.redisAddress}): ${reason}. Check that Redis is running and reachable, or fix the connection's url/host/port (or cluster.nodes) in herald.config.`,
      { cause: error },
    );
  }
}
