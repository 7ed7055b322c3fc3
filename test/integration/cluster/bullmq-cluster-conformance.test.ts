import { afterAll, beforeAll } from 'vitest';
import { bullmqHarness } from '../../conformance/bullmq-harness.js';
import { describeQueueConformance } from '../../conformance/queue-conformance.js';
import { type RedisClusterHandle, startRedisCluster } from '../../support/redis-cluster.js';
import { clusterTarget } from './cluster-target.js';

// The whole bullmq conformance suite on a private 3-master cluster: the harness prefix has no
// hash tag, so every queue of a test gets its own slot and the queues spread over the shards.
let cluster: RedisClusterHandle | undefined;
beforeAll(async () => {
  cluster = await startRedisCluster(3);
});
afterAll(async () => {
  await cluster?.stop();
});

describeQueueConformance('bullmq', () =>
  bullmqHarness(
    clusterTarget(() => {
      if (cluster === undefined) throw new Error('the test cluster did not start');
      return cluster;
    }),
  ),
);
