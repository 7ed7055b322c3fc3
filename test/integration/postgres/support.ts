import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import '../../setup/provided-context.js';

/**
 * A fresh database on the test run's PostgreSQL (`inject('postgresUrl')`) with a table
 * `orders (id text primary key)`, and a pool on it that is ended after the file's tests.
 */
export async function ordersDatabase(): Promise<{ url: string; pool: pg.Pool }> {
  const base = inject('postgresUrl');
  const name = `herald_scope_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  afterAll(() => pool.end());
  await pool.query('CREATE TABLE orders (id text PRIMARY KEY)');
  return { url: url.toString(), pool };
}

/** The order ids committed so far, read on a connection of its own. */
export async function committedOrders(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM orders ORDER BY id');
  return rows.map((row) => row.id);
}
