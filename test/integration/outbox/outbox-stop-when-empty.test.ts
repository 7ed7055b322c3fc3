import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../support/transaction.js';
import { OrderPlaced, ShipOrder, useOutboxEnv } from './support/outbox-app.js';

describe('outbox: a stop-when-empty worker', () => {
  const env = useOutboxEnv();

  it('keeps working while committed rows wait for a relay, and stops once they ran', async () => {
    const app = await env.boot();
    ShipOrder.handled.length = 0;
    await inTransaction(env.client, () => app.dispatch(new OrderPlaced('o-1')));
    const worker = await app.work({ connection: 'redis', stopWhenEmpty: true });
    let stopped = false;
    void worker.stopped.then(() => {
      stopped = true;
    });
    // Several of the worker's empty checks (every 200 ms): the queue is empty, the outbox is not.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(stopped).toBe(false);
    await app.outbox?.relay();
    await worker.stopped;
    expect(ShipOrder.handled).toEqual(['o-1']);
    expect(await env.rows()).toBe(0);
  });
});
