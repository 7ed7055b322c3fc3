import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { pgTable, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Herald, HeraldError } from '../../../src/index.js';
import { withTransaction } from '../../../src/transactions/adapters/drizzle.js';
import { useHerald } from '../../unit/dispatch/support.js';
import { expectSeen, OrderSaved, RecordSaved, reader, seen } from './orm-fixtures.js';
import { committedOrders, ordersDatabase } from './support.js';

const orders = pgTable('orders', { id: text('id').primaryKey() });

let db: NodePgDatabase;
let drizzlePool: pg.Pool;
let pool: pg.Pool;
beforeAll(async () => {
  const created = await ordersDatabase();
  pool = created.pool;
  reader.pool = pool;
  drizzlePool = new pg.Pool({ connectionString: created.url, max: 2 });
  db = drizzle(drizzlePool);
});
afterAll(() => drizzlePool.end());
beforeEach(async () => {
  seen.length = 0;
  await pool.query('TRUNCATE orders');
});

const boot = useHerald();
type Tx = Parameters<Parameters<NodePgDatabase['transaction']>[0]>[0];

async function save(herald: Herald, tx: Tx, id: string): Promise<void> {
  await tx.insert(orders).values({ id });
  await herald.dispatch(new OrderSaved(id));
}

describe('herald/drizzle withTransaction()', () => {
  it('commit - held events run after Drizzle commits, in dispatch order, outside the scope', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    const result = await db.transaction((tx) =>
      withTransaction(herald, tx, async () => {
        await save(herald, tx, 'd-1');
        await save(herald, tx, 'd-2');
        return 'saved';
      }),
    );
    expect(result).toBe('saved');
    await expectSeen(['d-1 visible=true scope=false', 'd-2 visible=true scope=false']);
  });

  it('rollback - a throwing callback drops held events', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    await expect(
      db.transaction((tx) =>
        withTransaction(herald, tx, async () => {
          await save(herald, tx, 'd-1');
          throw new Error('no');
        }),
      ),
    ).rejects.toThrow('no');
    await db.transaction((tx) => withTransaction(herald, tx, () => save(herald, tx, 'sentinel')));
    await expectSeen(['sentinel visible=true scope=false']);
    expect(await committedOrders(pool)).toEqual(['sentinel']);
  });

  it('a caught failed statement (PostgreSQL turns the COMMIT into ROLLBACK, Drizzle resolves) - held events are dropped', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    await db.transaction((tx) =>
      withTransaction(herald, tx, async () => {
        await save(herald, tx, 'd-1');
        await tx
          .insert(orders)
          .values({ id: 'd-1' })
          .catch(() => undefined);
      }),
    );
    expect(await committedOrders(pool)).toEqual([]);
    await db.transaction((tx) => withTransaction(herald, tx, () => save(herald, tx, 'sentinel')));
    await expectSeen(['sentinel visible=true scope=false']);
  });

  it('nested - a Drizzle savepoint that rolls back drops only its events; the rest run after the outer commit', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    await db.transaction((tx) =>
      withTransaction(herald, tx, async () => {
        await save(herald, tx, 'a');
        await tx
          .transaction((inner) =>
            withTransaction(herald, inner, async () => {
              await save(herald, inner, 'b');
              throw new Error('undo b');
            }),
          )
          .catch(() => undefined);
        await tx.transaction((inner) => withTransaction(herald, inner, () => save(herald, inner, 'c')));
      }),
    );
    await expectSeen(['a visible=true scope=false', 'c visible=true scope=false']);
    expect(await committedOrders(pool)).toEqual(['a', 'c']);
  });

  it('bad argument - the database instead of its tx fails with invalid_argument', async () => {
    const herald = await boot();
    await expect(withTransaction(herald, db as never, async () => 1)).rejects.toSatisfy((error) =>
      HeraldError.is(error, 'invalid_argument'),
    );
  });
});
