import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs SQL on the connection that holds the open transaction. Adapters wrap their library's
 * transaction object in this shape (node-postgres `PoolClient.query`, kysely `sql`, knex `raw`,
 * drizzle `execute`), so the outbox writes its row with the caller's transaction whatever the
 * library.
 */
export interface TransactionSql {
  query(
    text: string,
    params: readonly unknown[],
  ): Promise<{ readonly rows: readonly Record<string, unknown>[] }>;
}

/** Work held until the outermost transaction commits; dropped when its own level rolls back. */
export type AfterCommitTask = () => Promise<void> | void;

/**
 * One level of an open transaction: the outermost BEGIN, or a SAVEPOINT inside it. Held tasks
 * of a released savepoint move to its parent, so the outer commit runs them in dispatch order;
 * a savepoint that rolls back drops its own tasks and nothing of its parent's.
 */
export class TransactionScope {
  readonly #held: AfterCommitTask[] = [];

  /**
   * @param sql runs SQL inside this transaction (the outbox's row goes through it).
   * @param parent the enclosing level when this is a savepoint.
   */
  constructor(
    readonly sql: TransactionSql,
    readonly parent: TransactionScope | undefined = undefined,
  ) {}

  /** Holds `task` until the outermost commit (after this level and all its parents commit). */
  afterCommit(task: AfterCommitTask): void {
    this.#held.push(task);
  }

  /** The tasks held at this level, in the order they were held, handing them over once. */
  takeHeld(): AfterCommitTask[] {
    return this.#held.splice(0);
  }

  /** A savepoint that released: its held tasks now wait for the parent's commit. */
  releaseIntoParent(): void {
    if (this.parent === undefined) throw new Error('releaseIntoParent() on the outermost transaction');
    for (const task of this.takeHeld()) this.parent.afterCommit(task);
  }
}

const storage = new AsyncLocalStorage<TransactionScope>();

/** The transaction level the current async context runs in, if any. */
export function currentTransaction(): TransactionScope | undefined {
  return storage.getStore();
}

/** Runs `fn` with `scope` as the current transaction level of every async call it makes. */
export function runInTransaction<T>(scope: TransactionScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn);
}

/**
 * Runs `fn` outside every transaction scope: held work runs after the commit, where a queued push
 * must go to its queue, not into the outbox of a transaction that has ended.
 */
export function runOutsideTransaction<T>(fn: () => T): T {
  return storage.exit(fn);
}
