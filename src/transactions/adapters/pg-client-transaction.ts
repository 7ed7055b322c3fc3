import type { TransactionSql } from '../transaction-scope.js';
import type { OrmTransaction } from './orm-scope.js';
import { pgAnswerRolledBack, pgTextOf, watchTransactionEnd } from './watch-transaction-end.js';

/** A node-postgres client, read by shape (no import of pg). */
export interface PgQueryable {
  query(text: string, params: unknown[]): Promise<{ readonly rows: Record<string, unknown>[] }>;
}

/** Whether `value` looks like a node-postgres client. */
export function isPgQueryable(value: unknown): value is PgQueryable {
  return typeof (value as { query?: unknown } | null | undefined)?.query === 'function';
}

/**
 * The scope parts of an ORM transaction that runs on one node-postgres client (knex's and
 * drizzle's node-postgres drivers): SQL on that client, and its COMMIT watched on `query`.
 */
export function pgClientTransaction(client: PgQueryable): OrmTransaction {
  const sql: TransactionSql = {
    query: async (text, params) => {
      const { rows } = await client.query(text, [...params]);
      return { rows };
    },
  };
  return {
    sql,
    watch: () => watchTransactionEnd(client, 'query', { textOf: pgTextOf, rolledBack: pgAnswerRolledBack }),
  };
}
