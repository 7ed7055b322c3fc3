import { Redis } from 'ioredis';
import { clientFromFactory } from '../../redis/custom-client.js';
import { createProducerClient, type RedisClient, singleServer } from '../../redis/redis-client.js';
import type { StreamsWorkerSource } from './streams-worker-source.js';

/**
 * The `stream:*` commands' connection, connected, failing fast: no offline queue, one retry,
 * every command bounded by `unavailableTimeout`; one server is not reconnected (a command must
 * say Redis is down, not wait for it). On a cluster the producer's client (redis-client.ts),
 * which follows MOVED/ASK redirects; with `createClient`, the user's `'producer'` client. Rejects when Redis does not answer in time.
 */
export async function connectAdmin(source: StreamsWorkerSource): Promise<RedisClient> {
  const timeout = source.unavailableTimeout;
  const { target } = source;
  const redis: RedisClient =
    target.createClient !== undefined
      ? singleServer(clientFromFactory(target.createClient, 'producer', source.connection), source.connection)
      : target.cluster === undefined
        ? new Redis({
            ...source.redisOptions,
            lazyConnect: true,
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
            commandTimeout: timeout,
            retryStrategy: () => null,
          })
        : createProducerClient(target, { commandTimeout: timeout, connection: source.connection });
  redis.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      // A createClient client may be connecting or connected already (not lazy).
      redis.status === 'wait'
        ? redis.connect()
        : redis.status === 'ready'
          ? Promise.resolve()
          : new Promise<void>((resolve) => redis.once('ready', () => resolve())),
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
