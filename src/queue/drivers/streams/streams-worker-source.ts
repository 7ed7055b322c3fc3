import type { RedisOptions } from 'ioredis';
import type { RedisConnectionTarget } from '../../redis/redis-client.js';
import type { StreamKeyspace } from './stream-keys.js';

/** What a streams worker needs from its driver: where Redis is and the connection's settings. */
export interface StreamsWorkerSource {
  readonly connection: string;
  /** The connection's config as far as where Redis is: one server, or a cluster's seeds. */
  readonly target: RedisConnectionTarget;
  /** Options of one server (on a cluster: of each node, auth and TLS). */
  readonly redisOptions: RedisOptions;
  /** `host:port`, or the cluster's seeds, for messages. */
  readonly redisAddress: string;
  readonly prefix: string;
  /** The key layout: per-partition hash tags on a cluster (stream-keys.ts). */
  readonly keyspace: StreamKeyspace;
  readonly partitions: number;
  readonly claimAfter: number;
  readonly unavailableTimeout: number;
  /** Retention applied by workers (entries per partition stream, seconds). */
  readonly maxLen: number | undefined;
  readonly maxAge: number | undefined;
}
