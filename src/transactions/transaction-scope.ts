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
 * Where held outbox rows go at the commit (the app's outbox writer): it renders the INSERT the
 * COMMIT is sent with, and is told once that commit succeeded.
 */
export interface HeldRowTarget {
  /** One INSERT of `rows` (all of this target), values escaped with `literal`; no trailing `;`. */
  insertSql(rows: readonly HeldRow[], literal: (value: string) => string): string;
  /** The error to report for a failed commit query (e.g. naming the missing table's fix). */
  explain(error: unknown): unknown;
  /** Called after a commit that saved rows of this target (wakes the relays). */
  committed(): void;
}

/** An outbox row held by a transaction that sends its rows with its COMMIT. */
export interface HeldRow {
  readonly target: HeldRowTarget;
  /** The queue connection the job goes to. */
  readonly connection: string;
  /** The QueuedJob as JSON text. */
  readonly job: string;
}

/**
 * One level of an open transaction: the outermost BEGIN, or a SAVEPOINT inside it. Held tasks
 * of a released savepoint move to its parent, so the outer commit runs them in dispatch order;
 * a savepoint that rolls back drops its own tasks and nothing of its parent's. Outbox rows held
 * until the COMMIT ({@link holdsRows}) follow the same rule.
 */
export class TransactionScope {
  readonly #held: AfterCommitTask[] = [];
  readonly #rows: HeldRow[] = [];
  /**
   * Whether outbox rows are held here and sent with the COMMIT (`herald/pg`, which owns the
   * COMMIT) instead of written at once through {@link sql}. A savepoint level inherits it.
   */
  readonly holdsRows: boolean;

  /**
   * @param sql runs SQL inside this transaction (the outbox's row goes through it).
   * @param parent the enclosing level when this is a savepoint.
   * @param holdsRows for an outermost level: hold outbox rows until the COMMIT.
   */
  constructor(
    readonly sql: TransactionSql,
    readonly parent: TransactionScope | undefined = undefined,
    holdsRows = false,
  ) {
    this.holdsRows = parent?.holdsRows ?? holdsRows;
  }

  /** Holds an outbox row until the outermost COMMIT (only where {@link holdsRows}). */
  holdRow(row: HeldRow): void {
    if (!this.holdsRows) throw new Error('holdRow() on a transaction that writes its rows at once');
    this.#rows.push(row);
  }

  /** The rows held at this level, in the order they were held, handing them over once. */
  takeRows(): HeldRow[] {
    return this.#rows.splice(0);
  }

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
    for (const row of this.takeRows()) this.parent.holdRow(row);
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
