import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transaction } from '../../../src/transactions/adapters/pg.js';
import { waitFor } from '../../support/wait-for.js';
import {
  AFTER_COMMIT_LISTENERS,
  Booked,
  Closed,
  CountRefund,
  jobsIn,
  Memo,
  Paid,
  Refunded,
} from './support/after-commit-listeners.js';
import { useOutboxEnv } from './support/outbox-app.js';

/**
 * afterCommit with an outbox (real PostgreSQL and Redis): a held push to a shared connection is
 * an outbox row of the transaction, not a push held in memory until after the COMMIT.
 */
describe('outbox: afterCommit listeners and events', () => {
  const env = useOutboxEnv();
  let pool: pg.Pool;
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: env.databaseUrl, max: 2 });
  });
  afterAll(() => pool.end());

  const boot = () => env.boot({ listeners: AFTER_COMMIT_LISTENERS });

  it('a queued afterCommit listener is a row written inside the transaction: invisible before COMMIT, nothing pushed after it until a relay runs', async () => {
    const app = await boot();
    Memo.handled.length = 0;
    await transaction(app, pool, async () => {
      await app.dispatch(new Paid('a-1'));
      // Written on the transaction's connection: another connection does not see it yet.
      expect(await env.rows()).toBe(0);
      expect(Memo.handled).toEqual([]);
    });
    // Committed: the row is there and no job was pushed by the app itself.
    expect(await env.rows()).toBe(1);
    expect(await jobsIn(env.prefix)).toEqual([]);
    // The in-process (memory) afterCommit listener was held and pushed after the commit.
    await app.drain();
    expect(Memo.handled).toEqual(['a-1']);
    await app.outbox?.relay();
    await waitFor('the row to be relayed', async () => (await env.rows()) === 0);
    expect(await jobsIn(env.prefix)).toEqual(['Receipt:a-1']);
  });

  it('a rolled-back transaction, or a rolled-back savepoint, drops the afterCommit row', async () => {
    const app = await boot();
    Memo.handled.length = 0;
    await expect(
      transaction(app, pool, async () => {
        await app.dispatch(new Paid('a-2'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await transaction(app, pool, async () => {
      await app.dispatch(new Paid('a-3'));
      await transaction(app, pool, async () => {
        await app.dispatch(new Paid('a-4'));
        throw new Error('savepoint rolls back');
      }).catch(() => {});
    });
    await app.drain();
    expect(Memo.handled).toEqual(['a-3']);
    const { rows } = await env.client.query<{ job: { data: { payload: unknown } } }>(
      'SELECT job FROM herald_outbox',
    );
    expect(rows.map((row) => JSON.stringify(row.job.data.payload).match(/a-\d+/)?.[0])).toEqual(['a-3']);
    await app.outbox?.relay();
    await waitFor('the row to be relayed', async () => (await env.rows()) === 0);
    expect(await jobsIn(env.prefix)).toEqual(['Receipt:a-3']);
  });

  it('an afterCommit event with only queued listeners writes its job and its stream append as rows', async () => {
    const app = await boot();
    await transaction(app, pool, async () => {
      await app.dispatch(new Closed('a-5'));
      await app.dispatch(new Booked('l-5'));
    });
    expect(await env.rows()).toBe(2);
    expect(await jobsIn(env.prefix)).toEqual([]);
    expect(await env.ledgerIds()).toEqual([]);
    await app.outbox?.relay();
    await waitFor('the rows to be relayed', async () => (await env.rows()) === 0);
    expect(await jobsIn(env.prefix)).toEqual(['Archive:a-5']);
    expect(await env.ledgerIds()).toEqual(['l-5']);
  });

  it('an afterCommit event with only queued listeners that rolls back leaves no row', async () => {
    const app = await boot();
    await expect(
      transaction(app, pool, async () => {
        await app.dispatch(new Closed('a-6'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await env.rows()).toBe(0);
  });

  it('an afterCommit event with a sync listener is held whole: dispatched after the COMMIT, its push going straight to Redis', async () => {
    const app = await boot();
    CountRefund.seen.length = 0;
    await transaction(app, pool, async () => {
      await app.dispatch(new Refunded('a-7'));
      expect(CountRefund.seen).toEqual([]);
    });
    expect(CountRefund.seen).toEqual(['a-7']);
    expect(await env.rows()).toBe(0);
    expect(await jobsIn(env.prefix)).toEqual(['NotifyRefund:a-7']);
  });

  it('a faked afterCommit event is recorded at the commit and writes no row', async () => {
    const app = await boot();
    const fake = app.fake([Closed]);
    await transaction(app, pool, async () => {
      await app.dispatch(new Closed('a-8'));
      expect(fake.dispatched(Closed)).toEqual([]);
    });
    expect(fake.dispatched(Closed).map((event) => event.id)).toEqual(['a-8']);
    expect(await env.rows()).toBe(0);
    fake.restore();
  });
});
