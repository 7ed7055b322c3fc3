import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../support/redis-url.js';
import { inTransaction } from '../../support/transaction.js';
import { waitFor } from '../../support/wait-for.js';
import { LedgerEntry, OrderPlaced, useOutboxEnv } from './support/outbox-app.js';

/**
 * A relay that lost PostgreSQL while its batch pushed: its row locks are gone, another relay
 * delivers and deletes the rows, and the first relay's push of one of them lands afterwards.
 * Replayed here by putting the delivered row back under the same id (its push-once id is the
 * table and the row id) and relaying it again: the marker, kept for a grace period after the
 * delete instead of deleted with it, makes that late push add nothing.
 */
describe('outbox: a late push of a row another relay already delivered', () => {
  const env = useOutboxEnv();

  async function relayOnce(app: Awaited<ReturnType<typeof env.boot>>): Promise<void> {
    const relay = await app.outbox?.relay({ pollInterval: 60_000 });
    await waitFor('the outbox to be empty', async () => (await env.rows()) === 0);
    await relay?.close();
  }

  /** Takes the one row out, to put it back later as it was. */
  async function theRow(): Promise<{ id: string; connection: string; job: unknown }> {
    const { rows } = await env.client.query<{ id: string; connection: string; job: unknown }>(
      'SELECT id, connection, job FROM herald_outbox',
    );
    expect(rows).toHaveLength(1);
    return rows[0] as { id: string; connection: string; job: unknown };
  }

  async function putBack(row: { id: string; connection: string; job: unknown }): Promise<void> {
    await env.client.query('INSERT INTO herald_outbox (id, connection, job) VALUES ($1, $2, $3)', [
      row.id,
      row.connection,
      JSON.stringify(row.job),
    ]);
  }

  it('bullmq: no second job, even after the first job was removed; the marker expires within the grace period', async () => {
    const app = await env.boot();
    await inTransaction(env.client, () => app.dispatch(new OrderPlaced('o-1')));
    const row = await theRow();
    await relayOnce(app);
    const marker = `${env.prefix}:default:outbox:herald_outbox-${row.id}`;
    await waitFor('the marker to get its grace period', async () => {
      const ttl = await env.redis.pttl(marker);
      return ttl > 0 && ttl <= 60_000;
    });
    // As if a worker had run the job and retention had removed it.
    const queue = new Queue('default', { connection: { url: testRedisUrl() }, prefix: env.prefix });
    for (const job of await queue.getJobs(['waiting'])) await job.remove();
    await queue.close();
    await putBack(row);
    await relayOnce(app);
    expect(await env.jobIds()).toEqual([]);
  });

  it('streams: no second entry', async () => {
    const app = await env.boot();
    await inTransaction(env.client, () => app.dispatch(new LedgerEntry('l-1')));
    const row = await theRow();
    await relayOnce(app);
    expect(await env.ledgerIds()).toEqual(['l-1']);
    await putBack(row);
    await relayOnce(app);
    expect(await env.ledgerIds()).toEqual(['l-1']);
  });
});
