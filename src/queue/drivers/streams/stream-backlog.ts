import type { BacklogQuery, ListenerBacklog } from '../../backlog.js';
import type { RedisClient } from '../../redis/redis-client.js';
import { timeOfId } from './stream-ids.js';
import { recordOfReply } from './stream-info-reply.js';
import { deadKey, partitionKey, retryKey, type StreamKeyspace } from './stream-keys.js';

/** Where a listener's group lives: the connection's keyspace and partition count. */
export interface BacklogPlace {
  readonly keyspace: StreamKeyspace;
  readonly partitions: number;
}

/**
 * Each listener's own backlog on a log: over its streams' partitions, waiting = its group's lag,
 * delayed = retries scheduled, active = pending entries not waiting for a retry, failed = its
 * dead letters, and the oldest waiting entry's age (the first entry after the group's
 * last-delivered id; an entry id is its append time).
 */
export async function streamsBacklog(
  redis: RedisClient,
  place: BacklogPlace,
  listeners: readonly BacklogQuery[],
): Promise<ListenerBacklog[]> {
  const now = Date.now();
  const out: ListenerBacklog[] = [];
  for (const { listener, streams } of listeners) {
    let waiting = 0;
    let pending = 0;
    let oldest: number | null = null;
    const retryKeys = new Set<string>();
    const deadKeys = new Set<string>();
    for (const stream of streams) {
      for (let partition = 0; partition < place.partitions; partition++) {
        retryKeys.add(retryKey(place.keyspace, stream, partition, listener));
        deadKeys.add(deadKey(place.keyspace, stream, partition, listener));
        const key = partitionKey(place.keyspace, stream, partition);
        // XINFO GROUPS refuses a key that does not exist.
        if ((await redis.exists(key)) === 0) continue;
        const groups = (await redis.call('XINFO', 'GROUPS', key)) as unknown[];
        const info = groups.map(recordOfReply).find((group) => String(group.name) === listener);
        if (info === undefined) continue;
        pending += Number(info.pending ?? 0);
        const after = `(${String(info['last-delivered-id'] ?? '0-0')}`;
        const [next] = await redis.xrange(key, after, '+', 'COUNT', 1);
        if (next === undefined) continue;
        const lag = Number(info.lag);
        waiting += Number.isFinite(lag) ? lag : 1;
        const age = Math.max(0, now - timeOfId(next[0]));
        if (oldest === null || age > oldest) oldest = age;
      }
    }
    let delayed = 0;
    for (const key of retryKeys) delayed += await redis.zcard(key);
    let failed = 0;
    for (const key of deadKeys) failed += await redis.xlen(key);
    out.push({
      listener,
      waiting,
      active: Math.max(0, pending - delayed),
      delayed,
      failed,
      oldestWaitingMs: oldest,
    });
  }
  return out;
}
