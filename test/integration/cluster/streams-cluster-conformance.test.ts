import { afterAll, beforeAll } from 'vitest';
import { describeQueueConformance } from '../../conformance/queue-conformance.js';
import { streamsHarness } from '../../conformance/streams-harness.js';
import { type RedisClusterHandle, startRedisCluster } from '../../support/redis-cluster.js';
import { streamsClusterTarget } from './streams-cluster-target.js';

// The streams conformance suite on a private 3-master cluster: the harness prefix has no hash
// tag, so every partition stream gets its own slot (stream-keys.ts). Skips as in
// test/conformance/streams.test.ts, for the same reasons (a log is not a queue).
let cluster: RedisClusterHandle | undefined;
beforeAll(async () => {
  cluster = await startRedisCluster(3);
});
afterAll(async () => {
  await cluster?.stop();
});

const target = streamsClusterTarget(() => {
  if (cluster === undefined) throw new Error('the test cluster did not start');
  return cluster;
});

describeQueueConformance(
  'streams',
  () => streamsHarness(target),
  {},
  {
    'dispatch-time':
      'one entry shared by every listener of the stream (see test/conformance/streams.test.ts)',
    scheduling: 'a log is read in order: no delay, priority or unique',
    'failed-jobs': 'out-of-attempt entries go to the dead-letter streams, not a failed-job store',
    queues: 'a log has streams, not queues',
  },
);
