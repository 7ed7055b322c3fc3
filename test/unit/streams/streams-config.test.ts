import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/validate-config.js';
import { Event, HeraldError, Listener } from '../../../src/index.js';
import { normalizeListenerOptions } from '../../../src/listeners/normalize-options.js';
import { eventMetadataOf } from '../../../src/metadata/event-metadata.js';
import { partitionOf } from '../../../src/queue/drivers/streams/stream-keys.js';
import { bootFailure, withHerald } from '../boot/boot-helpers.js';

function refusal(run: () => unknown): HeraldError {
  try {
    run();
  } catch (error) {
    if (HeraldError.is(error)) return error;
    throw new Error(`threw something other than a HeraldError: ${String(error)}`, { cause: error });
  }
  throw new Error('expected a config_invalid error');
}

const streams = (extra: Record<string, unknown>) => ({
  queue: { connections: { log: { driver: 'streams', ...extra } } },
});

describe('streams connection config', () => {
  it('accepts every documented key', () => {
    const { connections } = validateConfig(
      streams({
        url: 'redis://127.0.0.1:6379/2',
        prefix: '{herald}',
        partitions: 4,
        claimAfter: 30_000,
        maxLen: 1_000_000,
        maxAge: 7 * 24 * 3600,
        unavailableTimeout: 5000,
        maxPayloadBytes: 1024,
      }),
    );
    expect(connections.log?.driver).toBe('streams');
  });

  const BAD: [string, string, Record<string, unknown>][] = [
    ['an unknown key', 'queue.connections.log.lockDuration', { lockDuration: 1000 }],
    ['a non-redis url', 'queue.connections.log.url', { url: 'http://localhost' }],
    ['partitions 0', 'queue.connections.log.partitions', { partitions: 0 }],
    ['fractional partitions', 'queue.connections.log.partitions', { partitions: 1.5 }],
    ['claimAfter as text', 'queue.connections.log.claimAfter', { claimAfter: '30s' }],
    ['maxLen 0', 'queue.connections.log.maxLen', { maxLen: 0 }],
    ['maxAge negative', 'queue.connections.log.maxAge', { maxAge: -1 }],
    ['a prefix with a colon', 'queue.connections.log.prefix', { prefix: 'a:b' }],
    ['unavailableTimeout 0', 'queue.connections.log.unavailableTimeout', { unavailableTimeout: 0 }],
    ['a queue key (a log has none)', 'queue.connections.log.queue', { queue: 'emails' }],
  ];
  it.each(BAD)('refuses %s, naming the key', (_, key, extra) => {
    const error = refusal(() => validateConfig(streams(extra)));
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain(`"${key}"`);
  });
});

describe('@Event stream options', () => {
  it('stores stream and key on the class', () => {
    const key = (e: { id: string }) => e.id;
    @Event<Placed>('conf.placed', { stream: 'orders', key })
    class Placed {
      constructor(readonly id: string) {}
    }
    expect(eventMetadataOf(Placed)?.streaming).toEqual({ stream: 'orders', key });
  });

  it.each([
    ['a stream name with a colon', 'stream', { stream: 'orders:eu' }],
    ['an empty stream name', 'stream', { stream: '' }],
    ['a key that is not a function', 'key', { key: 'orderId' }],
    ['an unknown option', 'strem', { strem: 'orders' }],
  ])('refuses %s with config_invalid naming the option', (_, option, options) => {
    const error = refusal(() => Event('conf.bad', options as never)(class Bad {}));
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain(`"${option}"`);
  });
});

