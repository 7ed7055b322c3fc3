import type { RedisOptions } from 'ioredis';

/** What a streams worker needs from its driver: where Redis is and the connection's settings. */
export interface StreamsWorkerSource {
  readonly connection: string;
  readonly redisOptions: RedisOptions;
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
