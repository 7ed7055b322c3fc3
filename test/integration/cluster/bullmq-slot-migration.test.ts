import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener } from '../../../src/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../../support/redis-cluster.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { seedsOf } from './cluster-target.js';

const handled = new Set<number>();

@Event('cluster.migrating')
class Numbered {
  constructor(readonly n: number) {}
}

@Listener(Numbered, { queue: 'moving', name: 'OnMoving' })
class OnMoving {
  handle(event: Numbered): void {
    handled.add(event.n);
  }
}

let cluster: RedisClusterHandle;
const apps: Herald[] = [];
beforeAll(async () => {
  cluster = await startRedisCluster(3);
});
// Closing is not what this file tests: a close still waiting after 15 s (seen once in CI,
// not reproduced in 34 local runs, even with the CPUs saturated) is named on stderr, then the
// servers are stopped under it so its QUITs settle, instead of the hook timing out unexplained.
afterAll(async () => {
  const closing = apps.map((app) => app.close());
  const settled = await Promise.race([
    Promise.allSettled(closing).then(() => true),
    sleep(15_000).then(() => false),
  ]);
  if (!settled)
    console.warn('herald.close() on the cluster was still waiting after 15 s; stopping the servers');
  await cluster.stop();
  await Promise.race([Promise.allSettled(closing), sleep(15_000)]);
}, 45_000);

it('a slot moved (MIGRATING/IMPORTING + MIGRATE) while jobs are dispatched and run loses no acknowledged job', async () => {
  const config = {
    listeners: [OnMoving],
    queue: {
      default: 'redis',
      connections: {
        redis: {
          driver: 'bullmq' as const,
          prefix: uniqueQueueName('mig'),
          cluster: { nodes: seedsOf(cluster) },
        },
      },
    },
  };
  const producer = await createHerald(config);
  const worker = await createHerald(config);
  apps.push(producer, worker);
  await worker.work({ concurrency: 10, queues: ['moving'] });
  const slot = await cluster.slotOf('{moving}');
  const from = await cluster.ownerOf(slot);
  const to = cluster.nodes.find((node) => node.id !== from.id);
  if (to === undefined) throw new Error('a 3-master cluster has another node');

  const acknowledged: number[] = [];
  let rejected = 0;
  let n = 0;
  // Dispatching goes on until 100 jobs after the move ended, so the two always overlap.
  let stopAt = Number.POSITIVE_INFINITY;
  const dispatching = (async () => {
    while (n < stopAt) {
      const batch = Array.from({ length: 20 }, () => n++);
      const results = await Promise.allSettled(batch.map((i) => producer.dispatch(new Numbered(i))));
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') acknowledged.push(batch[index] as number);
        else rejected++;
      });
    }
  })();
  await waitFor('some jobs dispatched before the move', () => n >= 100);
  const dispatchedBeforeMove = n;
  await cluster.moveSlot(slot, to);
  const dispatchedByMoveEnd = n;
  stopAt = n + 100;
  await dispatching;
  // Jobs were dispatched while the slot moved (measured here: 100 -> 340).
  expect(dispatchedByMoveEnd).toBeGreaterThan(dispatchedBeforeMove);

  // The node asked may learn the new owner a moment after SETSLOT NODE (cluster gossip).
  await waitFor(
    'the slot to be owned by its target',
    async () => (await cluster.ownerOf(slot)).id === to.id,
    {
      timeoutMs: 30_000,
    },
  );
  await waitFor('every acknowledged job handled', () => acknowledged.every((i) => handled.has(i)), {
    timeoutMs: 15_000,
    describe: () =>
      `${acknowledged.filter((i) => !handled.has(i)).length} acknowledged jobs not handled; ${rejected} rejected`,
  });
  // Dispatches during the move may reject (queue_unavailable), never vanish after a success.
  expect(acknowledged.length + rejected).toBe(n);
}, 60_000);
