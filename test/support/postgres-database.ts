import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import '../setup/provided-context.js';

/**
 * A fresh database on the suite's PostgreSQL (`inject('postgresUrl')`, or `adminUrl`), so test
 * files never see each other's tables; returns its URL.
 *
 * @example
 * const url = await createTestDatabase('outbox');
 */
export async function createTestDatabase(
  prefix = 'herald_test',
  adminUrl = inject('postgresUrl'),
): Promise<string> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
