import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHerald, Event, type Herald, HeraldError, Listener } from '../../../src/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../../support/redis-cluster.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { seedsOf } from './cluster-target.js';

const handled = new Set<number>();

@Event('cluster.migrating', { stream: 'moving', key: (event: Numbered) => String(event.n) })
class Numbered {
  constructor(readonly n: number) {}
}

@Listener(Numbered, { connection: 'log', name: 'OnMoving', tries: 3, backoff: 10 })
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
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await cluster.stop();
});

it('a partition whose slot moves (IMPORTING/MIGRATING + MIGRATE) while entries are appended and read loses no acknowledged dispatch', async () => {
  const prefix = uniqueQueueName('smig');
  const config = {
    listeners: [OnMoving],
    queue: {
      default: 'log',
      connections: {
        log: { driver: 'streams' as const, prefix, partitions: 2, cluster: { nodes: seedsOf(cluster) } },
      },
    },
  };
  const producer = await createHerald(config);
  const worker = await createHerald(config);
  apps.push(producer, worker);
  await worker.work({ connection: 'log', concurrency: 10 });
  // Partition 0's log, with its group, retry set and attempts hash, moves to another master.
  const slot = await cluster.slotOf(`${prefix}:{moving:0}`);
  const from = await cluster.ownerOf(slot);
  const to = cluster.nodes.find((node) => node.id !== from.id);
  if (to === undefined) throw new Error('a 3-master cluster has another node');

  const acknowledged: number[] = [];
  const rejections: string[] = [];
  let n = 0;
  // Dispatching goes on until 100 dispatches after the move ended, so the two always overlap.
  let stopAt = Number.POSITIVE_INFINITY;
  // Four loops of small batches, so some dispatch starts during the move even on a loaded box.
  const loop = async () => {
    while (n < stopAt) {
      const batch = Array.from({ length: 5 }, () => n++);
      const results = await Promise.allSettled(batch.map((i) => producer.dispatch(new Numbered(i))));
      results.forEach((result, index) => {
        if (result.status === 'fulfilled') acknowledged.push(batch[index] as number);
        else rejections.push(HeraldError.is(result.reason) ? result.reason.kind : String(result.reason));
      });
    }
  };
  const dispatching = Promise.all([loop(), loop(), loop(), loop()]);
  await waitFor('some entries appended before the move', () => n >= 100);
  const beforeMove = n;
  await cluster.moveSlot(slot, to);
  const byMoveEnd = n;
  stopAt = n + 100;
  await dispatching;
  expect(byMoveEnd).toBeGreaterThan(beforeMove);
  expect((await cluster.ownerOf(slot)).id).toBe(to.id);
  await waitFor('every acknowledged dispatch handled', () => acknowledged.every((i) => handled.has(i)), {
    timeoutMs: 15_000,
    describe: () =>
      `${acknowledged.filter((i) => !handled.has(i)).length} acknowledged dispatches not handled; rejections: ${rejections.join(', ')}`,
  });
  // An append during the move may reject, as queue_unavailable only; none vanishes after a success.
  expect(acknowledged.length + rejections.length).toBe(n);
  expect(rejections.filter((kind) => kind !== 'queue_unavailable')).toEqual([]);
});
