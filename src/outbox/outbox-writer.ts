import { HeraldError } from '../errors.js';
import type { OutboxSink } from '../queue/job/outbox-sink.js';
import type { QueuedJob } from '../queue/job/queued-job.js';
import type { TransactionSql } from '../transactions/transaction-scope.js';
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

/**
 * Writes a job as an outbox row with the caller's transaction (pushOrWrite in
 * src/queue/job/outbox-sink.ts decides when). The row holds the connection and the whole
 * QueuedJob as JSON (wire-format data, options, stream), so the relay pushes exactly what the
 * dispatch would have pushed.
 */
export class OutboxWriter implements OutboxSink {
  readonly #statements: OutboxStatements;

  constructor(statements: OutboxStatements) {
    this.#statements = statements;
  }

  async write(sql: TransactionSql, connection: string, job: QueuedJob): Promise<void> {
    try {
      await sql.query(this.#statements.insert, [connection, JSON.stringify(job)]);
    } catch (error) {
      throw withInstallHint(error, this.#statements.table);
    }
  }
}
