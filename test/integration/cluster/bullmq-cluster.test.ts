import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, HeraldError, Listener } from '../../../src/index.js';
import type { BullMqConnectionConfig } from '../../../src/queue/connection-config.js';
import { bullmqDescriptor } from '../../../src/queue/drivers/bullmq/bullmq-descriptor.js';
import { type RedisClusterHandle, startRedisCluster } from '../../support/redis-cluster.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { seedsOf } from './cluster-target.js';

const handled: string[] = [];

@Event('cluster.tick')
class Tick {
  constructor(readonly n: number) {}
}

// Six queues; their tags {q0}..{q5} hash to slots on all three masters of an evenly split cluster.
const QUEUES = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5'] as const;
const listeners = QUEUES.map((queue) => {
  @Listener(Tick, { queue, name: `On-${queue}` })
  class OnQueue {
    handle(event: Tick): void {
      handled.push(`${queue}:${event.n}`);
    }
  }
  return OnQueue;
});

let cluster: RedisClusterHandle;
beforeAll(async () => {
  cluster = await startRedisCluster(3);
});
afterAll(() => cluster.stop());

const apps: Herald[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  handled.length = 0;
});

async function app(connection: Omit<BullMqConnectionConfig, 'driver'>): Promise<Herald> {
  const herald = await createHerald({
    listeners,
    queue: { default: 'redis', connections: { redis: { driver: 'bullmq', ...connection } } },
  });
  apps.push(herald);
  return herald;
}

describe('bullmq on a 3-master Redis Cluster', () => {
  it('dispatch through one seed node reaches queues the other nodes own (MOVED followed), and a worker seeded on another node runs every job', async () => {
    const prefix = uniqueQueueName('seed');
    const owners = new Set<string>();
    for (const queue of QUEUES) owners.add((await cluster.ownerOf(await cluster.slotOf(`{${queue}}`))).id);
    const producer = await app({ prefix, cluster: { nodes: seedsOf(cluster).slice(0, 1) } });
    for (let n = 0; n < 20; n++) await producer.dispatch(new Tick(n));
    const worker = await app({ prefix, cluster: { nodes: seedsOf(cluster).slice(1, 2) } });
    await worker.work({ concurrency: 5, queues: [...QUEUES] });
    await waitFor('every job handled', () => handled.length === 20 * QUEUES.length, {
      describe: () => `${handled.length} of 120 handled`,
    });
    expect(new Set(handled).size).toBe(120);
    expect(owners.size).toBe(3);
  });

  it('a prefix without a hash tag spreads the queues of one connection over every shard; a tagged one keeps them on one', async () => {
    const untagged = uniqueQueueName('spread');
    const tagged = `{${uniqueQueueName('one')}}`;
    for (const prefix of [untagged, tagged]) {
      const producer = await app({ prefix, cluster: { nodes: seedsOf(cluster) } });
      await producer.dispatch(new Tick(1));
    }
    const spread = await cluster.keysPerNode(`${untagged}:*`);
    expect(spread.every((keys) => keys > 0)).toBe(true);
    const together = await cluster.keysPerNode(`${tagged}:*`);
    expect(together.filter((keys) => keys > 0)).toHaveLength(1);
  });

  it('queue:clear, queue:restart and pending counts work on the cluster', async () => {
    const prefix = uniqueQueueName('admin');
    const producer = await app({ prefix, cluster: { nodes: seedsOf(cluster) } });
    await producer.dispatch(new Tick(1));
    await producer.dispatch(new Tick(2));
    const admin = bullmqDescriptor.openAdmin?.('redis', {
      driver: 'bullmq',
      prefix,
      cluster: { nodes: seedsOf(cluster) },
    });
    if (admin === undefined) throw new Error('bullmq has an admin');
    try {
      expect((await admin.pending([...QUEUES])).map((row) => row.jobs)).toEqual([2, 2, 2, 2, 2, 2]);
      expect((await admin.clear([...QUEUES])).map((row) => row.jobs)).toEqual([2, 2, 2, 2, 2, 2]);
      const sent = await admin.signalRestart();
      expect(await admin.lastRestart()).toBe(String(sent));
    } finally {
      await admin.close();
    }
  });

  it('a cluster node named as a single server: dispatch and work() fail with queue_unavailable naming the cluster key', async () => {
    const [node] = seedsOf(cluster);
    const url = `redis://${node?.host}:${node?.port}`;
    const producer = await app({ url, prefix: uniqueQueueName('single') });
    const refused = await producer.dispatch(new Tick(1)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(HeraldError.is(refused) && refused.kind).toBe('queue_unavailable');
    expect(String((refused as Error).message)).toContain('cluster: { nodes');
    const worker = await app({ url, prefix: uniqueQueueName('single') });
    const failed = await worker.work({ queues: ['q0'] }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(HeraldError.is(failed) && failed.kind).toBe('queue_unavailable');
  });
});
