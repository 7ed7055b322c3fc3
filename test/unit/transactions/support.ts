import { runHeld } from '../../../src/transactions/run-held.js';
import {
  runInTransaction,
  TransactionScope,
  type TransactionSql,
} from '../../../src/transactions/transaction-scope.js';

/** No database here: these tests pin the held work, not SQL (test/integration/postgres does). */
const noSql: TransactionSql = {
  query: () => Promise.reject(new Error('no SQL in unit tests')),
};

/**
 * The scope life cycle every adapter follows, without a database: `fn` runs as a transaction
 * scope, then the transaction "commits" (held work runs, as the adapters run it) or "rolls back"
 * (held work is dropped). Rejects like an adapter's transaction when held work fails.
 */
export async function inTransaction<T>(
  fn: () => Promise<T>,
  end: 'commit' | 'rollback' = 'commit',
): Promise<T> {
  const scope = new TransactionScope(noSql);
  const result = await runInTransaction(scope, fn);
  const held = scope.takeHeld();
  if (end === 'commit') await runHeld(held);
  return result;
}
