import { describe, expect, it } from 'vitest';
import { Event, HeraldError, Listener } from '../../../src/index.js';
import { useHerald } from '../dispatch/support.js';

@Event<Placed>('standin.placed', { stream: 'orders', key: (event) => event.orderId })
class Placed {
  constructor(
    readonly orderId: string,
    readonly step: number,
  ) {}
}

const handled: string[] = [];
/** `${orderId}#${step}` of entries whose first attempt must fail. */
const failOnce = new Set<string>();

function record(event: Placed, attempt: number): void {
  const id = `${event.orderId}#${event.step}`;
  handled.push(`${id}@${attempt}`);
  if (attempt === 1 && failOnce.has(id)) throw new Error(`first attempt of ${id} fails`);
}

@Listener(Placed, { queue: true, ordered: true, tries: 2, backoff: 30 })
class OrderedProjection {
  handle(event: Placed, ctx: { attempt: number }): void {
    record(event, ctx.attempt);
  }
}

@Listener(Placed, { queue: true, tries: 2, backoff: 30 })
class UnorderedProjection {
  handle(event: Placed, ctx: { attempt: number }): void {
    record(event, ctx.attempt);
  }
}

@Listener(Placed, { queue: true, startFrom: 'start', broadcast: true })
class CacheBuster {
  handle(event: Placed): void {
    handled.push(`bust ${event.orderId}`);
  }
}

const boot = useHerald();

function reset(): void {
  handled.length = 0;
  failOnce.clear();
}

describe('memory stands in for a streams connection (tests and the memory playground, no Redis)', () => {
  it('an event that names a stream dispatches on the embedded memory default, with or without listeners', async () => {
    reset();
    const app = await boot({ events: [Placed], listeners: [CacheBuster] });
    await app.dispatch(new Placed('o-1', 1));
    await app.drain();
    expect(handled).toEqual(['bust o-1']);
    const silent = await boot({ events: [Placed] });
    await expect(silent.dispatch(new Placed('o-2', 1))).resolves.toBeUndefined();
  });

  it('ordered: a retry holds its key, so the key is handled in dispatch order', async () => {
    reset();
    failOnce.add('a#1');
    const app = await boot({ listeners: [OrderedProjection] });
    for (const [order, step] of [
      ['a', 1],
      ['a', 2],
      ['b', 1],
      ['a', 3],
    ] as const)
      await app.dispatch(new Placed(order, step));
    await app.drain();
    const ofA = handled.filter((entry) => entry.startsWith('a#'));
    expect(ofA).toEqual(['a#1@1', 'a#1@2', 'a#2@1', 'a#3@1']);
    // Another key is not held up by a's retry.
    expect(handled.indexOf('b#1@1')).toBeLessThan(handled.indexOf('a#1@2'));
  });

  it('without ordered, the same dispatches overtake the retry (what ordered prevents)', async () => {
    reset();
    failOnce.add('a#1');
    const app = await boot({ listeners: [UnorderedProjection] });
    for (const step of [1, 2, 3]) await app.dispatch(new Placed('a', step));
    await app.drain();
    expect(handled.indexOf('a#2@1')).toBeLessThan(handled.indexOf('a#1@2'));
  });

  it('streams.default may name the memory connection beside a streams one (never opened)', async () => {
    reset();
    const app = await boot({
      listeners: [CacheBuster],
      queue: { connections: { log: { driver: 'streams', url: 'redis://127.0.0.1:1' } } },
      streams: { default: 'memory' },
    });
    await app.dispatch(new Placed('o-3', 1));
    await app.drain();
    expect(handled).toEqual(['bust o-3']);
  });

  it('a default that is not memory and no streams connection: config_invalid naming the event', async () => {
    const error = await boot({ events: [Placed], queue: { default: 'sync' } }).catch((caught) => caught);
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toContain('"standin.placed"');
    expect((error as Error).message).toContain("is not 'memory'");
  });

  it.each([
    ['an unknown connection', { default: 'nope' }, 'names the connection "nope", which is not configured'],
    ['a sync connection', { default: 'sync' }, 'driver sync), which cannot hold a stream'],
    ['a stray key', { defualt: 'memory' }, '"streams.defualt" is not a config key'],
    ['not an object', 'memory', '"streams" must be an object'],
  ])('streams config with %s is config_invalid with the fix', async (_what, streams, message) => {
    const error = await boot({ events: [Placed], streams: streams as never }).catch((caught) => caught);
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toContain(message);
  });
});
