import type { Herald } from '../../app.js';
import type { HeraldError } from '../../errors.js';
import { runHeld } from '../run-held.js';
import {
  currentTransaction,
  runInTransaction,
  TransactionScope,
  type TransactionSql,
} from '../transaction-scope.js';
import { requireHerald } from './require-herald.js';
import type { TransactionWatch } from './watch-transaction-end.js';

/** Options of `withTransaction` in `herald/kysely`, `herald/knex` and `herald/drizzle`. */
export interface WithTransactionOptions {
  /**
   * Called when held work fails after the ORM committed, with a `HeraldError` whose `committed`
   * is true. The ORM's transaction promise has resolved by then, so nothing else can report it.
   * Default: `process.emitWarning(error)` (a `warning` event on `process`; Node prints it).
   */
  readonly onError?: (error: HeraldError) => void;
}

/** What one ORM adapter hands the shared scope logic. */
export interface OrmTransaction {
  /** SQL on the transaction's connection (what the outbox writes its rows with). */
  readonly sql: TransactionSql;
  /** Starts watching for the ORM's COMMIT or ROLLBACK. */
  watch(): TransactionWatch;
}

/**
 * The scope logic of the ORM adapters: `fn` runs as a transaction scope; when it throws, what it
 * held is dropped (the ORM rolls back). When it returns, the ORM commits or rolls back after the
 * ORM's own callback returns, so the held work waits for that statement on the connection and
 * runs once it committed, after the ORM released the connection. Inside another scope, this is
 * a nested level (the ORM's savepoint): its held work joins the enclosing scope's on success.
 */
export async function withOrmScope<T>(
  herald: Herald,
  call: string,
  open: () => OrmTransaction | Promise<OrmTransaction>,
  fn: () => Promise<T>,
  options: WithTransactionOptions = {},
): Promise<T> {
  requireHerald(herald, call);
  const parent = currentTransaction();
  if (parent !== undefined) {
    const scope = new TransactionScope(parent.sql, parent);
    try {
      const result = await runInTransaction(scope, fn);
      scope.releaseIntoParent();
      return result;
    } finally {
      scope.takeHeld();
    }
  }
  const orm = await open();
  const scope = new TransactionScope(orm.sql);
  const watch = orm.watch();
  let result: T;
  try {
    result = await runInTransaction(scope, fn);
  } catch (error) {
    watch.stop();
    scope.takeHeld();
    throw error;
  }
  const held = scope.takeHeld();
  // Nothing held: no need to learn how the transaction ends.
  if (held.length === 0) {
    watch.stop();
    return result;
  }
  const report = options.onError ?? ((error: HeraldError) => process.emitWarning(error));
  void watch.ended.then(async (end) => {
    if (end !== 'committed') return;
    // Let the ORM finish first (mark its transaction done, release the connection).
    await new Promise<void>((resolve) => setImmediate(resolve));
    await runHeld(held).catch((error: HeraldError) => report(error));
  });
  return result;
}
