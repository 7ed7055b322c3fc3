import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  HeraldError,
  Listener,
  type ListenerContext,
} from '../../../src/index.js';
import { startRedisServer } from '../../support/redis-server.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';

const seen: string[] = [];
const failures: string[] = [];

@Event('bull.order-placed')
class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly at: Date,
  ) {}
}

@Listener(OrderPlaced, { queue: true })
class ConfirmOrder {
  handle(event: OrderPlaced, ctx: ListenerContext): void {
    seen.push(`${event.orderId} ${event.at instanceof Date} ${ctx.attempt}/${ctx.maxTries} ${ctx.queue}`);
  }
}

@Listener(OrderPlaced, { queue: true, tries: 3, backoff: [10, 20], name: 'AlwaysFails' })
class AlwaysFails {
  handle(_event: OrderPlaced, ctx: ListenerContext): void {
    seen.push(`fail attempt ${ctx.attempt}`);
    throw new Error(`nope ${ctx.attempt}`);
  }
  failed(event: OrderPlaced, error: Error): void {
    failures.push(`${event.orderId}: ${error.message}`);
  }
}

function config(url: string, prefix: string, extra: Record<string, unknown> = {}) {
  return {
    listeners: [ConfirmOrder, AlwaysFails],
    queue: {
      default: 'redis',
      connections: { redis: { driver: 'bullmq' as const, url, prefix, ...extra } },
    },
  };
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('bullmq driver', () => {
  const apps: Herald[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    seen.length = 0;
    failures.length = 0;
  });

  it('dispatch() - a queued listener runs on a worker of another app, with retries and failed() once', async () => {
    const prefix = uniqueQueueName('herald');
    const producer = await createHerald(config(testRedisUrl(), prefix));
    const worker = await createHerald(config(testRedisUrl(), prefix));
    apps.push(producer, worker);
    await producer.dispatch(new OrderPlaced('o-1', new Date()));
    const running = await worker.work({ concurrency: 5 });
    await waitFor(() => seen.includes('o-1 true 1/1 default') && failures.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.filter((line) => line.startsWith('fail'))).toEqual([
      'fail attempt 1',
      'fail attempt 2',
      'fail attempt 3',
    ]);
    expect(failures).toEqual(['o-1: nope 3']);
    await running.close();
    const queue = new Queue('default', { connection: { url: testRedisUrl() }, prefix });
    const failed = await queue.getFailed();
    expect(failed.map((job) => [job.name, job.attemptsMade, job.failedReason])).toEqual([
      ['AlwaysFails', 3, 'nope 3'],
    ]);
    expect(failed[0]?.data).toMatchObject({ v: 1, event: 'bull.order-placed', listener: 'AlwaysFails' });
    await queue.close();
  });

  it('dispatch() - rejects with queue_unavailable within the bounded wait when Redis is down', async () => {
    const server = await startRedisServer();
    const url = server.url;
    await server.stop();
    const app = await createHerald(config(url, 'down', { unavailableTimeout: 300 }));
    apps.push(app);
    const started = Date.now();
    const error = await app.dispatch(new OrderPlaced('o-2', new Date())).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'queue_unavailable')).toBe(true);
    expect((error as Error).message).toMatch(/Redis at 127\.0\.0\.1:\d+/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
