import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  type HeraldWorker,
  Listener,
  type ListenerContext,
} from '../../../src/index.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { useStreamRedis } from './support/stream-redis.js';

// With partitions: 2, keys 'a' and 'c' land in partition 0, 'b' and 'd' in partition 1
// (partitionOf, pinned in test/unit/streams/streams-config.test.ts).
@Event('ordered.step', { stream: 'ordered', key: (e: Step) => e.key })
class Step {
  constructor(
    readonly key: string,
    readonly seq: number,
  ) {}
}

/** Every call of handle, as `<seq>#<attempt>`, per key, in the order they started. */
const calls = new Map<string, string[]>();
/** Entries whose first attempt throws. */
const failOnce = new Set<string>();
/** Set while a test wants the handler to pause on an entry (`key:seq`) until released. */
let pauseAt: { entry: string; reached: () => void; release: Promise<void> } | undefined;
/** Whether partition 1 ran an entry while partition 0's first entry waited (parallel partitions). */
let sawOtherPartition: boolean | undefined;

@Listener(Step, { connection: 'log', ordered: true, startFrom: 'start', tries: 3, backoff: 100 })
class InOrder {
  async handle(event: Step, ctx: ListenerContext): Promise<void> {
    const list = calls.get(event.key) ?? [];
    list.push(`${event.seq}#${ctx.attempt}`);
    calls.set(event.key, list);
    const name = `${event.key}:${event.seq}`;
    if (sawOtherPartition === false && name === 'a:0') {
      // Waits (5 s at most) for an entry of partition 1: only runs when partitions run side by side.
      const end = Date.now() + 5000;
      while (!calls.has('b') && Date.now() < end) await sleep(5);
      sawOtherPartition = calls.has('b');
    }
    if (pauseAt?.entry === name) {
      pauseAt.reached();
      await pauseAt.release;
    }
    // Uneven handling times, so entries run side by side would finish out of order.
    await sleep(Math.floor(Math.random() * 4));
    if (ctx.attempt === 1 && failOnce.has(name)) throw new Error(`${name} fails once`);
  }
}

const inOrder = (count: number) => Array.from({ length: count }, (_, seq) => `${seq}#1`);

describe('streams driver: ordered listeners', () => {
  const env = useStreamRedis();
  afterEach(() => {
    calls.clear();
    failOnce.clear();
    pauseAt = undefined;
    sawOtherPartition = undefined;
  });

  async function boot(prefix: string): Promise<Herald> {
    const app = await createHerald({
      listeners: [InOrder],
      queue: {
        connections: {
          log: { driver: 'streams', url: env.server.url, prefix, partitions: 2, unavailableTimeout: 2000 },
        },
      },
    });
    env.apps.push(app);
    return app;
  }

  async function dispatchAll(app: Herald, keys: readonly string[], count: number): Promise<void> {
    for (let seq = 0; seq < count; seq++) for (const key of keys) await app.dispatch(new Step(key, seq));
  }

  const handled = (keys: readonly string[], count: number) => () =>
    keys.every((key) => (calls.get(key) ?? []).filter((call) => call.endsWith('#1')).length >= count);

  it('one entry at a time per key, in log order, with concurrency 4; a retry waiting for its backoff holds its partition', async () => {
    const prefix = uniqueQueueName('ordered');
    const producer = await boot(prefix);
    failOnce.add('a:2');
    sawOtherPartition = false;
    await dispatchAll(producer, ['a', 'b', 'c', 'd'], 8);
    const worker = await (await boot(prefix)).work({ connection: 'log', concurrency: 4 });
    await waitFor('every entry', () => handled(['a', 'b', 'c', 'd'], 8)() && calls.get('a')?.length === 9, {
      describe: () => JSON.stringify([...calls]),
    });
    expect(calls.get('a')).toEqual(['0#1', '1#1', '2#1', '2#2', '3#1', '4#1', '5#1', '6#1', '7#1']);
    for (const key of ['b', 'c', 'd']) expect(calls.get(key)).toEqual(inOrder(8));
    // Partition 1 ran while partition 0's first entry waited for it.
    expect(sawOtherPartition).toBe(true);
    await waitFor('the acks', async () => {
      const [p0, p1] = await Promise.all(
        [0, 1].map((p) => env.redis.xpending(`${prefix}:ordered:${p}`, 'InOrder') as Promise<[number]>),
      );
      return p0?.[0] === 0 && p1?.[0] === 0;
    });
    await worker.close();
    // Closing released the partitions.
    expect(
      await env.redis.exists(`${prefix}:ordered:0:lease:InOrder`, `${prefix}:ordered:1:lease:InOrder`),
    ).toBe(0);
  });

  it('two workers on one ordered group share the partitions, one owner each; every key stays in order', async () => {
    const prefix = uniqueQueueName('ordered');
    const producer = await boot(prefix);
    const by = new Map<string, string>();
    const workers: HeraldWorker[] = [];
    for (const name of ['one', 'two']) {
      const app = await boot(prefix);
      workers.push(
        await app.work({ connection: 'log', concurrency: 2, onJob: (job) => by.set(job.jobId, name) }),
      );
    }
    const leases = () =>
      env.redis.mget(`${prefix}:ordered:0:lease:InOrder`, `${prefix}:ordered:1:lease:InOrder`);
    await waitFor('each worker to own one partition', async () => {
      const [p0, p1] = await leases();
      return p0 !== null && p1 !== null && p0 !== p1;
    });
    await dispatchAll(producer, ['a', 'b', 'c', 'd'], 15);
    await waitFor('every entry', handled(['a', 'b', 'c', 'd'], 15), {
      describe: () => JSON.stringify([...calls]),
    });
    for (const key of ['a', 'b', 'c', 'd']) expect(calls.get(key)).toEqual(inOrder(15));
    // Both workers handled entries: each its own partition.
    expect(new Set(by.values())).toEqual(new Set(['one', 'two']));
    await Promise.all(workers.map((worker) => worker.close()));
  });

  it('a worker closed mid-run hands its partition over: the other worker goes on from the next entry, in order', async () => {
    const prefix = uniqueQueueName('ordered');
    const producer = await boot(prefix);
    let reached: () => void = () => {};
    let release: () => void = () => {};
    const reachedPause = new Promise<void>((resolve) => (reached = resolve));
    pauseAt = { entry: 'a:3', reached, release: new Promise<void>((resolve) => (release = resolve)) };
    const by = new Map<string, string>();
    const first = await (await boot(prefix)).work({
      connection: 'log',
      onJob: (job) => by.set(job.jobId, 'first'),
    });
    await dispatchAll(producer, ['a'], 10);
    await reachedPause;
    const second = await (await boot(prefix)).work({
      connection: 'log',
      onJob: (job) => by.set(job.jobId, 'second'),
    });
    const closed = first.close();
    release();
    await closed;
    await waitFor('every entry', handled(['a'], 10), { describe: () => JSON.stringify([...calls]) });
    // Each entry once, attempt 1 (entries read but never started are not counted as attempts).
    expect(calls.get('a')).toEqual(inOrder(10));
    const ids = (await env.redis.xrange(`${prefix}:ordered:0`, '-', '+')).map(([id]) => id);
    expect(ids.map((id) => by.get(id))).toEqual([...Array(4).fill('first'), ...Array(6).fill('second')]);
    await waitFor(
      'the acks',
      async () => ((await env.redis.xpending(`${prefix}:ordered:0`, 'InOrder')) as [number])[0] === 0,
    );
    await second.close();
  });
});
