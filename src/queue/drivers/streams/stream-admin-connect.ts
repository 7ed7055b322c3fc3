import { Redis } from 'ioredis';
import { createProducerClient, type RedisClient } from '../../redis/redis-client.js';
import type { StreamsWorkerSource } from './streams-worker-source.js';

/**
 * The `stream:*` commands' connection, connected, failing fast: no offline queue, one retry,
 * every command bounded by `unavailableTimeout`; one server is not reconnected (a command must
 * say Redis is down, not wait for it). On a cluster the producer's client (redis-client.ts),
 * which follows MOVED/ASK redirects. Rejects when Redis does not answer in time.
 */
export async function connectAdmin(source: StreamsWorkerSource): Promise<RedisClient> {
  const timeout = source.unavailableTimeout;
  const redis: RedisClient =
    source.target.cluster === undefined
      ? new Redis({
          ...source.redisOptions,
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout: timeout,
          retryStrategy: () => null,
        })
      : createProducerClient(source.target, { commandTimeout: timeout });
  redis.on('error', () => {});
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
  return redis;
}
