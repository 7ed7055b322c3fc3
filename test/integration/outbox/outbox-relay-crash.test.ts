import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../support/transaction.js';
import { LedgerEntry, OrderPlaced, useOutboxEnv } from './support/outbox-app.js';

/**
 * A relay that dies between its push and its delete: simulated by a trigger that makes the
 * delete fail, so the batch's transaction rolls back with the jobs already in Redis, exactly the
 * state a crash leaves. The next batch pushes the same rows again; their ids make it a no-op.
 */
describe('outbox relay: a batch whose delete never commits', () => {
  const env = useOutboxEnv();

  async function failDeletes(): Promise<void> {
    await env.client.query(`CREATE OR REPLACE FUNCTION outbox_refuse_delete() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'delete refused (test)'; END $$ LANGUAGE plpgsql`);
    await env.client.query(
      'CREATE TRIGGER refuse_delete BEFORE DELETE ON herald_outbox FOR EACH ROW EXECUTE FUNCTION outbox_refuse_delete()',
    );
  }

  async function allowDeletes(): Promise<void> {
    await env.client.query('DROP TRIGGER IF EXISTS refuse_delete ON herald_outbox');
  }

  it('leaves one job per row in BullMQ after the rows are relayed again', async () => {
    const app = await env.boot();
    await inTransaction(env.client, async () => {
      for (let i = 0; i < 5; i++) await app.dispatch(new OrderPlaced(`o-${i}`));
    });
    await failDeletes();
    try {
      const parts = app.outbox;
      const relay = await parts?.relay({ pollInterval: 60_000 });
      await relay?.close();
      // The first batch pushed and failed to delete: the jobs are there, the rows too.
      expect((await env.jobIds()).sort()).toEqual(['o-0', 'o-1', 'o-2', 'o-3', 'o-4']);
      expect(await env.rows()).toBe(5);
    } finally {
      await allowDeletes();
    }
    const again = await app.outbox?.relay({ pollInterval: 60_000 });
    await again?.close();
    expect(await env.rows()).toBe(0);
    expect((await env.jobIds()).sort()).toEqual(['o-0', 'o-1', 'o-2', 'o-3', 'o-4']);
  });

  it('leaves one stream entry per row after the rows are relayed again', async () => {
    const app = await env.boot();
    await inTransaction(env.client, async () => {
      await app.dispatch(new LedgerEntry('l-1'));
      await app.dispatch(new LedgerEntry('l-2'));
    });
    await failDeletes();
    try {
      const relay = await app.outbox?.relay({ pollInterval: 60_000 });
      await relay?.close();
      expect(await env.ledgerIds()).toEqual(['l-1', 'l-2']);
      expect(await env.rows()).toBe(2);
    } finally {
      await allowDeletes();
    }
    const again = await app.outbox?.relay({ pollInterval: 60_000 });
    await again?.close();
    expect(await env.rows()).toBe(0);
    expect(await env.ledgerIds()).toEqual(['l-1', 'l-2']);
  });

  it('still holds when the first job already ran and BullMQ removed it (the marker, not the job id, decides)', async () => {
    const app = await env.boot();
    await inTransaction(env.client, () => app.dispatch(new OrderPlaced('o-9')));
    await failDeletes();
    try {
      const relay = await app.outbox?.relay({ pollInterval: 60_000 });
      await relay?.close();
    } finally {
      await allowDeletes();
    }
    // As if a worker had run the job and retention had removed it.
    const { Queue } = await import('bullmq');
    const queue = new Queue('default', { connection: env.redis.duplicate(), prefix: env.prefix });
    for (const job of await queue.getJobs(['waiting'])) await job.remove();
    await queue.close();
    expect(await env.jobIds()).toEqual([]);
    const again = await app.outbox?.relay({ pollInterval: 60_000 });
    await again?.close();
    expect(await env.rows()).toBe(0);
    expect(await env.jobIds()).toEqual([]);
  });
});
