import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, Listener } from '../../../src/index.js';
import { transaction } from '../../../src/transactions/adapters/pg.js';
import { createTestDatabase } from '../../support/postgres-database.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';

@Event('outbox-many.order')
class OrderTaken {
  constructor(readonly id: string) {}
}

@Listener(OrderTaken, { queue: true, connection: 'redis', name: 'Pack' })
class Pack {
  handle(): void {}
}

/** An afterCommit listener: with the outbox, a row of the same transaction. */
@Listener(OrderTaken, { queue: true, connection: 'redis', afterCommit: true, name: 'Confirm' })
class Confirm {
  handle(): void {}
}

const TRANSACTIONS = 1000;
const CLIENTS = 20;

/**
 * 1,000 transactions over 20 pool clients at once, every other one rolled back after its
 * dispatch, while two relays move rows: BullMQ ends up with exactly the committed half (a job
 * of each listener, the afterCommit one included), once each, and nothing of the rolled-back half.
 */
describe('fault: 1,000 concurrent transactions, half rolled back, relays running', () => {
  let url: string;
  let pool: pg.Pool;

  beforeAll(async () => {
    url = await createTestDatabase('outbox_many');
    pool = new pg.Pool({ connectionString: url, max: CLIENTS });
  });
  afterAll(() => pool?.end());

  it('delivers every committed transaction’s jobs exactly once and none of the rolled-back ones', async () => {
    const prefix = uniqueQueueName('outbox-many');
    const app = await createHerald({
      listeners: [Pack, Confirm],
      queue: { connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix } } },
      outbox: { url, pollInterval: 200 },
    });
    const queue = new Queue('default', { connection: { url: testRedisUrl() }, prefix });
    try {
      await app.outbox?.install();
      await pool.query('CREATE TABLE orders (id text PRIMARY KEY)');
      const errors: Error[] = [];
      await app.outbox?.relay({ batchSize: 50, onError: (error) => errors.push(error) });
      await app.outbox?.relay({ batchSize: 50, onError: (error) => errors.push(error) });

      const committed = new Set<string>();
      const rolledBack = new Set<string>();
      let next = 0;
      // CLIENTS loops, each running one transaction after another: 20 open at any time.
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < TRANSACTIONS) {
            const n = next++;
            const id = `m-${n}`;
            const keep = n % 2 === 0;
            try {
              await transaction(app, pool, async (client) => {
                await client.query('INSERT INTO orders (id) VALUES ($1)', [id]);
                await app.dispatch(new OrderTaken(id));
                if (!keep) throw new Error('roll back');
              });
              committed.add(id);
            } catch (error) {
              if (keep) throw error;
              rolledBack.add(id);
            }
          }
        }),
      );
      expect(committed.size).toBe(TRANSACTIONS / 2);
      expect(rolledBack.size).toBe(TRANSACTIONS / 2);
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM orders');
      expect(Number(rows[0]?.n)).toBe(TRANSACTIONS / 2);

      await waitFor('the outbox to be empty', async () => (await app.outbox?.status())?.waiting === 0, {
        timeoutMs: 60_000,
      });
      const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
      const keys = jobs.map(
        (job) => `${job.data.listener}:${JSON.stringify(job.data.payload).match(/"(m-\d+)"/)?.[1]}`,
      );
      expect(keys).toHaveLength(TRANSACTIONS);
      expect(new Set(keys).size).toBe(TRANSACTIONS);
      const expected = [...committed].flatMap((id) => [`Pack:${id}`, `Confirm:${id}`]).sort();
      expect(keys.sort()).toEqual(expected);
      expect(errors).toEqual([]);
    } finally {
      await app.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
  }, 120_000);
});
