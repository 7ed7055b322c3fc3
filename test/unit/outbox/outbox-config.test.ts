import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createHerald, type HeraldConfig, HeraldError } from '../../../src/index.js';

async function bootError(outbox: unknown): Promise<HeraldError> {
  try {
    const app = await createHerald({ outbox } as HeraldConfig);
    await app.close();
  } catch (error) {
    if (HeraldError.is(error)) return error;
    throw error;
  }
  throw new Error('createHerald accepted the config');
}

describe('outbox config', () => {
  it.each([
    [{}, /exactly one of "url".*got neither: add url: process\.env\.DATABASE_URL/],
    [{ url: 'postgres://x/db', pool: new pg.Pool() }, /exactly one of "url".*got both: remove one/],
    [{ url: '' }, /"outbox\.url" must be a PostgreSQL URL/],
    [{ pool: {} }, /"outbox\.pool" must be a node-postgres Pool/],
    [
      { url: 'postgres://x/db', table: 'outbox; DROP TABLE users' },
      /"outbox\.table" must be a plain SQL table name/,
    ],
    [{ url: 'postgres://x/db', table: 'a.b.c' }, /"outbox\.table" must be a plain SQL table name/],
    [{ url: 'postgres://x/db', table: '' }, /"outbox\.table"/],
    [{ url: 'postgres://x/db', pollInterval: 0 }, /"outbox\.pollInterval" must be a positive number/],
    [
      { url: 'postgres://x/db', tabel: 'x' },
      /"outbox\.tabel" is not a config key \(known: url, pool, table, pollInterval\)/,
    ],
    ['postgres://x/db', /"outbox" must be an object like \{ url: process\.env\.DATABASE_URL \}/],
  ])('refuses %j with config_invalid naming the fix', async (outbox, message) => {
    const error = await bootError(outbox);
    expect(error.kind).toBe('config_invalid');
    expect(error.message).toMatch(message);
  });

  it('takes a url, a schema-qualified table, or a pool; an app without outbox has none', async () => {
    const pool = new pg.Pool();
    for (const outbox of [
      { url: 'postgres://x/db' },
      { url: 'postgres://x/db', table: 'app.herald_outbox', pollInterval: 1000 },
      { pool },
    ]) {
      const app = await createHerald({ outbox });
      expect(app.outbox?.table).toBe(outbox.table ?? 'herald_outbox');
      await app.close();
    }
    const plain = await createHerald({});
    expect(plain.outbox).toBeUndefined();
    await plain.close();
    await pool.end();
  });

  it('installSql() prints the statements a migration can copy, with the schema when qualified', async () => {
    const app = await createHerald({ outbox: { url: 'postgres://x/db', table: 'app.events_outbox' } });
    const sql = app.outbox?.installSql() ?? '';
    expect(sql).toContain('CREATE SCHEMA IF NOT EXISTS app;');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS app.events_outbox (');
    expect(sql).toContain('id bigserial PRIMARY KEY');
    await app.close();
  });
});
