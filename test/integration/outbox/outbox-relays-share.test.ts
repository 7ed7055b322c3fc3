import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../support/transaction.js';
import { waitFor } from '../../support/wait-for.js';
import { OrderPlaced, useOutboxEnv } from './support/outbox-app.js';

describe('outbox relays side by side', () => {
  const env = useOutboxEnv();

  it('two relays share 1,000 rows (FOR UPDATE SKIP LOCKED): every row becomes exactly one job', async () => {
    const writer = await env.boot();
    // Ten transactions of 100 dispatches.
    for (let t = 0; t < 10; t++) {
      await inTransaction(env.client, async () => {
        await Promise.all(
          Array.from({ length: 100 }, (_, i) => writer.dispatch(new OrderPlaced(`o-${t * 100 + i}`))),
        );
      });
    }
    expect(await env.rows()).toBe(1000);
    const [a, b] = [await env.boot(), await env.boot()];
    const relays = await Promise.all([
      a.outbox?.relay({ batchSize: 25, pollInterval: 60_000 }),
      b.outbox?.relay({ batchSize: 25, pollInterval: 60_000 }),
    ]);
    await waitFor('every row to be relayed', async () => (await env.rows()) === 0, { timeoutMs: 30_000 });
    const ids = await env.jobIds();
    expect(ids).toHaveLength(1000);
    expect(new Set(ids).size).toBe(1000);
    expect(relays.reduce((sum, relay) => sum + (relay?.relayed ?? 0), 0)).toBe(1000);
  }, 60_000);
});
