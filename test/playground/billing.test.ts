// The playground's two services: the orders app appends every OrderPlaced to the `orders` stream,
// and the billing app (playground/billing), its own process with its own event class of the same
// wire name, reads it through its listener's consumer group. Each test has a private redis-server.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHerald, type Herald, loadConfig } from 'herald';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RedisServerHandle, startRedisServer } from '../support/redis-server.js';
import { collect, HERALD_BIN, JITI_BIN, REPO_ROOT } from '../support/temp-project.js';
import { waitFor } from '../support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-playground-billing-'));
const activityFile = join(dir, 'activity.jsonl');
// Set before the playground's modules load: its services read the environment when they do.
process.env.PLAYGROUND_ACTIVITY_FILE = activityFile;
process.env.PLAYGROUND_OUTBOX_FILE = join(dir, 'outbox.txt');

const BILLING_CONFIG = join(REPO_ROOT, 'playground', 'billing', 'herald.config.ts');
const ORDERS_CONFIG = join(REPO_ROOT, 'playground', 'herald.config.ts');
/** The orders stream's only partition, under the prefix both apps share. */
const ORDERS_STREAM = 'herald-playground:orders:0';

interface Activity {
  readonly pid: number;
  readonly who: string;
  readonly what: string;
}

function activities(): Activity[] {
  if (!existsSync(activityFile)) return [];
  return readFileSync(activityFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Activity);
}

const invoices = () => activities().filter((a) => a.who === 'IssueInvoice');

