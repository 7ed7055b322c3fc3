import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, Redis } from 'ioredis';
import { type RedisServerHandle, startRedisServer } from './redis-server.js';

const SLOTS = 16384;
const READY_TIMEOUT_MS = 15_000;

/** One master of a private test cluster. */
export interface ClusterNode {
  readonly host: string;
  readonly port: number;
  /** The node's cluster id (CLUSTER MYID). */
  readonly id: string;
}

/** A running private Redis Cluster (masters only) and the controls tests need. */
export interface RedisClusterHandle {
  /** The masters, in start order; any of them is a valid seed. */
  readonly nodes: readonly ClusterNode[];
  /** The node serving a hash slot now. */
  ownerOf(slot: number): Promise<ClusterNode>;
  /** The hash slot of a key (CLUSTER KEYSLOT). */
  slotOf(key: string): Promise<number>;
  /** Keys matching `pattern` on each node, in the order of {@link nodes}. */
  keysPerNode(pattern: string): Promise<number[]>;
  /** Moves a slot, with its keys, to `target` (see {@link moveSlot}). */
  moveSlot(slot: number, target: ClusterNode): Promise<void>;
  /** Stops every node and deletes their dirs. Idempotent. */
  stop(): Promise<void>;
}

/** A one-off connection to a node (no cluster redirects: the caller asks the node it means). */
async function withNode<T>(
  node: { host: string; port: number },
  use: (redis: Redis) => Promise<T>,
): Promise<T> {
  const redis = new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/** Waits until every node says `cluster_state:ok` (it knows an owner for every slot). */
async function waitForClusterOk(servers: readonly RedisServerHandle[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const states = await Promise.all(
      servers.map((server) => withNode(server, (redis) => redis.cluster('INFO')).catch(String)),
    );
    last = states.map((info) => /cluster_state:\w+/.exec(info)?.[0] ?? info).join(', ');
    if (states.every((info) => info.includes('cluster_state:ok'))) return;
    await sleep(50);
  }
  throw new Error(`The test cluster did not reach cluster_state:ok within ${READY_TIMEOUT_MS} ms: ${last}`);
}

/**
 * What `redis-cli --cluster create --cluster-replicas 0` does, without its one-second polls
 * (a start took 3 s through it, under 1 s like this): even slot ranges on each node
 * (ADDSLOTSRANGE), then every node MEETs the first; gossip spreads the rest.
 */
async function joinCluster(servers: readonly RedisServerHandle[]): Promise<void> {
  const per = Math.ceil(SLOTS / servers.length);
  await Promise.all(
    servers.map((server, index) =>
      withNode(server, async (redis) => {
        const from = index * per;
        const to = Math.min(SLOTS, from + per) - 1;
        await redis.call('CLUSTER', 'ADDSLOTSRANGE', String(from), String(to));
        const first = servers[0] as RedisServerHandle;
        if (index > 0) await redis.call('CLUSTER', 'MEET', first.host, String(first.port));
      }),
    ),
  );
}

/**
 * Moves a hash slot from its owner to `target` as `redis-cli --cluster reshard` does:
 * IMPORTING on the target, MIGRATING on the source, MIGRATE the keys in batches, then SETSLOT
 * NODE on every master. While it runs, clients see ASK redirects; after it, MOVED.
 */
export async function moveSlot(
  nodes: readonly ClusterNode[],
  slot: number,
  source: ClusterNode,
  target: ClusterNode,
): Promise<void> {
  if (source.id === target.id) return;
  await withNode(target, (redis) => redis.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', source.id));
  await withNode(source, async (redis) => {
    await redis.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', target.id);
    for (;;) {
      const keys = (await redis.call('CLUSTER', 'GETKEYSINSLOT', String(slot), '100')) as string[];
      if (keys.length === 0) break;
      await redis.call('MIGRATE', target.host, String(target.port), '', '0', '5000', 'KEYS', ...keys);
    }
  });
  // The target first, so it owns the slot before the source starts answering MOVED.
  for (const node of [target, source, ...nodes.filter((n) => n.id !== source.id && n.id !== target.id)]) {
    await withNode(node, (redis) => redis.call('CLUSTER', 'SETSLOT', String(slot), 'NODE', target.id));
  }
}

/**
 * Starts a private Redis Cluster of `masters` masters (no replicas) from `redis-server` on free
 * 127.0.0.1 ports, each with its own temp dir and nodes.conf, joined as
 * `redis-cli --cluster create` would, and waits for `cluster_state:ok` on every node.
 *
 * @example
 * const cluster = await startRedisCluster();
 * const connection = { driver: 'bullmq', cluster: { nodes: cluster.nodes.map(({ host, port }) => ({ host, port })) } };
 * await cluster.stop();
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const servers: RedisServerHandle[] = [];
  const stopAll = () => Promise.allSettled(servers.map((server) => server.stop())).then(() => {});
  try {
    const started = await Promise.all(
      Array.from({ length: masters }, () =>
        startRedisServer({
          // nodes.conf lands in the server's own dir (redis-server chdirs to --dir).
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '2000',
          ],
        }),
      ),
    );
    servers.push(...started);
    await joinCluster(servers);
    await waitForClusterOk(servers);
  } catch (error) {
    await stopAll();
    throw error;
  }
  const nodes = await Promise.all(
    servers.map(async (server) => ({
      host: server.host,
      port: server.port,
      id: await withNode(server, (redis) => redis.call('CLUSTER', 'MYID') as Promise<string>),
    })),
  );
  const first = nodes[0] as ClusterNode;
  const ownerOf = async (slot: number): Promise<ClusterNode> => {
    const ranges = await withNode(first, (redis) => redis.cluster('SLOTS'));
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    const owner = nodes.find((node) => node.port === range?.[2]?.[1]);
    if (owner === undefined) throw new Error(`No node of the test cluster owns slot ${slot}`);
    return owner;
  };
  let stopping: Promise<void> | undefined;
  return {
    nodes,
    ownerOf,
    slotOf: (key) => withNode(first, (redis) => redis.cluster('KEYSLOT', key)),
    keysPerNode: (pattern) =>
      Promise.all(nodes.map((node) => withNode(node, async (redis) => (await redis.keys(pattern)).length))),
    async moveSlot(slot, target) {
      await moveSlot(nodes, slot, await ownerOf(slot), target);
    },
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}

/** An ioredis Cluster on the test cluster, for inspecting from tests (close it after). */
export function clusterClient(cluster: RedisClusterHandle): Cluster {
  return new Cluster(cluster.nodes.map(({ host, port }) => ({ host, port })));
}
