import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/index.js';
import { createTestDatabase } from '../support/postgres-database.js';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import { collect, createTempProject, type TempProject } from '../support/temp-project.js';
import { inTransaction } from '../support/transaction.js';
import { waitFor } from '../support/wait-for.js';
import {
  OUTBOX_PROJECT_CONFIG,
  OUTBOX_PROJECT_LISTENERS,
  ProjectOrder,
  ProjectShip,
} from './support/outbox-project.js';

describe('herald outbox:install, outbox:status, outbox:relay and queue:work with an outbox (real binary)', () => {
  let project: TempProject;
  let databaseUrl: string;
  let client: pg.Client;
  let env: Record<string, string>;
  const apps: Herald[] = [];

  beforeAll(async () => {
    project = createTempProject('herald-outbox');
    project.write('herald.config.ts', OUTBOX_PROJECT_CONFIG);
    project.write('src/listeners/order.ts', OUTBOX_PROJECT_LISTENERS);
    databaseUrl = await createTestDatabase('outbox_cli');
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    env = {
      TEST_REDIS_URL: testRedisUrl(),
      TEST_PREFIX: uniqueQueueName('cli-outbox'),
      DATABASE_URL: databaseUrl,
      OUT_FILE: join(project.dir, 'first.log'),
    };
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    env = {
      ...env,
      TEST_PREFIX: uniqueQueueName('cli-outbox'),
      OUT_FILE: join(project.dir, `${Date.now()}.log`),
    };
  });
  afterAll(async () => {
    await client?.end();
    project?.remove();
  });

  /** Commits `ids` as outbox rows from this process (the project's wire names). */
  async function commitOrders(...ids: string[]): Promise<void> {
    const app = await createHerald({
      listeners: [ProjectShip],
      queue: {
        default: 'redis',
        connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix: env.TEST_PREFIX } },
      },
      outbox: { url: databaseUrl },
    });
    apps.push(app);
    await inTransaction(client, async () => {
      for (const id of ids) await app.dispatch(new ProjectOrder(id));
    });
  }

  function handled(): string[] {
    const file = env.OUT_FILE ?? '';
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
  }

  it('outbox:install --sql prints the migration; outbox:install creates the table and can run again', async () => {
    const sql = await project.herald(['outbox:install', '--sql'], { env });
    expect(sql.code).toBe(0);
    expect(sql.stdout).toContain('CREATE TABLE IF NOT EXISTS herald_outbox (');
    for (let run = 0; run < 2; run++) {
      const result = await project.herald(['outbox:install'], { env });
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('outbox table herald_outbox is ready');
      expect(result.code).toBe(0);
    }
    const status = await project.herald(['outbox:status', '--json'], { env });
    expect(JSON.parse(status.stdout)).toEqual({ table: 'herald_outbox', waiting: 0 });
  }, 60_000);

  it('outbox:status shows committed rows; outbox:relay moves them and stops on SIGTERM', async () => {
    await project.herald(['outbox:install'], { env });
    await commitOrders('a-1', 'a-2');
    const status = await project.herald(['outbox:status'], { env });
    expect(status.stdout).toMatch(/^herald_outbox: 2 rows waiting, oldest \d+\.\d s$/m);
    const relay = project.spawnHerald(['outbox:relay'], { env });
    const done = collect(relay);
    await waitFor('the relay to empty the outbox', async () => {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM herald_outbox');
      return rows[0]?.n === '0';
    });
    relay.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/relayed 2 rows/);
    expect(result.stderr).toMatch(/stopped after 2 rows/);
  }, 60_000);

  it('queue:work --stop-when-empty relays waiting rows, runs their jobs, then exits; --no-relay leaves them', async () => {
    await project.herald(['outbox:install'], { env });
    await commitOrders('b-1');
    const idle = await project.herald(['queue:work', '--no-relay', '--stop-when-empty', '--max-time', '2'], {
      env,
    });
    expect(idle.code).toBe(0);
    expect(handled()).toEqual([]);
    const work = await project.herald(['queue:work', '--stop-when-empty'], { env, timeoutMs: 30_000 });
    expect(work.code).toBe(0);
    expect(handled()).toEqual(['b-1']);
  }, 60_000);

  it('outbox commands on an app without an outbox exit 1 saying what to add', async () => {
    const bare = createTempProject('herald-no-outbox');
    try {
      bare.write(
        'herald.config.ts',
        "import { defineConfig } from 'herald';\nexport default defineConfig({});\n",
      );
      const result = await bare.herald(['outbox:status']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'herald config has no "outbox": add outbox: { url: process.env.DATABASE_URL }',
      );
    } finally {
      bare.remove();
    }
  }, 30_000);
});
