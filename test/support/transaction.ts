import type pg from 'pg';
import { runInTransaction, TransactionScope } from '../../src/transactions/transaction-scope.js';

/**
 * Runs `fn` inside a transaction opened by hand on `client` (BEGIN, then COMMIT, or ROLLBACK when
 * `outcome` says so or `fn` throws), with a TransactionScope over that client as the current
 * transaction: what the `herald/pg` adapter does, without depending on it.
 *
 * @example
 * await inTransaction(client, () => herald.dispatch(new OrderShipped('o-1')));
 */
export async function inTransaction<T>(
  client: pg.ClientBase,
  fn: () => Promise<T>,
  outcome: 'commit' | 'rollback' = 'commit',
): Promise<T> {
  await client.query('BEGIN');
  const scope = new TransactionScope({
    query: (text, params) => client.query(text, params as unknown[]),
  });
  let result: T;
  try {
    result = await runInTransaction(scope, fn);
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  await client.query(outcome === 'commit' ? 'COMMIT' : 'ROLLBACK');
  return result;
}
