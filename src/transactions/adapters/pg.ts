import type { Pool, PoolClient } from 'pg';
import type { Herald } from '../../app.js';
import { HeraldError } from '../../errors.js';
import { runHeld } from '../run-held.js';
import {
  currentTransaction,
  type HeldRowTarget,
  runInTransaction,
  TransactionScope,
} from '../transaction-scope.js';
import { requireHerald } from './require-herald.js';

/** The client and herald app of each level opened here, so a nested call finds its client. */
const levels = new WeakMap<TransactionScope, { readonly herald: Herald; readonly client: PoolClient }>();

/**
 * Runs `fn` in a transaction on a client of a node-postgres `Pool` (BEGIN, then COMMIT, or
 * ROLLBACK when `fn` throws) and resolves with what `fn` returned. `afterCommit` events and
 * listeners dispatched inside wait for the commit and are dropped on rollback; outbox rows are
 * held and sent with the COMMIT (`INSERT ...; COMMIT`, one round trip; if it fails, everything
 * rolls back and this rejects with the cause), then one NOTIFY wakes the relays. Called inside another `transaction()` of the same herald
 * app, it opens a SAVEPOINT on that client instead (`pool` is not used): a savepoint that rolls
 * back drops only what was dispatched inside it. Do not run nested calls concurrently: they share
 * one client.
 *
 * The client always goes back to the pool; it is destroyed instead when BEGIN, COMMIT or ROLLBACK
 * failed, as its state is then unknown. After the commit the held work runs, in dispatch order,
 * outside the transaction; if some of it fails, all of it still runs and `transaction()` then
 * rejects with a `HeraldError` whose `committed` is true.
 *
 * @example
 * import { transaction } from 'herald/pg';
 * await transaction(herald, pool, async (client) => {
 *   await client.query('UPDATE orders SET shipped = true WHERE id = $1', [id]);
 *   await herald.dispatch(new OrderShipped(id)); // an afterCommit event: sent after COMMIT
 * });
 */
export async function transaction<T>(
  herald: Herald,
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  requireHerald(herald, 'transaction()');
  const current = currentTransaction();
  const level = current === undefined ? undefined : levels.get(current);
  if (current !== undefined && level !== undefined && level.herald === herald) {
    return savepoint(current, level.client, herald, fn);
  }
  if (typeof (pool as { connect?: unknown } | undefined)?.connect !== 'function') {
    throw new HeraldError(
      'invalid_argument',
      'transaction(): the second argument must be a node-postgres Pool (new Pool({ connectionString })).',
    );
  }
  const client = await pool.connect();
  let broken: unknown;
  let committed: TransactionScope;
  let targets: Set<HeldRowTarget>;
  let result: T;
  try {
    try {
      await client.query('BEGIN');
    } catch (error) {
      broken = error;
      throw error;
    }
    const scope = new TransactionScope(sqlOf(client), undefined, true);
    levels.set(scope, { herald, client });
    try {
      result = await runInTransaction(scope, () => fn(client));
    } catch (error) {
      scope.takeHeld();
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError;
      });
      throw error;
    }
    targets = await commit(client, scope, (error) => {
      broken = error;
    });
    committed = scope;
  } finally {
    // pg destroys a client released with an error instead of pooling it.
    client.release(broken === undefined ? undefined : toError(broken));
  }
  for (const target of targets) target.committed();
  await runHeld(committed.takeHeld());
  return result;
}

/**
 * Commits the outermost level. Its held outbox rows go in the same round trip: one simple-protocol
 * query `INSERT ...; COMMIT` (values escaped by node-postgres). When it fails the transaction is
 * rolled back and this rejects with the cause; `broken` is called when the connection's state is
 * unknown (its ROLLBACK failed too, or a plain COMMIT failed). Resolves with the rows' targets,
 * to be told of the commit.
 */
async function commit(
  client: PoolClient,
  scope: TransactionScope,
  broken: (error: unknown) => void,
): Promise<Set<HeldRowTarget>> {
  const rows = scope.takeRows();
  const targets = new Set(rows.map((row) => row.target));
  const inserts = [...targets].map((target) =>
    target.insertSql(
      rows.filter((row) => row.target === target),
      (value) => client.escapeLiteral(value),
    ),
  );
  let answer: unknown;
  try {
    answer = await client.query([...inserts, 'COMMIT'].join('; '));
  } catch (error) {
    scope.takeHeld();
    if (inserts.length === 0) {
      broken(error);
      throw error;
    }
    // A failed INSERT left the transaction open and aborted (PostgreSQL skipped the COMMIT); after
    // a failed COMMIT this ROLLBACK is a no-op with a warning.
    await client.query('ROLLBACK').catch((rollbackError: unknown) => broken(rollbackError));
    if ((error as { code?: unknown }).code === IN_FAILED_TRANSACTION) throw aborted();
    throw [...targets].reduce((explained, target) => target.explain(explained), error);
  }
  // PostgreSQL answers COMMIT of an aborted transaction (a statement failed and `fn` caught the
  // error) with ROLLBACK, and no error. With rows, the INSERT fails instead (handled above).
  const last: unknown = Array.isArray(answer) ? answer.at(-1) : answer;
  if ((last as { command?: unknown } | undefined)?.command === 'ROLLBACK') {
    scope.takeHeld();
    throw aborted();
  }
  return targets;
}

/** PostgreSQL's code for a statement sent in a transaction aborted by an earlier failure. */
const IN_FAILED_TRANSACTION = '25P02';

function aborted(): HeraldError {
  return new HeraldError(
    'transaction_aborted',
    'transaction(): PostgreSQL rolled the transaction back at COMMIT because a statement inside it failed (and the error was caught); nothing was saved and the after-commit work was dropped. Let the error reach transaction(), or use a nested transaction() (a SAVEPOINT) around statements that may fail.',
  );
}

/** A SAVEPOINT level inside an open transaction of this adapter. */
async function savepoint<T>(
  parent: TransactionScope,
  client: PoolClient,
  herald: Herald,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  let depth = 1;
  for (let level = parent.parent; level !== undefined; level = level.parent) depth++;
  const name = `herald_savepoint_${depth}`;
  await client.query(`SAVEPOINT ${name}`);
  const scope = new TransactionScope(parent.sql, parent);
  levels.set(scope, { herald, client });
  let result: T;
  try {
    result = await runInTransaction(scope, () => fn(client));
  } catch (error) {
    scope.takeHeld();
    // When this fails too, the error still reaches the outer transaction(), which rolls back.
    await client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    throw error;
  }
  await client.query(`RELEASE SAVEPOINT ${name}`);
  scope.releaseIntoParent();
  return result;
}

function sqlOf(client: PoolClient): TransactionScope['sql'] {
  return {
    query: async (text, params) => {
      const { rows } = await client.query(text, [...params]);
      return { rows };
    },
  };
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
