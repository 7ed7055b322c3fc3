import { HeraldError } from '../errors.js';
import type { OutboxSink } from '../queue/job/outbox-sink.js';
import type { QueuedJob } from '../queue/job/queued-job.js';
import type {
  HeldRow,
  HeldRowTarget,
  TransactionScope,
  TransactionSql,
} from '../transactions/transaction-scope.js';
import type { OutboxStatements } from './outbox-sql.js';

/** PostgreSQL's code for a table that does not exist. */
const UNDEFINED_TABLE = '42P01';

/**
 * The error for a statement that failed because the outbox table is missing (naming the command
 * that creates it); any other error as it is.
 */
export function withInstallHint(error: unknown, table: string): unknown {
  if ((error as { code?: unknown } | null)?.code !== UNDEFINED_TABLE) return error;
  return new HeraldError(
    'queue_unavailable',
    `The outbox table ${table} does not exist: create it with \`herald outbox:install\` (or copy \`herald outbox:install --sql\` into a migration).`,
    { cause: error },
  );
}

/** The last row write queued on each transaction connection (savepoint levels share theirs). */
const lastWrite = new WeakMap<TransactionSql, Promise<unknown>>();

/**
 * Runs `write` after the writes already queued on `sql`. Dispatches made side by side in one
 * transaction (`Promise.all`) would otherwise send their INSERTs on one connection at once:
 * node-postgres queues them but warns that pg@9 will refuse it. A failed write does not stop the
 * ones queued behind it (each caller gets its own outcome).
 */
function oneAtATime<T>(sql: TransactionSql, write: () => Promise<T>): Promise<T> {
  const previous = lastWrite.get(sql) ?? Promise.resolve();
  const mine = previous.then(write, write);
  lastWrite.set(
    sql,
    mine.catch(() => {}),
  );
  return mine;
}

/**
 * Writes a job as an outbox row with the caller's transaction (pushOrWrite in
 * src/queue/job/outbox-sink.ts decides when). The row holds the connection and the whole
 * QueuedJob as JSON (wire-format data, options, stream), so the relay pushes exactly what the
 * dispatch would have pushed.
 *
 * A `herald/pg` transaction holds the rows and sends them with its COMMIT ({@link insertSql}),
 * then calls {@link committed}, which sends one NOTIFY outside the transaction. Other scopes
 * (the ORM adapters, which do not own the COMMIT) get the row at once, with a `pg_notify` in
 * the same statement that PostgreSQL delivers at their commit.
 */
export class OutboxWriter implements OutboxSink, HeldRowTarget {
  readonly #statements: OutboxStatements;
  readonly #notify: () => void;

  /** @param notify wakes the relays after a commit that saved held rows (fire-and-forget). */
  constructor(statements: OutboxStatements, notify: () => void) {
    this.#statements = statements;
    this.#notify = notify;
  }

  async write(scope: TransactionScope, connection: string, job: QueuedJob): Promise<void> {
    if (scope.holdsRows) {
      scope.holdRow({ target: this, connection, job: JSON.stringify(job) });
      return;
    }
    try {
      await oneAtATime(scope.sql, () =>
        scope.sql.query(this.#statements.insert, [connection, JSON.stringify(job)]),
      );
    } catch (error) {
      throw withInstallHint(error, this.#statements.table);
    }
  }

  insertSql(rows: readonly HeldRow[], literal: (value: string) => string): string {
    // Untyped literals: PostgreSQL reads each as the column's type (json, or jsonb in a migration).
    const values = rows.map((row) => `(${literal(row.connection)}, ${literal(row.job)})`).join(', ');
    return `INSERT INTO ${this.#statements.table} (connection, job) VALUES ${values}`;
  }

  committed(): void {
    this.#notify();
  }

  explain(error: unknown): unknown {
    return withInstallHint(error, this.#statements.table);
  }
}
