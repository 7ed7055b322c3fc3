import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { HeraldError } from '../../errors.js';
import type { RedisClusterFields, RedisConnectionFields } from '../connection-config.js';
import { describeRedis, redisOptionsFrom } from './redis-options.js';

/** What a Redis-backed connection's config says about where Redis is. */
export type RedisConnectionTarget = RedisConnectionFields & RedisClusterFields;

/** A connected-or-connecting client of a connection: one server or a whole cluster. */
export type RedisClient = Redis | Cluster;

/** How long a producer waits for Redis (ms): its commandTimeout and bounded connects. */
export interface ProducerSettings {
  readonly commandTimeout: number;
}

/** `host:port` of the server, or `Redis Cluster (seeds a:1, b:2)`, for messages (no password). */
export function describeTarget(config: RedisConnectionTarget): string {
  if (config.cluster === undefined) return describeRedis(redisOptionsFrom(config));
  const seeds = config.cluster.nodes.map(({ host, port }) => `${host}:${port}`).join(', ');
  return `Redis Cluster (seeds ${seeds})`;
}

/** ioredis Cluster settings from the config: its tuning, and the per-node options (auth, TLS). */
function clusterOptions(config: RedisConnectionTarget, redisOptions: RedisOptions): ClusterOptions {
  const { natMap, ...tuning } = config.cluster?.options ?? {};
  return {
    ...tuning,
    ...(natMap === undefined ? {} : { natMap: { ...natMap } }),
    // Every BullMQ script writes; reading a replica would see stale job states.
    scaleReads: 'master',
    redisOptions,
  };
}

/**
 * The client a producer pushes with (fail-fast): no offline queue, one retry, every command
 * bounded by `commandTimeout`, and never a resend of a command whose reply was lost (a resent
 * add would store its job twice). On a cluster the same holds per node; MOVED/ASK redirects are
 * followed by ioredis. Created lazily: the caller connects it.
 */
export function createProducerClient(config: RedisConnectionTarget, settings: ProducerSettings): RedisClient {
  const node: RedisOptions = {
    ...redisOptionsFrom(config),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    commandTimeout: settings.commandTimeout,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  };
  if (config.cluster === undefined) return new Redis(node);
  const nodes = config.cluster.nodes.map(({ host, port }) => ({ host, port }));
  // The per-node retryStrategy is ioredis' business on a cluster: it reconnects nodes itself.
  const { retryStrategy: _perNode, lazyConnect: _lazy, ...perNode } = node;
  return new Cluster(nodes, {
    ...clusterOptions(config, perNode),
    lazyConnect: true,
    enableOfflineQueue: false,
    clusterRetryStrategy: (times) => Math.min(times * 100, 1000),
  });
}

/**
 * What a BullMQ Worker connects with: options for one server, or a lazy Cluster that BullMQ
 * duplicates (a blocking consumer gets its own connections). BullMQ connects this one too and
 * leaves it open on close: the worker disconnects it (drivers/bullmq/close-workers.ts).
 * Blocking reads need `maxRetriesPerRequest: null` (BullMQ refuses a cluster without it).
 */
export function workerConnection(config: RedisConnectionTarget): RedisOptions | Cluster {
  const node: RedisOptions = { ...redisOptionsFrom(config), maxRetriesPerRequest: null };
  if (config.cluster === undefined) return node;
  const nodes = config.cluster.nodes.map(({ host, port }) => ({ host, port }));
  return new Cluster(nodes, { ...clusterOptions(config, node), lazyConnect: true });
}

/**
 * Whether a server named as a single Redis is in fact a Redis Cluster node: it would answer
 * MOVED for most keys, so a worker on it would idle while jobs wait. Undefined when INFO is not
 * allowed (managed Redis).
 */
export async function isClusterNode(client: RedisClient): Promise<boolean | undefined> {
  if (client instanceof Cluster) return false;
  try {
    return /cluster_enabled:1/.test(await client.info('cluster'));
  } catch {
    return undefined;
  }
}

/**
 * The `queue_unavailable` error for a connection configured as one server that is a cluster
 * node (see {@link isClusterNode}), naming the fix; undefined when it is not one.
 */
export async function clusterNodeProblem(
  client: RedisClient,
  config: RedisConnectionTarget,
  connection: string,
): Promise<HeraldError | undefined> {
  if ((await isClusterNode(client)) !== true) return undefined;
  return new HeraldError(
    'queue_unavailable',
    `Redis at ${describeTarget(config)} (queue connection "${connection}") is a Redis Cluster node: as a single server it answers MOVED for the keys other nodes own. Configure the connection with cluster: { nodes: [{ host, port }, ...] } in place of url/host/port.`,
  );
}
