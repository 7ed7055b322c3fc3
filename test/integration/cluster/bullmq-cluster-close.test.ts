import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, Listener } from '../../../src/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../../support/redis-cluster.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { seedsOf } from './cluster-target.js';

let handled = 0;

@Event('cluster.close-tick')
class Tick {
  constructor(readonly n: number) {}
}

// Queues on more than one master, so a leak would show on several nodes.
const QUEUES = ['q0', 'q1', 'q2', 'q3'] as const;
const listeners = QUEUES.map((queue) => {
  @Listener(Tick, { queue, name: `Close-${queue}` })
  class OnQueue {
    handle(): void {
      handled++;
    }
  }
  return OnQueue;
});

let cluster: RedisClusterHandle;
let inspectors: Redis[] = [];
beforeAll(async () => {
  cluster = await startRedisCluster(3);
  // One plain connection per node, to read its client list (it counts itself: one each).
  inspectors = seedsOf(cluster).map(({ host, port }) => new Redis({ host, port }));
});
afterAll(async () => {
  for (const inspector of inspectors) inspector.disconnect();
  await cluster.stop();
});

/** Clients connected to each master, this file's inspectors included. */
async function clientsPerNode(): Promise<number[]> {
  return Promise.all(
    inspectors.map(async (inspector) => {
      const list = (await inspector.call('CLIENT', 'LIST')) as string;
      return list.split('\n').filter((line) => line.trim() !== '').length;
    }),
  );
}

describe('bullmq worker on a Redis Cluster', () => {
  it('closing the worker and the app closes every connection they opened on every node (a worker process can exit)', async () => {
    const before = await clientsPerNode();
    const herald = await createHerald({
      listeners,
      queue: {
        default: 'redis',
        connections: {
          redis: { driver: 'bullmq', prefix: uniqueQueueName('close'), cluster: { nodes: seedsOf(cluster) } },
        },
      },
    });
    const worker = await herald.work({ queues: [...QUEUES], concurrency: 2 });
    for (let n = 0; n < 5; n++) await herald.dispatch(new Tick(n));
    await waitFor('every job handled', () => handled === 5 * QUEUES.length);
    const working = await clientsPerNode();
    expect(working.every((clients, node) => clients > (before[node] ?? 0))).toBe(true);

    await worker.close();
    await herald.close();
    // The server drops a client when its socket closes, a moment after disconnect().
    await waitFor(
      'every node back to its clients before the app',
      async () => {
        const after = await clientsPerNode();
        return after.every((clients, node) => clients === before[node]);
      },
      { timeoutMs: 5000, describe: () => `before: ${before.join(' / ')}` },
    );
    expect(await clientsPerNode()).toEqual(before);
  });
});
