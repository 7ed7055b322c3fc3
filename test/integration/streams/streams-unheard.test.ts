import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, HeraldError, Listener } from '../../../src/index.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { record, useStreamRedis } from './support/stream-redis.js';

@Event('unheard.placed', { stream: 'orders' })
class Placed {
  constructor(readonly id: string) {}
}

@Event('unheard.plain')
class Plain {
  constructor(readonly id: string) {}
}

const handled: string[] = [];

@Listener(Placed, { connection: 'log', startFrom: 'start' })
class OnTheLog {
  handle(): void {}
}

@Listener(Placed, { order: -1 })
class Refuses {
  async handle(event: Placed): Promise<false | string> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    handled.push(`refused ${event.id}`);
    if (event.id === 'refuse') throw new Error('out of stock');
    return event.id === 'stop' ? false : `seen ${event.id}`;
  }
}

@Listener(Placed)
class SyncNote {
  handle(event: Placed): void {
    handled.push(event.id);
  }
}

describe('streams: an event that names a stream is appended on every dispatch, listeners or not', () => {
  const env = useStreamRedis();
  afterEach(() => {
    handled.length = 0;
  });

  async function boot(prefix: string, listeners: Function[], events: Function[] = [Placed]): Promise<Herald> {
    const app = await createHerald({
      events: events as never,
      listeners: listeners as never,
      queue: {
        connections: { log: { driver: 'streams', url: env.server.url, prefix, unavailableTimeout: 2000 } },
      },
    });
    env.apps.push(app);
    return app;
  }

  const entries = async (prefix: string) =>
    (await env.redis.xrange(`${prefix}:orders:0`, '-', '+')).map(([, fields]) => record(fields));

  it('no listener: each dispatch appends one entry to its stream on the only streams connection', async () => {
    const prefix = uniqueQueueName('unheard');
    const app = await boot(prefix, []);
    await app.dispatch(new Placed('o-1'));
    await app.dispatch(new Placed('o-2'));
    const appended = await entries(prefix);
    expect(appended.map((each) => each.event)).toEqual(['unheard.placed', 'unheard.placed']);
    expect(appended[0]?.payload).toContain('"o-1"');
    expect(appended[1]?.payload).toContain('"o-2"');
    expect(appended[0]).not.toHaveProperty('listener');
  });

  it('a sync listener only: it runs, and the entry is appended once', async () => {
    const prefix = uniqueQueueName('unheard');
    const app = await boot(prefix, [SyncNote]);
    await app.dispatch(new Placed('o-1'));
    expect(handled).toEqual(['o-1']);
    expect(await entries(prefix)).toHaveLength(1);
  });

  it('a listener on the streams connection and a sync one: still one entry per dispatch', async () => {
    const prefix = uniqueQueueName('unheard');
    const app = await boot(prefix, [OnTheLog, SyncNote]);
    await app.dispatch(new Placed('o-1'));
    expect(handled).toEqual(['o-1']);
    expect(await entries(prefix)).toHaveLength(1);
  });

  it('a sync listener that stops propagation (after an await) stops listeners, not the append: one entry', async () => {
    const prefix = uniqueQueueName('unheard');
    const app = await boot(prefix, [Refuses, OnTheLog, SyncNote]);
    await app.dispatch(new Placed('stop'));
    await app.dispatch(new Placed('go'));
    expect(handled).toEqual(['refused stop', 'refused go', 'go']);
    const appended = await entries(prefix);
    expect(appended).toHaveLength(2);
    expect(appended[0]?.payload).toContain('"stop"');
    expect(appended[1]?.payload).toContain('"go"');
  });

  it('a sync listener that throws refuses the event: the dispatch rejects and nothing is appended', async () => {
    const prefix = uniqueQueueName('unheard');
    const app = await boot(prefix, [Refuses, OnTheLog]);
    const error = await app.dispatch(new Placed('refuse')).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'listener_failed')).toBe(true);
    expect(await entries(prefix)).toHaveLength(0);
    // No listener on the log at all: the same, the dispatch appends after its sync listeners.
    const other = uniqueQueueName('unheard');
    const plain = await boot(other, [Refuses]);
    await expect(plain.dispatch(new Placed('refuse'))).rejects.toThrow('out of stock');
    expect(await entries(other)).toHaveLength(0);
  });

  it('until() appends once, like dispatch, and returns the first listener result', async () => {
    const prefix = uniqueQueueName('unheard');
    const app = await boot(prefix, [Refuses, OnTheLog, SyncNote]);
    expect(await app.until(new Placed('o-9'))).toBe('seen o-9');
    expect(handled).toEqual(['refused o-9']);
    expect(await entries(prefix)).toHaveLength(1);
  });

  it('an event without stream and no listener appends nothing', async () => {
    const prefix = uniqueQueueName('unheard');
    const app = await boot(prefix, [], [Placed, Plain]);
    await app.dispatch(new Plain('p-1'));
    expect(await env.redis.keys(`${prefix}:*`)).toEqual([]);
  });

  it('boot: an event with stream, no streams connection and a default that is not memory is config_invalid naming the event', async () => {
    const error = await createHerald({ events: [Placed], queue: { default: 'sync' } }).catch(
      (caught: unknown) => caught,
    );
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toContain('"unheard.placed"');
    expect((error as Error).message).toContain("driver: 'streams'");
  });

  it('boot: an event with stream and two streams connections is config_invalid naming both', async () => {
    const error = await createHerald({
      events: [Placed],
      queue: {
        connections: {
          a: { driver: 'streams', url: env.server.url },
          b: { driver: 'streams', url: env.server.url },
        },
      },
    }).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toContain('"unheard.placed"');
    expect((error as Error).message).toContain('(a, b)');
    expect((error as Error).message).toContain("streams: { default: '<name>' }");
  });

  it('two streams connections and streams.default: dispatches append to the one it names', async () => {
    const prefix = uniqueQueueName('unheard');
    const app = await createHerald({
      events: [Placed],
      queue: {
        connections: {
          a: { driver: 'streams', url: env.server.url, prefix },
          b: { driver: 'streams', url: env.server.url, prefix: `${prefix}b` },
        },
      },
      streams: { default: 'b' },
    });
    env.apps.push(app);
    await app.dispatch(new Placed('o-1'));
    expect(await entries(`${prefix}b`)).toHaveLength(1);
    expect(await entries(prefix)).toHaveLength(0);
  });

  it('an event with stream first seen at dispatch, with no streams connection to append to: the dispatch rejects config_invalid', async () => {
    const app = await createHerald({ queue: { default: 'sync' } });
    env.apps.push(app);
    const error = await app.dispatch(new Placed('o-1')).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
  });
});
