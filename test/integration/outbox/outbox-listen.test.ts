import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../support/transaction.js';
import { waitFor } from '../../support/wait-for.js';
import { OrderPlaced, useOutboxEnv } from './support/outbox-app.js';

describe('outbox relay: woken by NOTIFY', () => {
  const env = useOutboxEnv();

  it('a commit wakes a waiting relay long before its poll interval', async () => {
    const app = await env.boot();
    // Ten minutes: without the notification this test times out.
    const relay = await app.outbox?.relay({ pollInterval: 600_000 });
    // Let the relay finish its first (empty) batch and start waiting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await inTransaction(env.client, () => app.dispatch(new OrderPlaced('o-1')));
    await waitFor('the committed row to be relayed', async () => (await env.rows()) === 0, {
      timeoutMs: 10_000,
    });
    expect(await env.jobIds()).toEqual(['o-1']);
    expect(relay?.relayed).toBe(1);
  });

  it('a rollback sends no notification: the row never existed', async () => {
    const app = await env.boot();
    let batches = 0;
    await app.outbox?.relay({ pollInterval: 600_000, onRelayed: () => batches++ });
    await inTransaction(env.client, () => app.dispatch(new OrderPlaced('o-2')), 'rollback');
    await inTransaction(env.client, () => app.dispatch(new OrderPlaced('o-3')));
    await waitFor('the committed row to be relayed', async () => (await env.rows()) === 0);
    expect(await env.jobIds()).toEqual(['o-3']);
    expect(batches).toBe(1);
  });
});
