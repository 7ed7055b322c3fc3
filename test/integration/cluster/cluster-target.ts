import { Cluster } from 'ioredis';
import { bullmqPrefixOf } from '../../../src/queue/drivers/bullmq/bullmq-keys.js';
import type { BullMqHarnessTarget } from '../../conformance/bullmq-harness.js';
import type { RedisClusterHandle } from '../../support/redis-cluster.js';

/** The seed nodes of a test cluster, as the `cluster.nodes` config key takes them. */
export function seedsOf(cluster: RedisClusterHandle): { host: string; port: number }[] {
  return cluster.nodes.map(({ host, port }) => ({ host, port }));
}

/**
 * A bullmq harness target on a running test cluster: the connection names every master as a
 * seed, and tests read queues back through one ioredis Cluster (BullMQ duplicates it per queue).
 */
export function clusterTarget(cluster: () => RedisClusterHandle): () => BullMqHarnessTarget {
  return () => {
    const nodes = seedsOf(cluster());
    const client = new Cluster(nodes, { lazyConnect: true });
    return {
      fields: { cluster: { nodes } },
      inspectorConnection: () => client,
      prefixOf: (prefix, queue) => bullmqPrefixOf(prefix, queue, true),
      close: async () => {
        client.disconnect();
      },
    };
  };
}
