import { describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, HeraldError, Listener } from '../../../src/index.js';
import { partitionOf } from '../../../src/queue/drivers/streams/stream-keys.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { record, useStreamRedis } from './support/stream-redis.js';

@Event('pub.note-posted')
class NotePosted {
  constructor(readonly id: string) {}
}

@Event<OrderPlaced>('pub.order-placed', { stream: 'orders', key: (e) => e.orderId })
class OrderPlaced {
  constructor(readonly orderId: string) {}
}

@Event('pub.audit', { stream: 'audit' })
class Audited {
  constructor(readonly id: string) {}
}

@Listener([NotePosted, OrderPlaced, Audited], { connection: 'log' })
class First {
  handle(): void {}
}
@Listener([NotePosted, OrderPlaced, Audited], { connection: 'log', tries: 3 })
class Second {
  handle(): void {}
}
@Listener(NotePosted, { connection: 'log' })
class Third {
  handle(): void {}
}

describe('streams driver: publishing', () => {
  const env = useStreamRedis();

  async function boot(prefix: string, extra: Record<string, unknown> = {}): Promise<Herald> {
    const app = await createHerald({
      listeners: [First, Second, Third],
      queue: { connections: { log: { driver: 'streams', url: env.server.url, prefix, ...extra } } },
    });
    env.apps.push(app);
    return app;
  }

  it('dispatch() - appends one entry per dispatch however many listeners read it, with the job fields but no listener', async () => {
    const prefix = uniqueQueueName('pub');
    const app = await boot(prefix);
    await app.dispatch(new NotePosted('n1'));
    // Resolved: Redis has acknowledged the append.
    const entries = await env.redis.xrange(`${prefix}:pub.note-posted:0`, '-', '+');
    expect(entries).toHaveLength(1);
    const fields = record(entries[0]?.[1] ?? []);
    expect(Object.keys(fields)).toEqual(['v', 'dispatchId', 'event', 'payload', 'dispatchedAt', 'meta']);
    expect(fields.v).toBe('1');
    expect(fields.event).toBe('pub.note-posted');
    expect(fields.payload).toContain('"n1"');
    expect(JSON.parse(fields.meta ?? '')).toEqual({});
    expect(new Date(fields.dispatchedAt ?? '').getTime()).not.toBeNaN();
  });

  it('dispatch() - many dispatches in one tick: one entry each, in dispatch order', async () => {
    const prefix = uniqueQueueName('pub');
    const app = await boot(prefix);
    await Promise.all(Array.from({ length: 250 }, (_, index) => app.dispatch(new NotePosted(`n${index}`))));
    const entries = await env.redis.xrange(`${prefix}:pub.note-posted:0`, '-', '+');
    expect(entries).toHaveLength(250);
    expect(new Set(entries.map(([, fields]) => record(fields).dispatchId)).size).toBe(250);
    const order = entries.map(([, fields]) => /"(n\d+)"/.exec(record(fields).payload ?? '')?.[1]);
    expect(order).toEqual(Array.from({ length: 250 }, (_, index) => `n${index}`));
  });

  it('dispatch() - an event with stream and key goes to <prefix>:<stream>:<partition of the key>', async () => {
    const prefix = uniqueQueueName('pub');
    const app = await boot(prefix, { partitions: 4 });
    const ids = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];
    await Promise.all(ids.map((id) => app.dispatch(new OrderPlaced(id))));
    for (let partition = 0; partition < 4; partition++) {
      const entries = await env.redis.xrange(`${prefix}:orders:${partition}`, '-', '+');
      const held = entries.map(([, fields]) => /"(o\d)"/.exec(record(fields).payload ?? '')?.[1]);
      expect(held).toEqual(ids.filter((id) => partitionOf(id, 4) === partition));
    }
    // The partitions are really used (the keys above spread over more than one).
    expect(new Set(ids.map((id) => partitionOf(id, 4))).size).toBeGreaterThan(1);
  });

  it('dispatch() - an append Redis refuses rejects only its own dispatch; the others of its tick are appended', async () => {
    const prefix = uniqueQueueName('pub');
    const app = await boot(prefix);
    await env.redis.set(`${prefix}:audit:0`, 'not a stream');
    const outcomes = await Promise.allSettled([
      app.dispatch(new NotePosted('a')),
      app.dispatch(new Audited('refused')),
      app.dispatch(new NotePosted('b')),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refused = (outcomes[1] as PromiseRejectedResult).reason;
    expect(HeraldError.is(refused, 'invalid_argument')).toBe(true);
    expect((refused as Error).message).toMatch(/WRONGTYPE/);
    expect(await env.redis.xlen(`${prefix}:pub.note-posted:0`)).toBe(2);
  });

  it('dispatch() - Redis unreachable: rejects with queue_unavailable after unavailableTimeout, nothing buffered', async () => {
    const app = await createHerald({
      listeners: [First],
      queue: {
        connections: { log: { driver: 'streams', url: 'redis://127.0.0.1:1', unavailableTimeout: 300 } },
      },
    });
    env.apps.push(app);
    const started = Date.now();
    const error = await app.dispatch(new NotePosted('x')).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(HeraldError.is(error, 'queue_unavailable')).toBe(true);
    expect((error as Error).message).toMatch(/queue connection "log".*127\.0\.0\.1:1/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
