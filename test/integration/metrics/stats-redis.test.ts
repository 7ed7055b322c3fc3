import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, type Herald, type ListenerStats } from '../../../src/index.js';
import { type RedisServerHandle, startRedisServer } from '../../support/redis-server.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { RunLoggedTask, RunTask, TASKS, Task } from './metrics-listeners.js';

/**
 * Metrics on Redis: two workers record per-listener counts, `herald.stats()` read from a third
 * app merges them, with percentiles inside the right bucket and the queue's backlog.
 */
describe.each([
  { driver: 'bullmq' as const, listener: RunTask },
  { driver: 'streams' as const, listener: RunLoggedTask },
])('herald.stats() on $driver', ({ driver, listener }) => {
  let redis: RedisServerHandle;
  const apps: Herald[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => redis.stop());
  afterEach(async () => {
    await Promise.allSettled(apps.splice(0).map((app) => app.close()));
  });

  async function app(prefix: string): Promise<Herald> {
    const connection = driver === 'bullmq' ? 'redis' : 'log';
    const herald = await createHerald({
      listeners: [listener],
      queue: {
        default: connection,
        connections: { [connection]: { driver, url: redis.url, prefix } },
      },
    });
    apps.push(herald);
    return herald;
  }

  it('two workers: processed, failed, released and failure rate add up; p50 runtime within its bucket', async () => {
    const prefix = uniqueQueueName('metrics');
    const producer = await app(prefix);
    let last: unknown;
    const own = async (): Promise<ListenerStats | undefined> => {
      const all = await producer.stats({ since: 5 * 60_000 });
      last = all;
      return all.listeners.find((each) => each.listener === listener.name);
    };
    // One worker after the other, each with half the tasks: both must have recorded.
    for (const [from, to] of [
      [0, 12],
      [12, TASKS.length],
    ] as const) {
      const worker = await (await app(prefix)).work({ concurrency: 2 });
      for (let n = from; n < to; n++) await producer.dispatch(new Task(n, TASKS[n] ?? 'ok'));
      await waitFor('the worker to finish its half', () => worker.processed === to - from, {
        timeoutMs: 15_000,
      });
      if (from === 0) expect((await producer.stats()).workers.length).toBeGreaterThanOrEqual(1);
      await worker.close();
    }
    await waitFor(
      'every task recorded',
      async () => {
        const stats = await own();
        return stats !== undefined && stats.processed + stats.failed === TASKS.length;
      },
      { timeoutMs: 8_000, intervalMs: 200, describe: () => JSON.stringify(last) },
    );
    const stats = (await own()) as ListenerStats;
    expect(stats).toMatchObject({ processed: 23, failed: 2, released: 5, waiting: 0, failedTotal: 2 });
    expect(stats.failureRate).toBeCloseTo(2 / 25);
    // Every attempt sleeps 20 ms: the median lands at or above the 15-20 ms bucket, far below 1 s.
    expect(stats.runtime.p50).toBeGreaterThanOrEqual(15);
    expect(stats.runtime.p99).toBeLessThan(1000);
    expect(stats.wait.p50).not.toBeNull();
    expect(stats.oldestWaitingMs).toBeNull();
  });

  it('waiting jobs with no worker: counted, with the age of the oldest', async () => {
    const prefix = uniqueQueueName('metrics-wait');
    const producer = await app(prefix);
    if (driver === 'streams') await (await app(prefix)).work().then((worker) => worker.close());
    await producer.dispatch(new Task(1, 'ok'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await producer.dispatch(new Task(2, 'ok'));
    const [stats] = (await producer.stats()).listeners;
    expect(stats).toMatchObject({ listener: listener.name, waiting: 2, processed: 0 });
    expect(stats?.oldestWaitingMs).toBeGreaterThanOrEqual(50);
  });
});
