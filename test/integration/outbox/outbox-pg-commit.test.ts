import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/index.js';
import { transaction } from '../../../src/transactions/adapters/pg.js';
import { waitFor } from '../../support/wait-for.js';
import { OrderPlaced, useOutboxEnv } from './support/outbox-app.js';

/**
 * `herald/pg` holds its outbox rows and sends them with the COMMIT (`INSERT ...; COMMIT`, one
 * round trip), then wakes the relays with a NOTIFY sent after the commit, outside it.
 */
describe('outbox with herald/pg: rows sent with the COMMIT', () => {
  const env = useOutboxEnv();
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: env.databaseUrl, max: 4 });
    await env.client.query('CREATE TABLE orders (id text PRIMARY KEY)');
  });
  afterAll(() => pool.end());

  /** Saves order `id` and dispatches OrderPlaced for it, in the current transaction. */
  const order = async (client: pg.PoolClient, id: string, app: Awaited<ReturnType<typeof env.boot>>) => {
    await client.query('INSERT INTO orders (id) VALUES ($1)', [id]);
    await app.dispatch(new OrderPlaced(id));
  };
  const orderExists = async (id: string) =>
    (await env.client.query('SELECT 1 FROM orders WHERE id = $1', [id])).rows.length === 1;
  /** The order id in each outbox row's job payload, in row order. */
  const storedIds = async () => {
    const { rows } = await env.client.query<{ payload: string }>(
      "SELECT (job->'data'->'payload')::text AS payload FROM herald_outbox ORDER BY id",
    );
    return rows.map((row) => orderIdIn(JSON.parse(row.payload)));
  };

  it('the rows are written only by the COMMIT, in dispatch order, escaped as they are', async () => {
    const app = await env.boot();
    const odd = `o-1 it's \\ "quoted" $$ ;`;
    await transaction(app, pool, async (client) => {
      await order(client, odd, app);
      await order(client, 'o-2', app);
      // Held until the COMMIT: not even this transaction sees them yet.
      const { rows } = await client.query('SELECT count(*)::int AS n FROM herald_outbox');
      expect(rows[0]?.n).toBe(0);
    });
    expect(await storedIds()).toEqual([odd, 'o-2']);
  });

  it('a rolled-back savepoint drops its rows; a released one hands them to the commit', async () => {
    const app = await env.boot();
    await transaction(app, pool, async (client) => {
      await order(client, 'o-3', app);
      await expect(
        transaction(app, pool, async () => {
          await order(client, 'o-4', app);
          throw new Error('roll back the savepoint');
        }),
      ).rejects.toThrow('roll back the savepoint');
      await transaction(app, pool, async () => {
        await order(client, 'o-5', app);
      });
      await order(client, 'o-6', app);
    });
    expect(await storedIds()).toEqual(['o-3', 'o-5', 'o-6']);
    expect(await orderExists('o-4')).toBe(false);
  });

  it('a commit wakes a waiting relay long before its poll interval (NOTIFY after the commit)', async () => {
    const app = await env.boot();
    // Ten minutes: without the notification this test times out.
    const relay = await app.outbox?.relay({ pollInterval: 600_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await transaction(app, pool, (client) => order(client, 'o-7', app));
    await waitFor('the committed row to be relayed', async () => (await env.rows()) === 0, {
      timeoutMs: 10_000,
    });
    expect(await env.jobIds()).toEqual(['o-7']);
    expect(relay?.relayed).toBe(1);
  });

  it('commits arriving while a NOTIFY is in flight still wake the relay (coalesced, not lost)', async () => {
    const app = await env.boot();
    const relay = await app.outbox?.relay({ pollInterval: 600_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ids = Array.from({ length: 20 }, (_, i) => `o-${100 + i}`);
    await Promise.all(ids.map((id) => transaction(app, pool, (client) => order(client, id, app))));
    await waitFor('every row to be relayed', async () => (await env.rows()) === 0, { timeoutMs: 10_000 });
    expect((await env.jobIds()).sort()).toEqual([...ids].sort());
    expect(relay?.relayed).toBe(20);
  });

  it('a burst of commits sends at most one NOTIFY per 10 ms, and the last commit still wakes the relay', async () => {
    const app = await env.boot();
    const listener = new pg.Client({ connectionString: env.databaseUrl });
    await listener.connect();
    let notifications = 0;
    listener.on('notification', () => notifications++);
    await listener.query('LISTEN herald_outbox');
    try {
      const relay = await app.outbox?.relay({ pollInterval: 600_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const heardBefore = notifications;
      const ids = Array.from({ length: 300 }, (_, i) => `o-${200 + i}`);
      const started = Date.now();
      let next = 0;
      // Three at a time: a NOTIFY per commit would be a hundred or more (one per round trip).
      const lane = async () => {
        while (next < ids.length) {
          const id = ids[next++] as string;
          await transaction(app, pool, (client) => order(client, id, app));
        }
      };
      await Promise.all([lane(), lane(), lane()]);
      await waitFor('every row to be relayed', async () => (await env.rows()) === 0, { timeoutMs: 10_000 });
      const elapsed = Date.now() - started;
      const sent = notifications - heardBefore;
      expect(sent).toBeGreaterThan(0);
      // Starts at least 10 ms apart: one at the first commit, then one per 10 ms at most (8 ms
      // here, for timers that fire a little early; sent back to back they were ~4x as many).
      expect(sent).toBeLessThanOrEqual(Math.floor(elapsed / 8) + 1);
      expect(relay?.relayed).toBe(ids.length);
    } finally {
      await listener.end();
    }
  });

  it('a row the database refuses at COMMIT rolls everything back and rejects with the cause', async () => {
    const app = await env.boot();
    await env.client.query(
      'ALTER TABLE herald_outbox ADD CONSTRAINT no_o9 CHECK (job::text NOT LIKE \'%"o-9"%\')',
    );
    try {
      const error = await transaction(app, pool, (client) => order(client, 'o-9', app)).catch((e) => e);
      expect((error as { code?: string }).code).toBe('23514');
      expect((error as Error).message).toContain('no_o9');
      expect(await orderExists('o-9')).toBe(false);
      expect(await env.rows()).toBe(0);
    } finally {
      await env.client.query('ALTER TABLE herald_outbox DROP CONSTRAINT no_o9');
    }
    // The connections went back usable: the next transactions commit.
    for (let i = 0; i < 4; i++) await transaction(app, pool, (client) => order(client, `o-1${i}`, app));
    expect(await storedIds()).toEqual(['o-10', 'o-11', 'o-12', 'o-13']);
  });

  it('a missing outbox table at COMMIT rejects naming outbox:install; nothing is committed', async () => {
    const app = await env.boot();
    await env.client.query('ALTER TABLE herald_outbox RENAME TO herald_outbox_away');
    try {
      const error = await transaction(app, pool, (client) => order(client, 'o-20', app)).catch((e) => e);
      expect(HeraldError.is(error, 'queue_unavailable')).toBe(true);
      expect((error as Error).message).toContain('herald outbox:install');
      expect(await orderExists('o-20')).toBe(false);
    } finally {
      await env.client.query('ALTER TABLE herald_outbox_away RENAME TO herald_outbox');
    }
    expect(await env.rows()).toBe(0);
  });

  it('rows held in a transaction a caught error aborted: transaction_aborted, nothing saved', async () => {
    const app = await env.boot();
    const error = await transaction(app, pool, async (client) => {
      await client.query('INSERT INTO orders (id) VALUES ($1)', ['o-30']);
      await client.query('SELECT 1/0').catch(() => undefined);
      await app.dispatch(new OrderPlaced('o-30'));
    }).catch((e) => e);
    expect(HeraldError.is(error, 'transaction_aborted')).toBe(true);
    expect(await orderExists('o-30')).toBe(false);
    expect(await env.rows()).toBe(0);
  });
});

/** The first string starting with `o-` anywhere in an encoded payload. */
function orderIdIn(value: unknown): string | undefined {
  if (typeof value === 'string') return value.startsWith('o-') ? value : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const inner of Object.values(value)) {
    const found = orderIdIn(inner);
    if (found !== undefined) return found;
  }
  return undefined;
}
