import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Event, HeraldError, Listener } from '../../../src/index.js';
import { sleep, useHerald } from './support.js';

@Event('own-promise.order-placed')
class OrderPlaced {
  constructor(readonly orderId: string) {}
}

@Listener(OrderPlaced, { queue: true })
class QueueOrder {
  handle(): void {}
}

@Listener(OrderPlaced)
class SyncOnly {
  handle(): void {}
}

/** A localhost port nothing listens on: every connection attempt is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Collects the real `unhandledRejection` events of this process while `run` goes on. The test
 * runner's own handler is set aside meanwhile (it would fail the run) and put back after.
 */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const saved = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  const collect = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', collect);
  try {
    await run();
    // Node reports unhandled rejections after the microtask queue drains: give it turns.
    await sleep(50);
  } finally {
    process.off('unhandledRejection', collect);
    for (const listener of saved) process.on('unhandledRejection', listener);
  }
  return seen;
}

const boot = useHerald();

describe('dispatch() promises', () => {
  it('dispatch() - every call returns its own promise, for queued and sync plans alike', async () => {
    const port = await closedPort();
    const queued = await boot({
      listeners: [QueueOrder],
      queue: {
        default: 'redis',
        connections: {
          redis: { driver: 'bullmq', url: `redis://127.0.0.1:${port}`, unavailableTimeout: 200 },
        },
      },
    });
    const a = queued.dispatch(new OrderPlaced('a'));
    const b = queued.dispatch(new OrderPlaced('b'));
    // Settle both before asserting, so a failed assertion leaves no rejection behind.
    await Promise.allSettled([a, b]);
    expect(a).not.toBe(b);
    const sync = await boot({ listeners: [SyncOnly] });
    const c = sync.dispatch(new OrderPlaced('c'));
    const d = sync.dispatch(new OrderPlaced('d'));
    await Promise.all([c, d]);
    expect(c).not.toBe(d);
  });

  it('dispatch() - an unawaited failed dispatch raises unhandledRejection even when another dispatch of its tick is awaited', async () => {
    const port = await closedPort();
    const app = await boot({
      listeners: [QueueOrder],
      queue: {
        default: 'redis',
        connections: {
          redis: { driver: 'bullmq', url: `redis://127.0.0.1:${port}`, unavailableTimeout: 200 },
        },
      },
    });
    let awaited: unknown;
    const unhandled = await unhandledDuring(async () => {
      void app.dispatch(new OrderPlaced('forgotten'));
      awaited = await app.dispatch(new OrderPlaced('awaited')).catch((error: unknown) => error);
    });
    expect(HeraldError.is(awaited, 'queue_unavailable')).toBe(true);
    expect(unhandled).toHaveLength(1);
    expect(HeraldError.is(unhandled[0], 'queue_unavailable')).toBe(true);
    expect(unhandled[0]).not.toBe(awaited);
  });
});
