import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener, type ListenerContext } from '../../../src/index.js';
import { type RedisClusterHandle, startRedisCluster } from '../../support/redis-cluster.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { createTempProject, type TempProject } from '../../support/temp-project.js';
import { waitFor } from '../../support/wait-for.js';
import { seedsOf } from './cluster-target.js';

/**
 * `stream:list`, `stream:dead`, `stream:retry-dead` and `stream:replay` (the real binary, as in
 * test/cli/stream-commands.test.ts) on a streams connection to a 3-master cluster whose four
 * partitions spread over the shards; entries are appended and handled by an app in this process.
 */

const LISTENERS = `
import { Event, Listener } from 'herald';

@Event('orders.placed', { stream: 'orders', key: (e: OrderPlaced) => e.orderId })
export class OrderPlaced { constructor(readonly orderId: string) {} }

@Listener(OrderPlaced, { connection: 'log', name: 'Revenue', startFrom: 'start' })
export class Revenue { handle(): void {} }

@Listener(OrderPlaced, { connection: 'log', name: 'Mailer', startFrom: 'start', tries: 1 })
export class Mailer { handle(): void {} }
`;

const CONFIG = `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: {
    default: 'log',
    connections: {
      log: {
        driver: 'streams',
        cluster: { nodes: JSON.parse(process.env.TEST_CLUSTER_NODES ?? '[]') },
        prefix: process.env.TEST_PREFIX,
        partitions: 4,
        unavailableTimeout: 3000,
      },
    },
  },
});
`;

const handled: { listener: string; orderId: string }[] = [];
let mailerDown = true;

@Event('orders.placed', { stream: 'orders', key: (e: OrderPlaced) => e.orderId })
class OrderPlaced {
  constructor(readonly orderId: string) {}
}

@Listener(OrderPlaced, { connection: 'log', name: 'Revenue', startFrom: 'start' })
class Revenue {
  handle(event: OrderPlaced): void {
    handled.push({ listener: 'Revenue', orderId: event.orderId });
  }
}

@Listener(OrderPlaced, { connection: 'log', name: 'Mailer', startFrom: 'start', tries: 1 })
class Mailer {
  handle(event: OrderPlaced, _ctx: ListenerContext): void {
    handled.push({ listener: 'Mailer', orderId: event.orderId });
    if (mailerDown) throw new Error(`mail server down for ${event.orderId}`);
  }
}

interface ListJson {
  streams: { stream: string; partition: number; length: number; groups: { group: string; dead: number }[] }[];
}

const ORDERS = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8'];

describe('herald stream:* on a 3-master Redis Cluster (real binary)', () => {
  let cluster: RedisClusterHandle;
  let project: TempProject;
  const apps: Herald[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    project = createTempProject('herald-stream-cluster');
    project.write('src/listeners/orders.ts', LISTENERS);
    project.write('herald.config.ts', CONFIG);
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await cluster?.stop();
    project?.remove();
  });

  const of = (listener: string) => handled.filter((each) => each.listener === listener);

  it('stream:list, stream:dead and stream:retry-dead read and write every shard; stream:replay moves the group on every partition', async () => {
    const prefix = uniqueQueueName('clustercli');
    const app = await createHerald({
      listeners: [Revenue, Mailer],
      queue: {
        connections: {
          log: { driver: 'streams', prefix, partitions: 4, cluster: { nodes: seedsOf(cluster) } },
        },
      },
    });
    apps.push(app);
    const env = { TEST_CLUSTER_NODES: JSON.stringify(seedsOf(cluster)), TEST_PREFIX: prefix };
    const herald = (args: readonly string[]) => project.herald(args, { env, timeoutMs: 30_000 });
    const workUntil = async (what: string, done: () => boolean) => {
      const worker = await app.work({ connection: 'log' });
      try {
        await waitFor(what, done, { describe: () => JSON.stringify(handled) });
      } finally {
        await worker.close();
      }
    };

    for (const id of ORDERS) await app.dispatch(new OrderPlaced(id));
    await workUntil(
      'both listeners to take every order',
      () => of('Revenue').length === 8 && of('Mailer').length === 8,
    );
    const spread = await cluster.keysPerNode(`${prefix}:{orders:*}`);
    expect(spread.filter((keys) => keys > 0).length).toBeGreaterThan(1);

    const list = await herald(['stream:list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const [report] = JSON.parse(list.stdout) as ListJson[];
    expect(report?.streams.map((each) => each.partition)).toEqual([0, 1, 2, 3]);
    expect(report?.streams.reduce((sum, each) => sum + each.length, 0)).toBe(8);
    const mailer = report?.streams[0]?.groups.find((each) => each.group === 'Mailer');
    expect(mailer?.dead).toBe(8);

    const dead = await herald(['stream:dead', 'Mailer', '--json']);
    expect(dead.code, dead.stderr).toBe(0);
    expect(JSON.parse(dead.stdout)).toHaveLength(8);

    mailerDown = false;
    handled.length = 0;
    const retried = await herald(['stream:retry-dead', 'Mailer', 'all']);
    expect(retried.code, retried.stderr).toBe(0);
    await workUntil('Mailer to run the dead entries again', () => of('Mailer').length === 8);
    expect(of('Revenue')).toEqual([]);

    handled.length = 0;
    const replay = await herald(['stream:replay', 'Revenue', '--from', 'start']);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toContain('4 partitions');
    await workUntil('Revenue to handle every order again', () => of('Revenue').length === 8);
    expect(
      of('Revenue')
        .map((each) => each.orderId)
        .sort(),
    ).toEqual(ORDERS);
    expect(of('Mailer')).toEqual([]);
  });
});
