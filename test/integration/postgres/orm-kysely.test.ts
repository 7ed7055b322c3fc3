import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Herald, HeraldError } from '../../../src/index.js';
import { withTransaction } from '../../../src/transactions/adapters/kysely.js';
import { useHerald } from '../../unit/dispatch/support.js';
import { expectSeen, OrderSaved, RecordSaved, reader, seen } from './orm-fixtures.js';
import { committedOrders, ordersDatabase } from './support.js';

interface Database {
  orders: { id: string };
}

let db: Kysely<Database>;
let pool: pg.Pool;
beforeAll(async () => {
  const created = await ordersDatabase();
  pool = created.pool;
  reader.pool = pool;
  db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: created.url, max: 2 }) }),
  });
});
afterAll(() => db.destroy());
beforeEach(async () => {
  seen.length = 0;
  await pool.query('TRUNCATE orders');
});

const boot = useHerald();

async function save(herald: Herald, trx: Kysely<Database>, id: string): Promise<void> {
  await trx.insertInto('orders').values({ id }).execute();
  await herald.dispatch(new OrderSaved(id));
}

describe('herald/kysely withTransaction()', () => {
  it('commit - held events run after Kysely commits, in dispatch order, outside the scope', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    const result = await db.transaction().execute((trx) =>
      withTransaction(herald, trx, async () => {
        await save(herald, trx, 'k-1');
        await save(herald, trx, 'k-2');
        return 'saved';
      }),
    );
    expect(result).toBe('saved');
    await expectSeen(['k-1 visible=true scope=false', 'k-2 visible=true scope=false']);
  });

  it('rollback - a throwing callback drops held events', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    await expect(
      db.transaction().execute((trx) =>
        withTransaction(herald, trx, async () => {
          await save(herald, trx, 'k-1');
          throw new Error('no');
        }),
      ),
    ).rejects.toThrow('no');
    await db
      .transaction()
      .execute((trx) => withTransaction(herald, trx, () => save(herald, trx, 'sentinel')));
    await expectSeen(['sentinel visible=true scope=false']);
    expect(await committedOrders(pool)).toEqual(['sentinel']);
  });

  it('a caught failed statement (Kysely rejects the aborted COMMIT) - held events are dropped', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    await expect(
      db.transaction().execute((trx) =>
        withTransaction(herald, trx, async () => {
          await save(herald, trx, 'k-1');
          await trx
            .insertInto('orders')
            .values({ id: 'k-1' })
            .execute()
            .catch(() => undefined);
        }),
      ),
    ).rejects.toThrow();
    await db
      .transaction()
      .execute((trx) => withTransaction(herald, trx, () => save(herald, trx, 'sentinel')));
    await expectSeen(['sentinel visible=true scope=false']);
  });

  it('a listener failing after the commit - onError gets a HeraldError with committed: true', async () => {
    const herald = await boot({ listeners: [RecordSaved] });
    const errors: HeraldError[] = [];
    await db.transaction().execute((trx) =>
      withTransaction(
        herald,
        trx,
        async () => {
          await save(herald, trx, 'bad-1');
          await save(herald, trx, 'k-2');
        },
        { onError: (error) => errors.push(error) },
      ),
    );
    await expectSeen(['k-2 visible=true scope=false']);
    expect(errors).toHaveLength(1);
    expect(HeraldError.is(errors[0], 'listener_failed')).toBe(true);
    expect(errors[0]?.committed).toBe(true);
  });

  it('bad argument - the Kysely instance instead of its transaction fails with invalid_argument', async () => {
    const herald = await boot();
    await expect(withTransaction(herald, db as never, async () => 1)).rejects.toSatisfy((error) =>
      HeraldError.is(error, 'invalid_argument'),
    );
  });
});
