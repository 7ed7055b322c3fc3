import type { PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { TablesRelationalConfig } from 'drizzle-orm/relations';
import type { Herald } from '../../app.js';
import { HeraldError } from '../../errors.js';
import { type WithTransactionOptions, withOrmScope } from './orm-scope.js';
import { isPgQueryable, pgClientTransaction } from './pg-client-transaction.js';

export type { WithTransactionOptions } from './orm-scope.js';

const CALL = 'withTransaction() of herald/drizzle';

/**
 * Makes a Drizzle transaction a herald transaction scope: `afterCommit` events and listeners
 * dispatched in `fn` wait until Drizzle commits and are dropped when it rolls back; the outbox
 * writes its rows on the transaction's connection. Call it inside Drizzle's transaction
 * callback, around the work, with Drizzle's `tx`; it resolves with what `fn` returned. Held work
 * runs after the COMMIT, seen on the transaction's client; its failures go to
 * `options.onError`. The `drizzle-orm/node-postgres` driver only.
 *
 * @example
 * import { withTransaction } from 'herald/drizzle';
 * await db.transaction((tx) =>
 *   withTransaction(herald, tx, async () => {
 *     await tx.update(orders).set({ shipped: true }).where(eq(orders.id, id));
 *     await herald.dispatch(new OrderShipped(id));
 *   }),
 * );
 */
export function withTransaction<
  T,
  Q extends PgQueryResultHKT,
  F extends Record<string, unknown>,
  S extends TablesRelationalConfig,
>(
  herald: Herald,
  tx: PgTransaction<Q, F, S>,
  fn: () => Promise<T>,
  options?: WithTransactionOptions,
): Promise<T> {
  return withOrmScope(
    herald,
    CALL,
    () => {
      // The node-postgres session of a transaction holds the one client Drizzle commits on.
      const client = (tx as unknown as { session?: { client?: unknown } } | null)?.session?.client;
      if (
        !isPgQueryable(client) ||
        (typeof (client as { connect?: unknown }).connect === 'function' && 'totalCount' in client)
      ) {
        throw new HeraldError(
          'invalid_argument',
          `${CALL}: the second argument must be the tx drizzle-orm/node-postgres passes to db.transaction((tx) => ...).`,
        );
      }
      return pgClientTransaction(client);
    },
    fn,
    options,
  );
}
