import { EventDispatcher, type Herald } from 'herald';
import { transaction } from 'herald/pg';
import pg from 'pg';
import type { OrderPlaced } from '../events/order-placed.js';

/** A (pretend) payment refused after the order was inserted and dispatched: its transaction rolls back. */
export class PaymentDeclined extends Error {
  constructor(
    readonly orderId: string,
    rolledBack = true,
  ) {
    super(
      rolledBack
        ? `payment declined: order ${orderId} rolled back`
        : `payment declined for order ${orderId} (no database: its events were dispatched already)`,
    );
  }
}

/** A committed order, as the table holds it. */
export interface OrderRow {
  readonly id: string;
  readonly email: string;
  readonly sku: string;
  readonly quantity: number;
}

/**
 * The orders table on PostgreSQL (DATABASE_URL). Every order is saved inside
 * `transaction(herald, pool, ...)` from `herald/pg`, and `OrderPlaced` is dispatched inside it:
 * with the outbox (REDIS_URL too) its queued jobs and its stream entry are rows of the same
 * transaction; on the memory queue its `afterCommit` listeners wait for the commit in memory.
 * Either way an order that rolls back sends nothing.
 */
export class OrdersDatabase {
  /** Orders that rolled back in this run: id and email. */
  readonly rolledBack: { readonly orderId: string; readonly email: string }[] = [];
  readonly #herald: Herald;
  readonly #pool: pg.Pool;

  private constructor(herald: Herald, pool: pg.Pool) {
    this.#herald = herald;
    this.#pool = pool;
  }

  /**
   * Connects, creates the orders table when missing (empty for each run, like the activity log)
   * and, when the app has an outbox, its table (`herald outbox:install` does the same).
   */
  static async open(herald: Herald, url: string): Promise<OrdersDatabase> {
    const pool = new pg.Pool({ connectionString: url });
    await pool.query(
      'CREATE TABLE IF NOT EXISTS playground_orders (id text PRIMARY KEY, email text NOT NULL, sku text NOT NULL, quantity integer NOT NULL, placed_at timestamptz NOT NULL)',
    );
    await pool.query('TRUNCATE playground_orders');
    await herald.outbox?.install();
    return new OrdersDatabase(herald, pool);
  }

  /**
   * Saves the order and dispatches `OrderPlaced` in one transaction. With `declined`, a step after
   * both fails (a payment refused), so the transaction rolls back: no row, and nothing the
   * dispatch queued is ever delivered.
   */
  async place(order: OrderPlaced, declined: boolean): Promise<void> {
    const events = this.#herald.container.get(EventDispatcher);
    try {
      await transaction(this.#herald, this.#pool, async (client) => {
        await client.query(
          'INSERT INTO playground_orders (id, email, sku, quantity, placed_at) VALUES ($1, $2, $3, $4, $5)',
          [order.orderId, order.email, order.sku, order.quantity, order.placedAt],
        );
        await events.dispatch(order);
        if (declined) throw new PaymentDeclined(order.orderId);
      });
    } catch (error) {
      if (error instanceof PaymentDeclined)
        this.rolledBack.push({ orderId: order.orderId, email: order.email });
      throw error;
    }
  }

  /** The committed orders, oldest first. */
  async committed(): Promise<OrderRow[]> {
    const { rows } = await this.#pool.query<OrderRow>(
      'SELECT id, email, sku, quantity FROM playground_orders ORDER BY placed_at, id',
    );
    return rows;
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

/** Opens the orders database when DATABASE_URL is set; undefined keeps the API on memory only. */
export async function openOrdersDatabase(herald: Herald): Promise<OrdersDatabase | undefined> {
  const url = process.env.DATABASE_URL || undefined;
  return url === undefined ? undefined : OrdersDatabase.open(herald, url);
}
