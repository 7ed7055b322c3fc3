import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type RedisServerHandle, startRedisServer } from '../support/redis-server.js';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';

describe('test Redis setup', () => {
  let queue: Queue | undefined;
  let worker: Worker | undefined;
  let events: QueueEvents | undefined;

  afterEach(async () => {
    // Workers first: obliterate refuses while a worker still holds an active job's lock.
    await worker?.close();
    await events?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    queue = worker = events = undefined;
  });

  it('a job added to a unique queue is processed by a Worker and its return value comes back', async () => {
    const url = testRedisUrl();
    const name = uniqueQueueName('roundtrip');
    // Workers block on Redis; without maxRetriesPerRequest: null BullMQ throws and the process hangs.
    const connection = { url, maxRetriesPerRequest: null };

    queue = new Queue(name, { connection });
    events = new QueueEvents(name, { connection });
    worker = new Worker(name, async (job: Job<{ a: number; b: number }>) => job.data.a + job.data.b, {
      connection,
    });
    await Promise.all([events.waitUntilReady(), worker.waitUntilReady()]);

    const job = await queue.add('sum', { a: 2, b: 3 });
    const result: unknown = await job.waitUntilFinished(events, 10_000);

    expect(result).toBe(5);
    expect(await job.getState()).toBe('completed');
  });

  it('does not use the developer Redis on 6379 unless HERALD_TEST_REDIS_URL says so', () => {
    if (process.env.HERALD_TEST_REDIS_URL) return;
    expect(new URL(testRedisUrl()).port).not.toBe('6379');
  });
});

describe('startRedisServer()', () => {
  let server: RedisServerHandle | undefined;
  let client: Redis | undefined;

  afterEach(async () => {
    client?.disconnect();
    await server?.stop();
    client = server = undefined;
  });

  it('keeps acknowledged writes across restart() and kill() + restart() with appendonly', async () => {
    server = await startRedisServer({ appendonly: true });
    // Fault tests need the client to ride out the outage, so it keeps retrying with a short delay.
    client = new Redis(server.url, { retryStrategy: () => 50 });

    await client.set('herald:survivor', 'graceful');
    await server.restart();
    expect(await client.get('herald:survivor')).toBe('graceful');

    // appendfsync always: a write acknowledged before SIGKILL is on disk.
    await client.set('herald:survivor', 'crash');
    await server.kill();
    await server.restart();
    expect(await client.get('herald:survivor')).toBe('crash');
    expect(new URL(server.url).port).toBe(String(server.port));
  });

  it('stop() is idempotent and the server is gone afterwards', async () => {
    server = await startRedisServer();
    const { port } = server;
    const first = server.stop();
    expect(server.stop()).toBe(first);
    await first;
    await server.stop();

    const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    await expect(probe.connect()).rejects.toThrow();
    probe.disconnect();
    await expect(server.restart()).rejects.toThrow(/was stopped/);
  });

  it('a missing binary fails with the command that installs it', async () => {
    const attempt = startRedisServer({ binary: 'redis-server-that-does-not-exist' });
    await expect(attempt).rejects.toThrow(/apt-get install redis-server/);
    await expect(attempt).rejects.toThrow(/brew install redis/);
    await expect(attempt).rejects.toThrow(/HERALD_TEST_REDIS_URL/);
  });
});
