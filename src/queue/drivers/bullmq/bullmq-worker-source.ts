import type { Queue } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { BullMqConnectionConfig } from '../../connection-config.js';
import type { RedisClient } from '../../redis/custom-client.js';

/**
 * What a BullMQ worker needs from its connection's driver. The driver implements it; the worker
 * and its connect check depend on this, not on the driver's class, so the driver can create
 * workers without the two files importing each other (the dependency rules forbid cycles).
 */
export interface BullMqWorkerSource {
  /** The connection name from config. */
  readonly connection: string;
  readonly config: BullMqConnectionConfig;
  /** Where Redis is, for messages: `host:port`, or the cluster's seeds. */
  readonly redis: string;
  readonly defaultQueue: string;
  /** How long (ms) a starting worker waits for Redis before `queue_unavailable`. */
  readonly unavailableTimeout: number;
  /** The BullMQ prefix of a queue (per-queue hash tags on a cluster). */
  prefixOf(queue: string): string;
  /** What a BullMQ Worker connects with: options for one server, or a client BullMQ duplicates. */
  workerConnection(): RedisOptions | RedisClient;
  /** Whether `client` is the connection's own worker client (createClient's), which it closes itself. */
  ownsWorkerConnection(client: unknown): boolean;
  /** The producer-side queue of that name (for counts and the stop-when-empty check). */
  queue(name: string): Promise<Queue>;
}
