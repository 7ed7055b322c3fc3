import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { HeraldError } from '../../errors.js';
import type { RedisTargetFields } from '../connection-config.js';
import { clientFromFactory, type RedisClient } from './custom-client.js';
import { describeRedis, redisOptionsFrom } from './redis-options.js';
import { replicaWaitTimeout } from './replica-wait.js';
import { describeSentinel, sentinelOptions } from './sentinel-options.js';

export type { RedisClient } from './custom-client.js';

/** What a Redis-backed connection's config says about where Redis is. */
export type RedisConnectionTarget = RedisTargetFields;

/** How long a producer waits for Redis (ms): its commandTimeout and bounded connects. */
export interface ProducerSettings {
  readonly commandTimeout: number;
  /** The connection's name, for the messages of a `createClient` that returns a wrong client. */
  readonly connection: string;
}

/**
 * One server's options from the config: url/host/port..., or the sentinels to ask for the master
 * (username, password, db and tls then apply to the master).
 */
export function serverOptions(config: RedisConnectionTarget): RedisOptions {
  const options = redisOptionsFrom(config);
  if (config.sentinel === undefined) return options;
  return {
    ...options,
    ...sentinelOptions(config.sentinel),
    ...(options.tls === undefined ? {} : { enableTLSForSentinelMode: true }),
  };
}

/**
 * `host:port` of the server, `Redis Cluster (seeds a:1, b:2)`, the Sentinel master's name and
 * sentinels, or `the client of createClient`, for messages (no password).
 */
export function describeTarget(config: RedisConnectionTarget): string {
  if (config.createClient !== undefined) return 'the Redis of its createClient';
  if (config.sentinel !== undefined) return describeSentinel(config.sentinel);
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
 * followed by ioredis; through Sentinel, a demoted master makes the client ask the sentinels
 * again (sentinel-options.ts). Created lazily: the caller connects it. With `createClient`, the
 * user's `'producer'` client (checked, see custom-client.ts).
 */
export function createProducerClient(config: RedisConnectionTarget, settings: ProducerSettings): RedisClient {
  if (config.createClient !== undefined)
    return clientFromFactory(config.createClient, 'producer', settings.connection);
  const node: RedisOptions = {
    ...serverOptions(config),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    // A WAIT for replicas may take its own timeout: the command must not time out first.
    commandTimeout:
      config.waitForReplicas === undefined || config.waitForReplicas === 0
        ? settings.commandTimeout
        : Math.max(settings.commandTimeout, replicaWaitTimeout(config, settings.commandTimeout) + 1000),
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
 * What a BullMQ Worker connects with: options for one server (or its sentinels), or a lazy
 * Cluster, or the user's `createClient('worker')` client, that BullMQ duplicates (a blocking
 * consumer gets its own connections). BullMQ connects a client it is given too and leaves it
 * open on close: the worker disconnects it (drivers/bullmq/close-workers.ts). Blocking reads
 * need `maxRetriesPerRequest: null` (BullMQ refuses a cluster without it; a user's client
 * without it is refused in custom-client.ts).
 */
export function workerConnection(
  config: RedisConnectionTarget,
  connection: string,
): RedisOptions | RedisClient {
  if (config.createClient !== undefined) return clientFromFactory(config.createClient, 'worker', connection);
  const node: RedisOptions = { ...serverOptions(config), maxRetriesPerRequest: null };
  if (config.cluster === undefined) return node;
  const nodes = config.cluster.nodes.map(({ host, port }) => ({ host, port }));
  return new Cluster(nodes, { ...clusterOptions(config, node), lazyConnect: true });
}

/**
 * A client that must be one server (a driver without Cluster support): a Cluster from a
 * `createClient` is refused with `config_invalid`.
 */
export function singleServer(client: RedisClient, connection: string): Redis {
  if (client instanceof Redis) return client;
  client.disconnect();
  throw new HeraldError(
    'config_invalid',
    `The createClient of the queue connection "${connection}" returned a Redis Cluster, which this driver cannot use yet: return a Redis (one server, or one through Sentinel).`,
  );
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
