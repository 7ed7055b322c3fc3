import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../support/transaction.js';
import { waitFor } from '../../support/wait-for.js';
import { FileNote, LedgerEntry, NoteTaken, OrderPlaced, useOutboxEnv } from './support/outbox-app.js';

describe('outbox: what a transaction writes and a relay delivers', () => {
  const env = useOutboxEnv();

  it('a queued push inside a committed transaction is a row until a relay moves it, then one job', async () => {
    const app = await env.boot();
    await inTransaction(env.client, () => app.dispatch(new OrderPlaced('o-1')));
    expect(await env.rows()).toBe(1);
    expect(await env.jobIds()).toEqual([]);
    const relay = await app.outbox?.relay();
    await waitFor('the row to be relayed', async () => (await env.rows()) === 0);
    expect(await env.jobIds()).toEqual(['o-1']);
    expect(relay?.relayed).toBe(1);
  });

  it('a rolled-back transaction leaves no row and no job', async () => {
    const app = await env.boot();
    await inTransaction(env.client, () => app.dispatch(new OrderPlaced('o-2')), 'rollback');
    expect(await env.rows()).toBe(0);
    await app.outbox?.relay();
    await app.dispatch(new OrderPlaced('o-3'));
    expect(await env.jobIds()).toEqual(['o-3']);
  });

  it('the job the relay pushes is the one the dispatch would have pushed, under a BullMQ id from the row', async () => {
    const app = await env.boot();
    await inTransaction(env.client, () => app.dispatch(new OrderPlaced('o-4')));
    const { rows } = await env.client.query<{ id: string; job: { data: { event: string } } }>(
      'SELECT id, job FROM herald_outbox',
    );
    expect(rows[0]?.job.data.event).toBe('outbox.order-placed');
    await app.outbox?.relay();
    await waitFor('the row to be relayed', async () => (await env.rows()) === 0);
    // BullMQ keeps a job's hash at <prefix>:<queue>:<job id>.
    expect(await env.redis.exists(`${env.prefix}:default:outbox-herald_outbox-${rows[0]?.id}`)).toBe(1);
    expect(await env.jobIds()).toEqual(['o-4']);
  });

  it('a stream append inside a transaction is a row, appended once by the relay', async () => {
    const app = await env.boot();
    await inTransaction(env.client, () => app.dispatch(new LedgerEntry('l-1')));
    expect(await env.rows()).toBe(1);
    expect(await env.ledgerIds()).toEqual([]);
    await app.outbox?.relay();
    await waitFor('the row to be relayed', async () => (await env.rows()) === 0);
    expect(await env.ledgerIds()).toEqual(['l-1']);
  });

  it('outside a transaction, a push goes straight to the queue', async () => {
    const app = await env.boot();
    await app.dispatch(new OrderPlaced('o-5'));
    expect(await env.rows()).toBe(0);
    expect(await env.jobIds()).toEqual(['o-5']);
  });

  it('in-process connections (memory) are not written to the outbox, even inside a transaction', async () => {
    const app = await env.boot();
    FileNote.handled.length = 0;
    await inTransaction(env.client, () => app.dispatch(new NoteTaken('n-1')));
    await app.drain();
    expect(await env.rows()).toBe(0);
    expect(FileNote.handled).toEqual(['n-1']);
  });

  it('status() counts waiting rows and the age of the oldest', async () => {
    const app = await env.boot();
    expect(await app.outbox?.status()).toEqual({
      table: 'herald_outbox',
      waiting: 0,
      oldestAgeSeconds: undefined,
    });
    await inTransaction(env.client, async () => {
      await app.dispatch(new OrderPlaced('o-6'));
      await app.dispatch(new OrderPlaced('o-7'));
    });
    const status = await app.outbox?.status();
    expect(status?.waiting).toBe(2);
    expect(status?.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
  });
});