describe('the playground billing service (a second app reading the orders stream)', () => {
  let server: RedisServerHandle;
  let redis: Redis;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    rmSync(activityFile, { force: true });
    server = await startRedisServer();
    redis = new Redis(server.url);
  });

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    redis.disconnect();
    await server.stop();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const env = () => ({ ...process.env, NO_COLOR: '1', REDIS_URL: server.url });

  function herald(args: readonly string[]) {
    const child = spawn(process.execPath, [HERALD_BIN, ...args], { cwd: REPO_ROOT, env: env() });
    children.push(child);
    return child;
  }

  const groupsOf = async (stream: string) =>
    ((await redis.call('XINFO', 'GROUPS', stream)) as unknown[][]).map((fields) => String(fields[1]));

  it('npm run playground with REDIS_URL: billing runs in its own process, dead-letters the poison order, reads through group IssueInvoice', async () => {
    const child = spawn(process.execPath, [JITI_BIN, 'playground/main.ts'], {
      cwd: REPO_ROOT,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const result = await collect(child, 60_000);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const stdout = result.stdout;
    const billingAt = stdout.indexOf('Billing, a second service reading the "orders" stream');
    expect(billingAt).toBeGreaterThan(stdout.indexOf('Failed jobs (herald queue:failed)'));
    expect(stdout).toMatch(
      /IssueInvoice\s+invoiced alice@example\.com 60 EUR for o-\w+ .*\(billing process\)/,
    );
    expect(stdout).toMatch(
      /IssueInvoice\s+attempt 3\/3 for o-\w+: cannot invoice 0 kettle \(billing process\)/,
    );
    expect(stdout.match(/IssueInvoice\s+failed\(\) for/g)).toHaveLength(1);
    // bob's order was refused by the sync ReserveStock (409): a refused event never reaches the log.
    expect(stdout).not.toMatch(/IssueInvoice.*bob@example\.com/);
    expect(stdout).not.toContain('(pid ');

    // Billing ran in one process, neither the orders API's (sync ReserveStock) nor its worker's.
    const pids = (who: string) =>
      new Set(
        activities()
          .filter((a) => a.who === who)
          .map((a) => a.pid),
      );
    const [billingPid] = [...pids('IssueInvoice')];
    expect(pids('IssueInvoice').size).toBe(1);
    expect(pids('ReserveStock').has(billingPid as number)).toBe(false);
    expect(pids('SendOrderConfirmation').has(billingPid as number)).toBe(false);
    expect(pids('SendOrderConfirmation').size).toBe(1);

    const carol = /carol@example\.com.*→ 201 \{"orderId":"(o-\w+)"\}/.exec(stdout)?.[1];
    expect(carol).toBeDefined();
    const listed = await collect(
      herald(['stream:dead', 'IssueInvoice', '--json', '--config', BILLING_CONFIG]),
      30_000,
    );
    expect(listed.code).toBe(0);
    const letters = JSON.parse(listed.stdout) as {
      entryId: string;
      event: string;
      attempts: number;
      error: string;
    }[];
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      event: 'orders.placed',
      attempts: 3,
      error: 'cannot invoice 0 kettle',
    });
    const [entry] = await redis.xrange(ORDERS_STREAM, letters[0]?.entryId ?? '', letters[0]?.entryId ?? '');
    expect(entry?.[1].join(' ')).toContain(carol as string);

    expect(await groupsOf(ORDERS_STREAM)).toEqual(['IssueInvoice']);
  }, 90_000);

  describe('the two apps run separately', () => {
    let orders: Herald | undefined;
    let api: Server | undefined;

    afterEach(async () => {
      if (api !== undefined) await new Promise((resolve) => api?.close(resolve));
      await orders?.close();
      api = undefined;
      orders = undefined;
    });

    /** The orders API in this process, on the private Redis (its config reads REDIS_URL). */
    async function startOrdersApi(): Promise<(email: string, quantity: number) => Promise<string>> {
      process.env.REDIS_URL = server.url;
      const { createOrdersServer } = await import('../../playground/src/server.js');
      const { config } = await loadConfig({ configPath: ORDERS_CONFIG });
      orders = await createHerald(config);
      api = createOrdersServer(orders);
      await new Promise<void>((resolve) => api?.listen(0, '127.0.0.1', resolve));
      const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
      return async (email, quantity) => {
        const response = await fetch(`${base}/orders`, {
          method: 'POST',
          body: JSON.stringify({ email, sku: 'kettle', quantity }),
          headers: { 'content-type': 'application/json' },
        });
        expect(response.status).toBe(201);
        return ((await response.json()) as { orderId: string }).orderId;
      };
    }

    it("an order placed before billing's worker ever ran is invoiced when it starts (startFrom 'start'), and later ones as they come", async () => {
      const placeOrder = await startOrdersApi();
      const early = await placeOrder('dave@example.com', 1);
      // Appended by the orders app alone: the log holds it, and no group reads it yet.
      expect(await redis.xlen(ORDERS_STREAM)).toBe(1);
      expect(await groupsOf(ORDERS_STREAM)).toEqual([]);

      const worker = herald(['queue:work', '--config', BILLING_CONFIG]);
      let stderr = '';
      worker.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await waitFor('billing to start working', () => stderr.includes('herald: working'), {
        describe: () => stderr,
      });
      await waitFor('the early order to be invoiced', () => invoices().length === 1, {
        describe: () => JSON.stringify(activities()),
      });
      const late = await placeOrder('erin@example.com', 3);
      await waitFor('the late order to be invoiced', () => invoices().length === 2, {
        describe: () => JSON.stringify(activities()),
      });

      expect(invoices().map((a) => a.what.replace(/ \(entry .*\)$/, ''))).toEqual([
        `invoiced dave@example.com 30 EUR for ${early}`,
        `invoiced erin@example.com 90 EUR for ${late}`,
      ]);
      expect(invoices().every((a) => a.pid === worker.pid && a.pid !== process.pid)).toBe(true);
      expect(await groupsOf(ORDERS_STREAM)).toEqual(['IssueInvoice']);

      const exited = collect(worker, 15_000);
      worker.kill('SIGTERM');
      expect((await exited).code).toBe(0);
    }, 60_000);
  });
});
