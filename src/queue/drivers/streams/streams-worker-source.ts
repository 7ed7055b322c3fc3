import type { Redis, RedisOptions } from 'ioredis';
import type { StreamsConnectionConfig } from '../../connection-config.js';

/** What a streams worker needs from its driver: where Redis is and the connection's settings. */
export interface StreamsWorkerSource {
  readonly connection: string;
  readonly config: StreamsConnectionConfig;
  readonly redisOptions: RedisOptions;
  /** A lazy worker client (`maxRetriesPerRequest: null`; sentinel or createClient aware). */
  createWorkerClient(): Redis;
  /** `host:port`, for messages. */
  readonly redisAddress: string;
  readonly prefix: string;
  readonly partitions: number;
  readonly claimAfter: number;
  readonly unavailableTimeout: number;
  /** Retention applied by workers (entries per partition stream, seconds). */
  readonly maxLen: number | undefined;
  readonly maxAge: number | undefined;
}
