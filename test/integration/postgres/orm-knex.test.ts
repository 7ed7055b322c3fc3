import knexFactory, { type Knex } from 'knex';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Herald, HeraldError } from '../../../src/index.js';
import { withTransaction } from '../../../src/transactions/adapters/knex.js';
import { useHerald } from '../../unit/dispatch/support.js';
import { expectSeen, OrderSaved, RecordSaved, reader, seen } from './orm-fixtures.js';
import { committedOrders, ordersDatabase } from './support.js';

let knex: Knex;
let pool: pg.Pool;
beforeAll(async () => {
  const created = await ordersDatabase();
  pool = created.pool;
  reader.pool = pool;
  knex = knexFactory({ client: 'pg', connection: created.url, pool: { min: 0, max: 2 } });
});
afterAll(() => knex.destroy());
beforeEach(async () => {
  seen.length = 0;
  await pool.query('TRUNCATE orders');
});

const boot = useHerald();

async function save(herald: Herald, trx: Knex.Transaction, id: string): Promise<void> {
  await trx('orders').insert({ id });
  await herald.dispatch(new OrderSaved(id));
}

describe('herald/knex withTransaction()', () => {
  it('commit - held events run after Knex commits, in dispatch order, outside the scope', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    const result = await knex.transaction((trx) =>
      withTransaction(herald, trx, async () => {
        await save(herald, trx, 'n-1');
        await save(herald, trx, 'n-2');
        return 'saved';
      }),
    );
    expect(result).toBe('saved');
    await expectSeen(['n-1 visible=true scope=false', 'n-2 visible=true scope=false']);
  });

  it('rollback - a throwing callback drops held events', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    await expect(
      knex.transaction((trx) =>
        withTransaction(herald, trx, async () => {
          await save(herald, trx, 'n-1');
          throw new Error('no');
        }),
      ),
    ).rejects.toThrow('no');
    await knex.transaction((trx) => withTransaction(herald, trx, () => save(herald, trx, 'sentinel')));
    await expectSeen(['sentinel visible=true scope=false']);
    expect(await committedOrders(pool)).toEqual(['sentinel']);
  });

  it('trx.rollback() without an error (Knex resolves executionPromise) - held events are still dropped', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    await knex.transaction(async (trx) => {
      await withTransaction(herald, trx, () => save(herald, trx, 'n-1'));
      await trx.rollback();
    });
    await knex.transaction((trx) => withTransaction(herald, trx, () => save(herald, trx, 'sentinel')));
    await expectSeen(['sentinel visible=true scope=false']);
  });

  it('nested - a Knex savepoint that rolls back drops only the events dispatched inside it', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    await knex.transaction((trx) =>
      withTransaction(herald, trx, async () => {
        await save(herald, trx, 'outer');
        await trx
          .transaction((inner) =>
            withTransaction(herald, inner, async () => {
              await save(herald, inner, 'inner');
              throw new Error('undo inner');
            }),
          )
          .catch(() => undefined);
      }),
    );
    await expectSeen(['outer visible=true scope=false']);
    expect(await committedOrders(pool)).toEqual(['outer']);
  });

  it('bad argument - the knex instance instead of its trx fails with invalid_argument', async () => {
    const herald = await boot();
    await expect(withTransaction(herald, knex as never, async () => 1)).rejects.toSatisfy((error) =>
      HeraldError.is(error, 'invalid_argument'),
    );
  });
});
