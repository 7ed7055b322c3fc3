import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../support/transaction.js';
import { waitFor } from '../../support/wait-for.js';
import { OrderPlaced, useOutboxEnv } from './support/outbox-app.js';

/**
 * The bullmq driver sends a relay batch's push-onces together (one EXISTS pipeline, then one
 * pipeline of MULTI blocks: bullmq-once-batch.ts). Each row still keeps its own outcome: rows
 * pushed by an earlier relay add nothing, the others add their job, in the same batch.
 */
describe('outbox relay: one batch mixing rows already pushed and new rows', () => {
  const env = useOutboxEnv();

  it('adds a job for each new row only, and and every marker is set to expire after the grace period once the rows are deleted', async () => {
    const app = await env.boot();
    await inTransaction(env.client, async () => {
      for (let i = 0; i < 3; i++) await app.dispatch(new OrderPlaced(`o-${i}`));
    });
    // A relay that pushed and then failed to delete (what a crash leaves): jobs and rows both stay.
    await env.client.query(`CREATE OR REPLACE FUNCTION outbox_refuse_delete() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'delete refused (test)'; END $$ LANGUAGE plpgsql`);
    await env.client.query(
      'CREATE TRIGGER refuse_delete BEFORE DELETE ON herald_outbox FOR EACH ROW EXECUTE FUNCTION outbox_refuse_delete()',
    );
    try {
      const relay = await app.outbox?.relay({ pollInterval: 60_000 });
      await relay?.close();
    } finally {
      await env.client.query('DROP TRIGGER IF EXISTS refuse_delete ON herald_outbox');
    }
    expect(await env.rows()).toBe(3);
    await inTransaction(env.client, async () => {
      for (let i = 3; i < 6; i++) await app.dispatch(new OrderPlaced(`o-${i}`));
    });

    const relay = await app.outbox?.relay({ pollInterval: 60_000 });
    await relay?.close();

    expect(relay?.relayed).toBe(6);
    expect(await env.rows()).toBe(0);
    expect((await env.jobIds()).sort()).toEqual(['o-0', 'o-1', 'o-2', 'o-3', 'o-4', 'o-5']);
    // After the delete commits, each marker (7 days while in flight) is kept only for the grace
    // period (once-marker.ts: a late push of a cut-off relay still finds it), without the relay
    // waiting for it.
    await waitFor('the push-once markers to get the grace period', async () => {
      const markers = await env.redis.keys(`${env.prefix}:*:outbox:*`);
      const ttls = await Promise.all(markers.map((marker) => env.redis.pttl(marker)));
      return markers.length === 6 && ttls.every((ttl) => ttl > 0 && ttl <= 60_000);
    });
  });
});
