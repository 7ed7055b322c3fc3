import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener } from '../../../src/index.js';
import { transaction } from '../../../src/transactions/adapters/pg.js';
import { testRedisUrl } from '../../support/redis-url.js';
import { ordersDatabase } from './support.js';

const QUEUE = 'after-commit-shipping';

@Event('after-commit-bullmq.order-shipped')
class OrderShipped {
  constructor(readonly orderId: string) {}
}

@Listener(OrderShipped, { queue: QUEUE, afterCommit: true })
class NotifyCarrier {
  handle(): void {}
}

let pool: pg.Pool;
beforeAll(async () => {
  ({ pool } = await ordersDatabase());
});

const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.allSettled(closing.splice(0).map((item) => item.close()));
});

async function boot(prefix: string): Promise<{ herald: Herald; waiting(): Promise<(string | undefined)[]> }> {
  const herald = await createHerald({
    listeners: [NotifyCarrier],
    queue: {
      default: 'redis',
      connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix } },
    },
  });
  const queue = new Queue(QUEUE, { connection: { url: testRedisUrl() }, prefix });
  closing.push(herald, queue);
  const waiting = async () => {
    const jobs = await queue.getJobs(['wait', 'prioritized', 'delayed']);
    // The order ids in the jobs' encoded payloads.
    return jobs.map((job) => JSON.stringify(job.data).match(/"(kept|dropped|now)"/)?.[1]);
  };
  return { herald, waiting };
}

describe('a queued afterCommit listener on bullmq (real Redis)', () => {
  it('is pushed only after the COMMIT, and never when the transaction rolls back', async () => {
    const { herald, waiting } = await boot(`scope-${randomUUID()}`);
    await transaction(herald, pool, async (client) => {
      await client.query('INSERT INTO orders (id) VALUES ($1)', ['kept']);
      await herald.dispatch(new OrderShipped('kept'));
      expect(await waiting()).toEqual([]);
    });
    expect(await waiting()).toEqual(['kept']);

    await expect(
      transaction(herald, pool, async () => {
        await herald.dispatch(new OrderShipped('dropped'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await waiting()).toEqual(['kept']);
  });

  it('is pushed at once outside a transaction', async () => {
    const { herald, waiting } = await boot(`scope-${randomUUID()}`);
    await herald.dispatch(new OrderShipped('now'));
    expect(await waiting()).toEqual(['now']);
  });
});
