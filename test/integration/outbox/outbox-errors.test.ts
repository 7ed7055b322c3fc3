import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createHerald, HeraldError } from '../../../src/index.js';
import { createTestDatabase } from '../../support/postgres-database.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';
import { inTransaction } from '../../support/transaction.js';
import { OrderPlaced, ShipOrder } from './support/outbox-app.js';

describe('outbox errors', () => {
  it('a dispatch in a transaction before outbox:install rejects naming the command', async () => {
    const url = await createTestDatabase('outbox_missing');
    const app = await createHerald({
      listeners: [ShipOrder],
      queue: {
        connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix: uniqueQueueName('o') } },
      },
      outbox: { url },
    });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const error = await inTransaction(client, () => app.dispatch(new OrderPlaced('o-1'))).catch((e) => e);
      expect(HeraldError.is(error, 'queue_unavailable')).toBe(true);
      expect((error as Error).message).toContain('herald outbox:install');
      expect(await app.outbox?.status().catch((e: Error) => e.message)).toMatch(
        /herald_outbox does not exist: create it with `herald outbox:install`/,
      );
    } finally {
      await client.end();
      await app.close();
    }
  });

  it('a relay with a batchSize that is not a positive integer is refused, naming the option', async () => {
    const url = await createTestDatabase('outbox_batch');
    const app = await createHerald({
      listeners: [ShipOrder],
      queue: {
        connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix: uniqueQueueName('o') } },
      },
      outbox: { url },
    });
    try {
      for (const batchSize of [0, -1, 2.5]) {
        const error = await app.outbox?.relay({ batchSize }).catch((e: unknown) => e);
        expect(HeraldError.is(error, 'invalid_argument')).toBe(true);
        expect((error as Error).message).toContain(`batchSize ${batchSize} is not a positive integer`);
      }
    } finally {
      await app.close();
    }
  });
});
