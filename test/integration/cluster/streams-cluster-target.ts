import { Cluster, Redis } from 'ioredis';
import type { StreamsHarnessTarget } from '../../conformance/streams-harness.js';
import type { RedisClusterHandle } from '../../support/redis-cluster.js';
import { seedsOf } from './cluster-target.js';

/** SCANs one node for a pattern (a cluster's keys are spread over its nodes). */
async function scanNode(node: { host: string; port: number }, pattern: string): Promise<string[]> {
  const redis = new Redis({ host: node.host, port: node.port, lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on('error', () => {});
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    return keys;
  } finally {
    redis.disconnect();
  }
}

/**
 * A streams harness target on a running test cluster: the connection names every master as a
 * seed, keys are read back through one ioredis Cluster and listed by SCAN on every master.
 */
export function streamsClusterTarget(cluster: () => RedisClusterHandle): () => StreamsHarnessTarget {
  return () => {
    const nodes = seedsOf(cluster());
    return {
      fields: { cluster: { nodes } },
      client: new Cluster(nodes, { lazyConnect: true }),
      keysOf: async (pattern) =>
        (await Promise.all(cluster().nodes.map((node) => scanNode(node, pattern)))).flat(),
    };
  };
}
