import { invalidConnection } from '../driver-descriptor.js';

/** The keys of `cluster.options` a config may set (RedisClusterOptions). */
export const CLUSTER_OPTION_KEYS = [
  'slotsRefreshTimeout',
  'slotsRefreshInterval',
  'maxRedirections',
  'retryDelayOnMoved',
  'retryDelayOnClusterDown',
  'retryDelayOnTryAgain',
  'retryDelayOnFailover',
  'natMap',
] as const;

const SHAPE = 'must be { nodes: [{ host, port }, ...], options? } (any node of the cluster is a valid seed)';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkNode(node: unknown, where: string): void {
  if (!isRecord(node)) invalidConnection(where, 'must be { host, port }');
  const { host, port } = node;
  if (typeof host !== 'string' || host === '')
    invalidConnection(`${where}.host`, 'must be a host name or IP');
  if (!(typeof port === 'number' && Number.isSafeInteger(port) && port > 0 && port < 65536)) {
    invalidConnection(`${where}.port`, 'must be a port number');
  }
  for (const key of Object.keys(node)) {
    if (key !== 'host' && key !== 'port')
      invalidConnection(`${where}.${key}`, 'is not a node key: use host and port');
  }
}

function checkOptions(options: unknown, where: string): void {
  if (!isRecord(options)) invalidConnection(where, 'must be an object of ioredis Cluster settings');
  for (const [key, value] of Object.entries(options)) {
    if (!(CLUSTER_OPTION_KEYS as readonly string[]).includes(key)) {
      invalidConnection(
        `${where}.${key}`,
        `is not a cluster option herald passes on; use one of ${CLUSTER_OPTION_KEYS.join(', ')} (herald sets offline queue, retries and read routing itself)`,
      );
    }
    if (key === 'natMap') {
      if (!isRecord(value)) invalidConnection(`${where}.natMap`, 'must map "host:port" to { host, port }');
      for (const [from, to] of Object.entries(value)) checkNode(to, `${where}.natMap["${from}"]`);
    } else if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
      invalidConnection(`${where}.${key}`, 'must be a whole number of milliseconds (or a count) >= 0');
    }
  }
}

/**
 * Checks a Redis connection's `cluster` key (throws `config_invalid` naming the key and the
 * fix): its shape, and that it does not come with a single server's `url`/`host`/`port`/`db`.
 */
export function validateCluster(connection: Readonly<Record<string, unknown>>, where: string): void {
  const { cluster } = connection;
  if (cluster === undefined) return;
  const key = `${where}.cluster`;
  if (!isRecord(cluster)) invalidConnection(key, SHAPE);
  for (const single of ['url', 'host', 'port'] as const) {
    if (connection[single] !== undefined) {
      invalidConnection(
        key,
        `cannot be combined with "${single}": a cluster connection names its nodes in cluster.nodes. Remove "${single}" (username, password and tls apply to every node)`,
      );
    }
  }
  if (connection.db !== undefined && connection.db !== 0) {
    invalidConnection(`${where}.db`, 'must be left out with cluster: Redis Cluster has only database 0');
  }
  const { nodes, options } = cluster;
  if (!Array.isArray(nodes) || nodes.length === 0) invalidConnection(`${key}.nodes`, SHAPE);
  nodes.forEach((node, index) => {
    checkNode(node, `${key}.nodes[${index}]`);
  });
  if (options !== undefined) checkOptions(options, `${key}.options`);
  for (const extra of Object.keys(cluster)) {
    if (extra !== 'nodes' && extra !== 'options')
      invalidConnection(`${key}.${extra}`, `is not a cluster key: ${SHAPE}`);
  }
}