describe('streams listener options', () => {
  it.each([
    ['startFrom', { startFrom: 'beginning' }],
    ['ordered', { ordered: 'yes' }],
    ['broadcast', { broadcast: 1 }],
  ])('refuses a bad %s', (key, options) => {
    const error = refusal(() => normalizeListenerOptions(options, 'Listener X'));
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain(`"${key}"`);
  });

  @Event('conf.note')
  class Note {}

  it('boot refuses startFrom on a listener of a bullmq connection', async () => {
    @Listener(Note, { connection: 'redis', startFrom: 'start' })
    class OnBullMq {
      handle(): void {}
    }
    const error = await bootFailure({
      listeners: [OnBullMq],
      queue: { connections: { redis: { driver: 'bullmq', url: 'redis://127.0.0.1:1' } } },
    });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toMatch(
      /"startFrom" is not read by its connection "redis" \(driver bullmq; only memory, streams/,
    );
  });

  it('boot refuses startFrom on a sync listener', async () => {
    @Listener(Note, { startFrom: 'start' })
    class Inline {
      handle(): void {}
    }
    const error = await bootFailure({ listeners: [Inline] });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain('"startFrom" needs a queue connection');
  });

  it.each([
    ['ordered', { ordered: true }],
    ['broadcast', { broadcast: true }],
  ])('boot refuses %s on a bullmq listener (only streams reads it)', async (key, options) => {
    @Listener(Note, { connection: 'redis', ...options })
    class Elsewhere {
      handle(): void {}
    }
    const error = await bootFailure({
      listeners: [Elsewhere],
      queue: { connections: { redis: { driver: 'bullmq', url: 'redis://127.0.0.1:1' } } },
    });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain(`"${key}" is not read by its connection "redis" (driver bullmq`);
  });

  it.each([
    ['delay', { delay: 1000 }],
    ['priority', { priority: 1 }],
    ['unique', { unique: { id: () => 'x' } }],
  ])('boot refuses %s on a streams listener (a log cannot honour it)', async (key, options) => {
    @Listener(Note, { connection: 'log', ...options })
    class Refused {
      handle(): void {}
    }
    const error = await bootFailure({
      listeners: [Refused],
      queue: { connections: { log: { driver: 'streams', url: 'redis://127.0.0.1:1' } } },
    });
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toContain(`"${key}" cannot be honoured on its connection "log" (driver streams)`);
  });

  it('boot refuses a streams listener whose class decides per dispatch (shouldQueue, tags...)', async () => {
    @Listener(Note, { connection: 'log' })
    class Picky {
      shouldQueue(): boolean {
        return true;
      }
      handle(): void {}
    }
    @Listener(Note, { connection: 'log' })
    class Tagged {
      tags(): string[] {
        return ['t'];
      }
      handle(): void {}
    }
    const queue = { connections: { log: { driver: 'streams' as const, url: 'redis://127.0.0.1:1' } } };
    for (const [listener, method] of [
      [Picky, 'shouldQueue'],
      [Tagged, 'tags'],
    ] as const) {
      const error = await bootFailure({ listeners: [listener], queue });
      expect(error.kind).toBe('config_invalid');
      expect(error.message).toContain(`method ${method}() cannot be honoured on its connection "log"`);
    }
  });

  it('boot accepts startFrom on a streams listener (opening no connection)', async () => {
    @Listener(Note, { connection: 'log', startFrom: 'start' })
    class FromStart {
      handle(): void {}
    }
    await withHerald(
      {
        listeners: [FromStart],
        queue: { connections: { log: { driver: 'streams', url: 'redis://127.0.0.1:1' } } },
      },
      (herald) => expect(herald.defaultConnection).toBe('memory'),
    );
  });
});

describe('partitionOf', () => {
  it('is 0 without a key or with one partition', () => {
    expect(partitionOf(undefined, 8)).toBe(0);
    expect(partitionOf('order-1', 1)).toBe(0);
  });

  it('hashes a key to a stable partition (FNV-1a, pinned values)', () => {
    // Pinned: a change of hash would move keys between partitions across a deploy.
    // 0xe40c292c is the published FNV-1a 32-bit hash of "a".
    expect([partitionOf('order-1', 8), partitionOf('order-2', 8), partitionOf('a', 1024)]).toEqual([
      5,
      4,
      0xe40c292c % 1024,
    ]);
    const spread = new Set(Array.from({ length: 64 }, (_, index) => partitionOf(`k${index}`, 4)));
    expect(spread).toEqual(new Set([0, 1, 2, 3]));
  });
});
