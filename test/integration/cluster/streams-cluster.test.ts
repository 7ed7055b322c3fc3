import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  HeraldError,
  Listener,
  type ListenerContext,
} from '../../../src/index.js';
import type { StreamsConnectionConfig } from '../../../src/queue/connection-config.js';
import { StreamsAdmin } from '../../../src/queue/drivers/streams/streams-admin.js';
import { StreamsDriver } from '../../../src/queue/drivers/streams/streams-driver.js';
import { type RedisClusterHandle, startRedisCluster } from '../../support/redis-cluster.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { seedsOf } from './cluster-target.js';

const PARTITIONS = 6;
const handled: { listener: string; key: string; n: number; attempt: number }[] = [];

@Event('cluster.order', { stream: 'orders', key: (event: Order) => event.key })
class Order {
  constructor(
    readonly key: string,
    readonly n: number,
  ) {}
}

@Listener(Order, { connection: 'log', name: 'InOrder', ordered: true, startFrom: 'start' })
class InOrder {
  async handle(event: Order, ctx: ListenerContext): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    handled.push({ listener: 'InOrder', key: event.key, n: event.n, attempt: ctx.attempt });
  }
}

@Listener(Order, { connection: 'log', name: 'Flaky', startFrom: 'start', tries: 2, backoff: 10 })
class Flaky {
  handle(event: Order, ctx: ListenerContext): void {
    handled.push({ listener: 'Flaky', key: event.key, n: event.n, attempt: ctx.attempt });
    // Every third order fails for good: dead-lettered on its partition after its second try.
    if (event.n % 3 === 0 || ctx.attempt === 1) throw new Error(`flaky ${event.n}`);
  }
}

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

function connection(prefix: string): StreamsConnectionConfig {
  return { driver: 'streams', prefix, partitions: PARTITIONS, cluster: { nodes: seedsOf(cluster) } };
}

async function app(prefix: string): Promise<Herald> {
  const herald = await createHerald({
    listeners: [InOrder, Flaky],
    queue: {
      default: 'log',
      connections: {
        log: connection(prefix),
      },
    },
  });
  apps.push(herald);
  return herald;
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

describe('streams on a 3-master Redis Cluster', () => {
  it('partitions spread over every shard; a prefix with a hash tag keeps them on one', async () => {
    const untagged = uniqueQueueName('spread');
    const tagged = `{${uniqueQueueName('one')}}`;
    for (const prefix of [untagged, tagged]) {
      const producer = await app(prefix);
      for (const key of KEYS) await producer.dispatch(new Order(key, 1));
    }
    const spread = await cluster.keysPerNode(`${untagged}:*`);
    expect(spread.every((keys) => keys > 0)).toBe(true);
    const together = await cluster.keysPerNode(`${tagged}:*`);
    expect(together.filter((keys) => keys > 0)).toHaveLength(1);
  });

  it('ordered listeners run each key in order, and retries and dead letters stay in their partition', async () => {
    const prefix = uniqueQueueName('order');
    const producer = await app(prefix);
    const worker = await app(prefix);
    await worker.work({ concurrency: 4 });
    for (let n = 1; n <= 12; n++) await Promise.all(KEYS.map((key) => producer.dispatch(new Order(key, n))));
    const done = () => handled.filter((each) => each.listener === 'InOrder').length;
    const flakyDone = () => handled.filter((each) => each.listener === 'Flaky' && each.attempt === 2).length;
    await waitFor(
      'every order handled and every flaky entry tried twice',
      () => done() === 96 && flakyDone() === 96,
      {
        describe: () => `${done()} ordered, ${flakyDone()} second tries`,
      },
    );
    for (const key of KEYS) {
      const seen = handled
        .filter((each) => each.listener === 'InOrder' && each.key === key)
        .map((each) => each.n);
      expect(seen).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
    }
    const admin = new StreamsAdmin(new StreamsDriver('log', connection(prefix)));
    try {
      await waitFor(
        'dead letters filed',
        async () => (await admin.deadLetters({ name: 'Flaky', streams: ['orders'] })).length === 32,
      );
      const letters = await admin.deadLetters({ name: 'Flaky', streams: ['orders'] });
      expect(letters.every((letter) => letter.attempts === 2)).toBe(true);
      const dead = await cluster.keysPerNode(`${prefix}:{orders:*}:dead:Flaky`);
      expect(dead.filter((keys) => keys > 0).length).toBeGreaterThan(1);
    } finally {
      await admin.close();
    }
  });

  it('a worker configured with one node of the cluster as a single server fails at start with queue_unavailable naming the fix', async () => {
    const [node] = seedsOf(cluster);
    const herald = await createHerald({
      listeners: [InOrder, Flaky],
      queue: {
        default: 'log',
        connections: {
          log: {
            driver: 'streams',
            url: `redis://${node?.host}:${node?.port}`,
            prefix: uniqueQueueName('node'),
          },
        },
      },
    });
    apps.push(herald);
    const error = await herald.work({ connection: 'log' }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(HeraldError.is(error) && error.kind).toBe('queue_unavailable');
    expect(String(error)).toContain('cluster: { nodes:');
  });
});
