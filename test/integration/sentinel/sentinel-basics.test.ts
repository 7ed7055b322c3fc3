import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, HeraldError, Listener } from '../../../src/index.js';
import type { ConnectionConfig } from '../../../src/queue/connection-config.js';
import { type RedisSentinelHandle, startRedisSentinel, withRedis } from '../../support/redis-sentinel.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';

const handled: string[] = [];

@Event('sentinel.ping')
class Ping {
  constructor(readonly n: number) {}
}

@Listener(Ping, { connection: 'redis', name: 'OnPingQueue' })
class OnPingQueue {
  handle(event: Ping): void {
    handled.push(`queue:${event.n}`);
  }
}

@Listener(Ping, { connection: 'log', name: 'OnPingLog', startFrom: 'start' })
class OnPingLog {
  handle(event: Ping): void {
    handled.push(`log:${event.n}`);
  }
}

let setup: RedisSentinelHandle;
beforeAll(async () => {
  setup = await startRedisSentinel();
}, 60_000);
afterAll(() => setup.stop());

const apps: Herald[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  handled.length = 0;
});

function sentinelOf() {
  return { sentinels: [...setup.sentinels], name: setup.name };
}

async function app(redis: Record<string, unknown>, log: Record<string, unknown> = redis): Promise<Herald> {
  const prefix = uniqueQueueName('sen');
  const herald = await createHerald({
    listeners: [OnPingQueue, OnPingLog],
    queue: {
      default: 'redis',
      connections: {
        redis: { driver: 'bullmq', prefix, ...redis } as ConnectionConfig,
        log: { driver: 'streams', prefix, ...log } as ConnectionConfig,
      },
    },
  });
  apps.push(herald);
  return herald;
}

describe('bullmq and streams through Redis Sentinel', () => {
  it('dispatches and runs jobs and stream entries on the master the sentinels name', async () => {
    const herald = await app({ sentinel: sentinelOf() });
    for (let n = 0; n < 10; n++) await herald.dispatch(new Ping(n));
    await herald.work({ connection: 'redis', concurrency: 2 });
    await herald.work({ connection: 'log' });
    await waitFor('20 handled', () => handled.length === 20, { describe: () => handled.join(',') });
    expect(handled.filter((h) => h.startsWith('queue:')).length).toBe(10);
    expect(handled.filter((h) => h.startsWith('log:')).length).toBe(10);
  });

  it('waitForReplicas: 1 resolves while the replica is in sync', async () => {
    const herald = await app({ sentinel: sentinelOf(), waitForReplicas: 1, waitForReplicasTimeout: 2000 });
    await expect(herald.dispatch(new Ping(1))).resolves.toBeUndefined();
  });

  it('createClient: the producer and worker clients it returns are used; a bad one is refused clearly', async () => {
    const master = await setup.master();
    const roles: string[] = [];
    const createClient = (role: 'producer' | 'worker') => {
      roles.push(role);
      return new Redis({
        ...master,
        lazyConnect: true,
        ...(role === 'worker'
          ? { maxRetriesPerRequest: null }
          : { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 }),
      });
    };
    const herald = await app({ createClient });
    for (let n = 0; n < 5; n++) await herald.dispatch(new Ping(n));
    await herald.work({ connection: 'redis' });
    await herald.work({ connection: 'log' });
    await waitFor('10 handled', () => handled.length === 10, { describe: () => handled.join(',') });
    expect(new Set(roles)).toEqual(new Set(['producer', 'worker']));

    const noNull = await app({ createClient: () => new Redis({ ...master, lazyConnect: true }) });
    const refused = await noNull.work({ connection: 'redis' }).catch((error: unknown) => error);
    expect(HeraldError.is(refused, 'config_invalid')).toBe(true);
    expect((refused as Error).message).toContain('maxRetriesPerRequest: null');

    const notAClient = await app({ createClient: () => ({ host: master.host }) });
    const error = await notAClient.dispatch(new Ping(1)).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toContain("createClient('producer')");
    expect((error as Error).message).toContain('not an ioredis client');
  });

  it('waitForReplicas with no replica left: dispatch rejects queue_unavailable saying 0 of 1 acknowledged and that the job may exist', async () => {
    const waiting = { sentinel: sentinelOf(), waitForReplicas: 1, waitForReplicasTimeout: 300 };
    // One app waits on the bullmq connection only, the other on the streams connection only.
    const pair = [
      await app(waiting, { sentinel: sentinelOf() }),
      await app({ sentinel: sentinelOf() }, waiting),
    ];
    await setup.stopReplica();
    for (const [index, herald] of pair.entries()) {
      const error = await herald.dispatch(new Ping(index)).catch((caught: unknown) => caught);
      expect(HeraldError.is(error, 'queue_unavailable')).toBe(true);
      expect((error as Error).message).toContain(index === 0 ? 'The job was stored' : 'The entry was stored');
      expect((error as Error).message).toContain('only 0 of 1 replica(s) acknowledged');
      expect((error as Error).message).toContain('may still exist');
    }
    // The job was stored on the master all the same: a worker runs it.
    const keys = await withRedis(await setup.master(), (redis) => redis.keys('*sen*'));
    expect(keys.length).toBeGreaterThan(0);
  });
});
