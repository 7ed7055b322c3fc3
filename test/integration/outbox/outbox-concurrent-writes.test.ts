import { describe, expect, it } from 'vitest';
import { runInTransaction, TransactionScope } from '../../../src/transactions/transaction-scope.js';
import { OrderPlaced, useOutboxEnv } from './support/outbox-app.js';

describe('outbox rows of dispatches made side by side in one transaction', () => {
  const env = useOutboxEnv();

  it('are written one at a time on the transaction connection (pg@9 refuses overlapping queries), all of them, in dispatch order', async () => {
    const app = await env.boot();
    let running = 0;
    let most = 0;
    // A scope that writes rows at once (as the ORM adapters' do), counting queries in flight.
    const scope = new TransactionScope({
      async query(text, params) {
        running++;
        most = Math.max(most, running);
        try {
          return await env.client.query(text, params as unknown[]);
        } finally {
          running--;
        }
      },
    });
    await env.client.query('BEGIN');
    await runInTransaction(scope, () =>
      Promise.all(Array.from({ length: 50 }, (_, i) => app.dispatch(new OrderPlaced(`o-${i}`)))),
    );
    await env.client.query('COMMIT');
    expect(most).toBe(1);
    const { rows } = await env.client.query<{ job: string }>(
      'SELECT job::text AS job FROM herald_outbox ORDER BY id',
    );
    const ids = rows.map((row) => /"(o-\d+)"/.exec(row.job)?.[1]);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => `o-${i}`));
  });
});
