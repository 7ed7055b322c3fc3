import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startPostgresServer } from '../../support/postgres-server.js';

describe('the private PostgreSQL of the test setup', () => {
  it('answers on the provided URL and gives each test its own database', async () => {
    const client = new pg.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    await client.end();
    expect(rows[0]?.db).toBe('postgres');
  });

  const servers: { stop(): Promise<void> }[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  it('keeps committed rows across a SIGKILL and restart', async () => {
    const server = await startPostgresServer();
    servers.push(server);
    const url = await server.createDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE t (n int)');
    await client.query('INSERT INTO t VALUES (1), (2)');
    await client.end();
    await server.kill();
    await server.restart();
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    const { rows } = await again.query<{ n: number }>('SELECT n FROM t ORDER BY n');
    await again.end();
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
  }, 60_000);
});
