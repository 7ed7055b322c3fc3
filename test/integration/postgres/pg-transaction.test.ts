import type pg from 'pg';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Event, HeraldError, Listener } from '../../../src/index.js';
import { transaction } from '../../../src/transactions/adapters/pg.js';
import { currentTransaction } from '../../../src/transactions/transaction-scope.js';
import { useHerald } from '../../unit/dispatch/support.js';
import { committedOrders, ordersDatabase } from './support.js';

let pool: pg.Pool;
beforeAll(async () => {
  ({ pool } = await ordersDatabase());
});
const log: string[] = [];
beforeEach(async () => {
  log.length = 0;
  await pool.query('TRUNCATE orders');
});

@Event('pg-scope.order-placed', { afterCommit: true })
class OrderPlaced {
  constructor(readonly orderId: string) {}
}

@Listener(OrderPlaced)
class SeesTheRow {
  async handle(event: OrderPlaced): Promise<void> {
    // On another connection of the pool: the row is there only once the transaction committed.
    const visible = (await committedOrders(pool)).includes(event.orderId);
    log.push(`${event.orderId} visible=${visible} scope=${currentTransaction() !== undefined}`);
  }
}

@Listener(OrderPlaced, { afterCommit: true })
class FailsForBad {
  handle(event: OrderPlaced): void {
    if (event.orderId.startsWith('bad')) throw new Error(`cannot handle ${event.orderId}`);
  }
}

const boot = useHerald();

async function place(client: pg.PoolClient, herald: { dispatch(event: object): Promise<void> }, id: string) {
  await client.query('INSERT INTO orders (id) VALUES ($1)', [id]);
  await herald.dispatch(new OrderPlaced(id));
}

describe('herald/pg transaction()', () => {
  it('commit - held events run after COMMIT (the row is visible elsewhere), in dispatch order, outside the scope', async () => {
    const herald = await boot({ listeners: [SeesTheRow] });
    const result = await transaction(herald, pool, async (client) => {
      await place(client, herald, 'o-1');
      await place(client, herald, 'o-2');
      expect(log).toEqual([]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(log).toEqual(['o-1 visible=true scope=false', 'o-2 visible=true scope=false']);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('rollback - a throwing callback rolls back, drops held events, rejects with its error and releases the client', async () => {
    const herald = await boot({ listeners: [SeesTheRow] });
    const boom = new Error('boom');
    await expect(
      transaction(herald, pool, async (client) => {
        await place(client, herald, 'o-1');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(log).toEqual([]);
    expect(await committedOrders(pool)).toEqual([]);
    expect(pool.idleCount).toBe(pool.totalCount);
  });

  it('savepoints - a nested transaction() that rolls back drops only its own events; the commit runs the rest in order', async () => {
    const herald = await boot({ listeners: [SeesTheRow] });
    await transaction(herald, pool, async (client) => {
      await place(client, herald, 'a');
      await transaction(herald, pool, async (inner) => {
        expect(inner).toBe(client);
        await place(inner, herald, 'b');
        throw new Error('undo b');
      }).catch(() => undefined);
      await transaction(herald, pool, async (inner) => {
        await place(inner, herald, 'c');
        await transaction(herald, pool, (deeper) => place(deeper, herald, 'd'));
      });
      await place(client, herald, 'e');
    });
    expect(await committedOrders(pool)).toEqual(['a', 'c', 'd', 'e']);
    expect(log).toEqual([
      'a visible=true scope=false',
      'c visible=true scope=false',
      'd visible=true scope=false',
      'e visible=true scope=false',
    ]);
  });

  it('a listener failing after the commit - rejects with committed: true; the rows stay and the other held work ran', async () => {
    const herald = await boot({ listeners: [FailsForBad, SeesTheRow] });
    const error = await transaction(herald, pool, async (client) => {
      await place(client, herald, 'bad-1');
      await place(client, herald, 'good-2');
    }).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'listener_failed')).toBe(true);
    expect((error as HeraldError).committed).toBe(true);
    expect(((error as HeraldError).cause as Error).message).toBe('cannot handle bad-1');
    expect(await committedOrders(pool)).toEqual(['bad-1', 'good-2']);
    // bad-1's dispatch stopped at its failing listener (as any dispatch does); good-2's still ran.
    expect(log).toEqual(['good-2 visible=true scope=false']);
  });

  it('COMMIT answered with ROLLBACK (a failed statement was caught) - rejects with transaction_aborted and drops held events', async () => {
    const herald = await boot({ listeners: [SeesTheRow] });
    const error = await transaction(herald, pool, async (client) => {
      await place(client, herald, 'o-1');
      await client.query('SELECT 1/0').catch(() => undefined);
    }).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'transaction_aborted')).toBe(true);
    expect(log).toEqual([]);
    expect(await committedOrders(pool)).toEqual([]);
  });

  it('a failed ROLLBACK (connection killed) - rejects with the callback error and leaves no dead client in the pool', async () => {
    const herald = await boot({ listeners: [SeesTheRow] });
    await expect(
      transaction(herald, pool, async (client) => {
        client.on('error', () => undefined);
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await pool.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
        throw new Error('after the connection died');
      }),
    ).rejects.toThrow('after the connection died');
    // As many queries at once as the pool holds clients: a dead client pooled again would fail one.
    await Promise.all(Array.from({ length: 4 }, () => pool.query('SELECT 1')));
    expect(await committedOrders(pool)).toEqual([]);
  });

  it('bad arguments - a non-herald or a non-pool first fails with invalid_argument', async () => {
    const herald = await boot();
    await expect(transaction({} as never, pool, async () => 1)).rejects.toSatisfy((error) =>
      HeraldError.is(error, 'invalid_argument'),
    );
    await expect(transaction(herald, {} as never, async () => 1)).rejects.toSatisfy((error) =>
      HeraldError.is(error, 'invalid_argument'),
    );
  });
});
