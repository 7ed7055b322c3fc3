import type { Knex } from 'knex';
import type { Herald } from '../../app.js';
import { HeraldError } from '../../errors.js';
import { type WithTransactionOptions, withOrmScope } from './orm-scope.js';
import { isPgQueryable, pgClientTransaction } from './pg-client-transaction.js';

export type { WithTransactionOptions } from './orm-scope.js';

const CALL = 'withTransaction() of herald/knex';

/**
 * Makes a Knex transaction a herald transaction scope: `afterCommit` events and listeners
 * dispatched in `fn` wait until Knex commits and are dropped when it rolls back; the outbox
 * writes its rows on the transaction's connection. Call it inside Knex's transaction callback,
 * around the work, with Knex's `trx`; it resolves with what `fn` returned. Held work runs after
 * the COMMIT, seen on the transaction's connection (not `trx.executionPromise`: Knex resolves it
 * on a `trx.rollback()` too); its failures go to `options.onError`. The `pg` client only.
 *
 * @example
 * import { withTransaction } from 'herald/knex';
 * await knex.transaction((trx) =>
 *   withTransaction(herald, trx, async () => {
 *     await trx('orders').update({ shipped: true }).where({ id });
 *     await herald.dispatch(new OrderShipped(id));
 *   }),
 * );
 */
export function withTransaction<T>(
  herald: Herald,
  trx: Knex.Transaction,
  fn: () => Promise<T>,
  options?: WithTransactionOptions,
): Promise<T> {
  return withOrmScope(
    herald,
    CALL,
    async () => {
      const client = (trx as { isTransaction?: unknown; client?: { acquireConnection?: unknown } } | null)
        ?.client;
      if (
        (trx as { isTransaction?: unknown } | null)?.isTransaction !== true ||
        typeof client?.acquireConnection !== 'function'
      ) {
        throw new HeraldError(
          'invalid_argument',
          `${CALL}: the second argument must be the trx Knex passes to knex.transaction((trx) => ...).`,
        );
      }
      // A transaction's client hands out its one connection: the one Knex commits on.
      const connection: unknown = await (client.acquireConnection as () => Promise<unknown>).call(client);
      if (!isPgQueryable(connection)) {
        throw new HeraldError('invalid_argument', `${CALL}: only Knex's "pg" client is supported.`);
      }
      return pgClientTransaction(connection);
    },
    fn,
    options,
  );
}
