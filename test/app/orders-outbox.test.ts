import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServerHandle, startPostgresServer } from '../support/postgres-server.js';
import { type RedisServerHandle, startRedisServer } from '../support/redis-server.js';
import { compiledAppTsconfig, REPO_ROOT, type RunResult } from '../support/temp-project.js';
import { createPackedProject, type PackedProject } from './packed-project.js';

// README "## After commit and the outbox" and "## Dashboard" as a user meets them: herald from
// `npm pack` in a project outside the repo, compiled with tsc and run with node. The app saves
// orders with `transaction()` from `herald/pg` (one commits, one rolls back), its queued listener
// goes through the outbox, a worker relays and runs it, and the app mounts `herald/dashboard`.

const EVENT = `import { Event } from 'herald';
@Event('orders.placed')
export class OrderPlaced {
  constructor(readonly orderId: string) {}
}
`;
const LISTENER = `import { appendFileSync } from 'node:fs';
import { Listener } from 'herald';
import { OrderPlaced } from '../events/order-placed.js';
@Listener(OrderPlaced, { queue: 'emails', afterCommit: true })
export class SendConfirmation {
  handle(event: OrderPlaced): void {
    appendFileSync(process.env.EMAILS as string, event.orderId + '\\n');
  }
}
`;
const CONFIG = `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/events', 'src/listeners'],
  queue: { default: 'redis', connections: { redis: { driver: 'bullmq', url: process.env.REDIS_URL } } },
  outbox: { url: process.env.DATABASE_URL },
});
`;
const PLACE = `import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHerald, loadConfig } from 'herald';
import { createDashboard } from 'herald/dashboard';
import { transaction } from 'herald/pg';
import pg from 'pg';
import { OrderPlaced } from './events/order-placed.js';

const herald = await createHerald((await loadConfig()).config);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
await pool.query('CREATE TABLE IF NOT EXISTS orders (id text PRIMARY KEY)');
const place = (id: string, fail: boolean) =>
  transaction(herald, pool, async (client) => {
    await client.query('INSERT INTO orders (id) VALUES ($1)', [id]);
    await herald.dispatch(new OrderPlaced(id));
    if (fail) throw new Error('payment declined');
  });
await place('o-1', false);
await place('o-2', true).catch((error: Error) => console.log('rolled back:', error.message));
const saved = await pool.query('SELECT id FROM orders ORDER BY id');
console.log('saved:', saved.rows.map((row) => row.id).join(','));

const dashboard = createDashboard({ herald, basePath: '/herald' });
const server = createServer((request, response) => dashboard(request, response));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const page = await fetch(\`http://127.0.0.1:\${(server.address() as AddressInfo).port}/herald/\`);
const html = await page.text();
console.log('dashboard:', page.status, html.includes('SendConfirmation') ? 'lists SendConfirmation' : 'no listener');
dashboard.close();
server.close();
await pool.end();
await herald.close();
`;

describe('orders with the outbox and the dashboard, herald from npm pack, compiled', () => {
  let redis: RedisServerHandle;
  let postgres: PostgresServerHandle;
  let project: PackedProject;
  let env: Record<string, string>;
  const herald = (args: readonly string[]): Promise<RunResult> =>
    project.node([join(project.dir, 'node_modules/herald/dist/cli/bin.js'), ...args], { cwd: 'dist', env });

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedisServer(), startPostgresServer()]);
    project = createPackedProject('herald-orders-outbox', ['typescript', '@types/node', '@types/pg']);
    env = {
      REDIS_URL: redis.url,
      DATABASE_URL: await postgres.createDatabase('orders'),
      EMAILS: join(project.dir, 'emails.txt'),
    };
    project.write('emails.txt', '');
    project.write('herald.config.ts', CONFIG);
    project.write('src/events/order-placed.ts', EVENT);
    project.write('src/listeners/send-confirmation.ts', LISTENER);
    project.write('src/place.ts', PLACE);
    project.write('tsconfig.json', compiledAppTsconfig('.', ['herald.config.ts', 'src'], ['node']));
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const built = await project.node([tsc, '-p', 'tsconfig.json']);
    expect(built.stdout + built.stderr).toBe('');
  }, 120_000);
  afterAll(async () => {
    project?.remove();
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });

  it('outbox:install, a committed and a rolled-back order, the dashboard, then a worker relays and emails only the committed one', async () => {
    const installed = await herald(['outbox:install']);
    expect(installed.code, installed.stderr).toBe(0);

    const placed = await project.node(['dist/src/place.js'], { env });
    expect(placed.stderr).toBe('');
    expect(placed.stdout).toContain('rolled back: payment declined');
    expect(placed.stdout).toContain('saved: o-1\n');
    expect(placed.stdout).toContain('dashboard: 200 lists SendConfirmation');

    const waiting = await herald(['outbox:status', '--json']);
    expect(waiting.code, waiting.stderr).toBe(0);
    expect(JSON.parse(waiting.stdout)).toMatchObject({ waiting: 1 });

    const worked = await herald(['queue:work', '--stop-when-empty']);
    expect(worked.code, worked.stderr).toBe(0);
    expect(readFileSync(env.EMAILS as string, 'utf8')).toBe('o-1\n');
    const drained = await herald(['outbox:status', '--json']);
    expect(JSON.parse(drained.stdout)).toMatchObject({ waiting: 0 });
  }, 120_000);
});
