/**
 * The SQL of one outbox table. The table name was checked at boot to be a plain (optionally
 * schema-qualified) identifier (validate-outbox.ts), so it is written into the text as it is.
 */
export interface OutboxStatements {
  readonly table: string;
  /** The LISTEN/NOTIFY channel: the table name with `.` as `_`, lower case (how PostgreSQL folds it). */
  readonly channel: string;
  /** `CREATE ... IF NOT EXISTS` statements, in order (`herald outbox:install`). */
  readonly install: readonly string[];
  /** One row ($1 connection, $2 the job as JSON text) and its notification, in one statement. */
  readonly insert: string;
  /** Committed rows, oldest first, locked for this transaction ($1 how many); skips locked ones. */
  readonly claim: string;
  /** Deletes claimed rows ($1 their ids). */
  readonly delete: string;
  /**
   * `BEGIN` and {@link claim} of `limit` rows as one simple-protocol query text (one round trip;
   * the simple protocol takes no parameters, so the checked integer is written into the text).
   */
  claimInTransaction(limit: number): string;
  /** {@link delete} of `ids` (bigint ids as PostgreSQL sent them) and `COMMIT`, as one query text. */
  deleteAndCommit(ids: readonly string[]): string;
  /** How many rows wait and the age of the oldest, in seconds. */
  readonly status: string;
  /** One row if any committed row waits. */
  readonly any: string;
}

/** The statements of `table`. */
export function outboxStatements(table: string): OutboxStatements {
  const channel = table.toLowerCase().replace('.', '_').slice(0, 63);
  const dot = table.indexOf('.');
  const schema = dot === -1 ? [] : [`CREATE SCHEMA IF NOT EXISTS ${table.slice(0, dot)}`];
  return {
    table,
    channel,
    install: [
      ...schema,
      // bigserial: the relay takes rows in id order; the primary key is the index it reads by.
      // `job` is json (kept as written), the wire format plus the job's options and stream.
      `CREATE TABLE IF NOT EXISTS ${table} (\n  id bigserial PRIMARY KEY,\n  connection text NOT NULL,\n  job json NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n)`,
    ],
    // NOTIFY in a transaction is delivered at commit, and not at all on rollback: exactly when a
    // relay should wake. PostgreSQL folds the same notification made many times in one transaction.
    insert: `WITH written AS (INSERT INTO ${table} (connection, job) VALUES ($1, $2) RETURNING 1) SELECT pg_notify('${channel}', '') FROM written`,
    claim: `SELECT id, connection, job FROM ${table} ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    delete: `DELETE FROM ${table} WHERE id = ANY($1::bigint[])`,
    status: `SELECT count(*)::bigint AS waiting, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest FROM ${table}`,
    any: `SELECT 1 FROM ${table} LIMIT 1`,
    claimInTransaction: (limit) => {
      if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`claim limit ${limit}`);
      return `BEGIN; SELECT id, connection, job FROM ${table} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    },
    deleteAndCommit: (ids) => {
      // The ids come from our own claim, as text; checked anyway since they go into the SQL.
      for (const id of ids) if (!/^\d+$/.test(id)) throw new RangeError(`outbox row id ${id}`);
      return `DELETE FROM ${table} WHERE id = ANY('{${ids.join(',')}}'::bigint[]); COMMIT`;
    },
  };
}

/** `outbox:install --sql`: the statements as a script a migration can copy. */
export function installScript(statements: OutboxStatements): string {
  return `${statements.install.map((statement) => `${statement};`).join('\n')}\n`;
}
