import type { Transaction } from 'kysely';
import type { Herald } from '../../app.js';
import { HeraldError } from '../../errors.js';
import type { TransactionSql } from '../transaction-scope.js';
import { type OrmTransaction, type WithTransactionOptions, withOrmScope } from './orm-scope.js';
import { pgAnswerRolledBack, watchTransactionEnd } from './watch-transaction-end.js';

export type { WithTransactionOptions } from './orm-scope.js';

/** Kysely's `DatabaseConnection`, read by shape so this entry never loads kysely itself. */
interface KyselyConnection {
  executeQuery(query: object): Promise<{ readonly rows: readonly Record<string, unknown>[] }>;
}

const CALL = 'withTransaction() of herald/kysely';

/**
 * Makes a Kysely transaction a herald transaction scope: `afterCommit` events and listeners
 * dispatched in `fn` wait until Kysely commits and are dropped when it rolls back; the outbox
 * writes its rows on the transaction's connection. Call it inside Kysely's transaction callback,
 * around the work, with Kysely's transaction object; it resolves with what `fn` returned.
 * Held work runs after the COMMIT, seen on the transaction's connection; its failures go to
 * `options.onError` (the Kysely promise has resolved by then). PostgreSQL dialect.
 *
 * @example
 * import { withTransaction } from 'herald/kysely';
 * await db.transaction().execute((trx) =>
 *   withTransaction(herald, trx, async () => {
 *     await trx.updateTable('orders').set({ shipped: true }).where('id', '=', id).execute();
 *     await herald.dispatch(new OrderShipped(id));
 *   }),
 * );
 */
export function withTransaction<T, DB>(
  herald: Herald,
  trx: Transaction<DB>,
  fn: () => Promise<T>,
  options?: WithTransactionOptions,
): Promise<T> {
  return withOrmScope(herald, CALL, () => open(trx), fn, options);
}

async function open(trx: unknown): Promise<OrmTransaction> {
  const executor = (trx as { isTransaction?: unknown; getExecutor?: () => unknown } | null)?.getExecutor;
  if ((trx as { isTransaction?: unknown } | null)?.isTransaction !== true || typeof executor !== 'function') {
    throw new HeraldError(
      'invalid_argument',
      `${CALL}: the second argument must be the transaction Kysely passes to db.transaction().execute((trx) => ...).`,
    );
  }
  // The transaction's executor always provides its one connection: the one Kysely commits on.
  const provider = executor.call(trx) as {
    provideConnection(
      consumer: (connection: KyselyConnection) => Promise<KyselyConnection>,
    ): Promise<KyselyConnection>;
  };
  const connection = await provider.provideConnection(async (found) => found);
  const sql: TransactionSql = {
    query: async (text, params) => {
      // A raw compiled query (kysely's CompiledQuery shape), built here so kysely is not imported.
      const { rows } = await connection.executeQuery({
        sql: text,
        parameters: [...params],
        query: { kind: 'RawNode', sqlFragments: [text], parameters: [] },
        queryId: { queryId: 'herald' },
      });
      return { rows };
    },
  };
  return {
    sql,
    watch: () =>
      watchTransactionEnd(connection, 'executeQuery', {
        textOf: (first) => (first as { sql?: string } | undefined)?.sql,
        // Kysely's PostgreSQL driver answers COMMIT with rows [{ command }].
        rolledBack: (answer) =>
          pgAnswerRolledBack((answer as { rows?: readonly unknown[] } | undefined)?.rows?.[0]),
      }),
  };
}
