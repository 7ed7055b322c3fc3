import { Redis } from 'ioredis';
import { HeraldError } from '../../../errors.js';
import { isConnectionProblem } from '../../redis/connection-problem.js';
import { clientFromFactory } from '../../redis/custom-client.js';
import { singleServer } from '../../redis/redis-client.js';
import type {
  DeadLetter,
  RetryDeadOutcome,
  StreamAdmin,
  StreamGroupState,
  StreamPartitionState,
  StreamReader,
} from '../../stream-admin.js';
import { idBefore, timeOfId } from './stream-ids.js';
import { numberOrNull, recordOfReply } from './stream-info-reply.js';
import { attemptsKey, deadKey, partitionKey, retryKey } from './stream-keys.js';
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
  #redis: Redis | undefined;

  constructor(source: StreamsWorkerSource) {
    this.connection = source.connection;
    this.#source = source;
  }

  describe(streams: readonly string[]): Promise<StreamPartitionState[]> {
    return this.#use('read the streams', async (redis) => {
      const states: StreamPartitionState[] = [];
      for (const stream of streams) {
        for (let partition = 0; partition < this.#source.partitions; partition++) {
          const key = partitionKey(this.#source.prefix, stream, partition);
          const length = await redis.xlen(key);
          const groups: StreamGroupState[] = [];
          // XINFO GROUPS refuses a key that does not exist (no append and no group yet).
          const infos =
            length === 0 && (await redis.exists(key)) === 0 ? [] : await redis.call('XINFO', 'GROUPS', key);
          for (const info of Array.isArray(infos) ? infos : []) {
            groups.push(await this.#groupState(redis, stream, key, recordOfReply(info)));
          }
          states.push({ stream, partition, key, length, groups });
        }
      }
      return states;
    });
  }

  async #groupState(
    redis: Redis,
    stream: string,
    key: string,
    info: Record<string, unknown>,
  ): Promise<StreamGroupState> {
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
    const dead = await redis.xlen(deadKey(this.#source.prefix, stream, group));
    return { group, lag, pending, oldestPendingMs, dead };
  }

  deadLetters(listener: StreamReader): Promise<DeadLetter[]> {
    return this.#use('read dead letters', (redis) => this.#deadLetters(redis, listener));
  }

  async #deadLetters(redis: Redis, listener: StreamReader): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    for (const stream of listener.streams) {
      const entries = await redis.xrange(deadKey(this.#source.prefix, stream, listener.name), '-', '+');
      for (const [id, fields] of entries) {
        const record = recordOfReply(fields);
        const text = (name: string) => (typeof record[name] === 'string' ? (record[name] as string) : '');
        letters.push({
          id,
          stream,
          entryId: text('entryId'),
          event: text('event'),
          dispatchId: text('dispatchId'),
          failedAt: text('failedAt'),
          attempts: Number(text('attempts')) || 0,
          error: text('error'),
          errorKind: text('errorKind'),
        });
      }
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
   * back this way; its dead letter stays (test/cli/stream-commands.test.ts). Should the schedule
   * after the claim not reach Redis, the entry stays pending and a worker claims it after
   * `claimAfter` like any orphaned entry; the dead letter stays too.
   */
  retryDead(listener: StreamReader, ids: readonly string[] | 'all'): Promise<RetryDeadOutcome> {
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
        const partition = await this.#partitionOf(redis, letter);
        if (partition === undefined) {
          trimmed.push(letter.entryId);
          continue;
        }
        const { prefix } = this.#source;
        const member = entryMember({ partition, id: letter.entryId });
        // Trimmed since the look-up: XCLAIM FORCE skips an entry the log no longer holds.
        const claimed = await redis.call(
          'XCLAIM',
          partitionKey(prefix, letter.stream, partition),
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
          .hset(attemptsKey(prefix, letter.stream, listener.name), member, -1)
          .zadd(retryKey(prefix, letter.stream, listener.name), Date.now(), member)
          .xdel(deadKey(prefix, letter.stream, listener.name), letter.id)
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
  async #partitionOf(redis: Redis, letter: DeadLetter): Promise<number | undefined> {
    for (let partition = 0; partition < this.#source.partitions; partition++) {
      const key = partitionKey(this.#source.prefix, letter.stream, partition);
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
          const key = partitionKey(this.#source.prefix, stream, partition);
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
  async #use<T>(what: string, work: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await work(await this.#connected());
    } catch (error) {
      if (HeraldError.is(error) || !isConnectionProblem(error)) throw error;
      throw this.#unavailable(what, error);
    }
  }

  async #connected(): Promise<Redis> {
    if (this.#redis !== undefined) return this.#redis;
    const { createClient } = this.#source.config;
    const redis =
      createClient === undefined
        ? new Redis({
            ...this.#source.redisOptions,
            lazyConnect: true,
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
            commandTimeout: this.#source.unavailableTimeout,
            retryStrategy: () => null,
          })
        : singleServer(
            clientFromFactory(createClient, 'producer', this.#source.connection),
            this.#source.connection,
          );
    redis.on('error', () => {});
    const timeout = this.#source.unavailableTimeout;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        redis.connect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer from Redis within ${timeout} ms`)), timeout);
        }),
      ]);
    } catch (error) {
      redis.disconnect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    this.#redis = redis;
    return redis;
  }

  #unavailable(what: string, error: unknown): HeraldError {
    const reason = error instanceof Error ? error.message : String(error);
    return new HeraldError(
      'queue_unavailable',
      `Could not ${what} on the queue connection "${this.connection}" (Redis at ${this.#source.redisAddress}): ${reason}. Check that Redis is running and reachable, or fix the connection's url/host/port in herald.config.`,
      { cause: error },
    );
  }
}
