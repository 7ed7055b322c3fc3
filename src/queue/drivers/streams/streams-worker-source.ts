import type { RedisOptions } from 'ioredis';
import type { RedisClient, RedisConnectionTarget } from '../../redis/redis-client.js';
import type { StreamKeyspace } from './stream-keys.js';

/** What a streams worker needs from its driver: where Redis is and the connection's settings. */
export interface StreamsWorkerSource {
  readonly connection: string;
  /** The connection's config as far as where Redis is: one server, a cluster, Sentinel, createClient. */
  readonly target: RedisConnectionTarget;
  /** Options of one server (on a cluster: of each node, auth and TLS; through Sentinel: its sentinels). */
  readonly redisOptions: RedisOptions;
  /** A lazy client for a worker (`maxRetriesPerRequest: null`), duplicated per blocking reader. */
  createWorkerClient(): RedisClient;
  /** `host:port`, the cluster's seeds or the sentinels, for messages. */
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
