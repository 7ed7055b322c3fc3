/**
 * The playground: boots the orders API on herald, sends a scripted set of requests, and prints
 * an account of what every listener did. `npm run playground` (add `-- --serve` to keep the
 * server up, with the herald dashboard at /herald). With REDIS_URL set, queued listeners run in a
 * `herald queue:work` process, and the billing app (playground/billing) runs in another, reading
 * the orders stream.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createHerald, type Herald, loadConfig } from 'herald';
import { createDashboard } from 'herald/dashboard';
import { BILLING_NEEDS_REDIS, billingSettled, printBilling, resetOrdersStream } from './billing-account.js';
import { printOrders, ROLLED_BACK_STEP } from './database-account.js';
import { createOrdersServer } from './src/server.js';
import { type Activity, ActivityLog } from './src/services/activity-log.js';
import { openOrdersDatabase } from './src/services/orders-database.js';
import { Outbox } from './src/services/outbox.js';
import { BILLING_CONFIG, ORDERS_CONFIG, startWorker, stopWorker } from './workers.js';

const serve = process.argv.includes('--serve');

interface Step {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: Record<string, unknown>;
  readonly why: string;
}

const SCRIPT: Step[] = [
  { method: 'POST', path: '/login', body: { email: 'alice@example.com' }, why: 'a subscriber method (sync)' },
  {
    method: 'POST',
    path: '/orders',
    body: { email: 'alice@example.com', sku: 'kettle', quantity: 2 },
    why: 'sync stock, queued email, flaky queued CRM sync, wildcard audit',
  },
  {
    method: 'POST',
    path: '/orders',
    body: { email: 'bob@example.com', sku: 'teapot', quantity: 5 },
    why: 'the sync stock listener refuses: nothing after it runs',
  },
  {
    method: 'POST',
    path: '/orders',
    body: { email: 'carol@example.com', sku: 'kettle', quantity: 0 },
    why: 'orders takes an order for 0 kettles; billing cannot invoice it (a dead letter)',
  },
  {
    method: 'POST',
    path: '/orders/o-1/ship',
    body: { carrier: 'DHL' },
    why: 'a queued listener that always fails',
  },
  {
    method: 'POST',
    path: '/logout',
    body: { email: 'alice@example.com' },
    why: 'a queued subscriber method',
  },
  { method: 'GET', path: '/stock', why: 'what the sync listener changed' },
];

/** Queued outcomes the account waits for before printing (the same on memory and Redis): who, what, how often. */
const EXPECTED_QUEUED: readonly (readonly [string, string, number])[] = [
  ['SendOrderConfirmation', 'emailed', 2],
  ['SyncToCrm', 'synced', 2],
  ['NotifyWarehouse', 'failed()', 1],
  ['UserActivitySubscriber.onLogout', 'signed out', 1],
];

function settled(activities: readonly Activity[]): boolean {
  return EXPECTED_QUEUED.every(
    ([who, what, times]) => activities.filter((a) => a.who === who && a.what.includes(what)).length >= times,
  );
}

async function waitForQueuedWork(herald: Herald, usesRedis: boolean): Promise<void> {
  if (!usesRedis) {
    await herald.drain();
    return;
  }
  const deadline = Date.now() + 20_000;
  while (!settled(ActivityLog.read()) || !billingSettled(ActivityLog.read())) {
    if (Date.now() > deadline)
      throw new Error(
        `queued work did not finish in time; expected ${EXPECTED_QUEUED.map(([who, what]) => `${who}: ${what}`).join(', ')}, and billing's IssueInvoice: an invoice and a failed()`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function printAccount(herald: Herald, activities: readonly Activity[], connection: string): void {
  console.log('\nWhat the listeners did, in order:');
  for (const activity of activities.filter((a) => a.who !== 'IssueInvoice')) {
    const where = activity.pid === process.pid ? '' : ' (worker process)';
    console.log(`  ${activity.who.padEnd(32)} ${activity.what}${where}`);
  }
  console.log('\nOutbox:');
  const outbox = existsSync(Outbox.file) ? readFileSync(Outbox.file, 'utf8').trim().split('\n') : [];
  for (const line of outbox) console.log(`  ${line}`);
  console.log(`\nListeners of orders.placed, in run order (connection "${connection}"):`);
  for (const listener of herald.getListeners('orders.placed')) {
    console.log(
      `  ${listener.name.padEnd(24)} ${listener.queued ? `queued on "${listener.queue ?? 'default'}"` : 'sync'}`,
    );
  }
}

async function main(): Promise<void> {
  ActivityLog.reset();
  rmSync(Outbox.file, { force: true });
  const { config } = await loadConfig({ configPath: ORDERS_CONFIG });
  const herald = await createHerald(config);
  const orders = await openOrdersDatabase(herald); // DATABASE_URL: before the worker, whose relay reads the outbox
  const redisUrl = process.env.REDIS_URL || undefined;
  const usesRedis = herald.defaultConnection === 'redis' && redisUrl !== undefined;
  if (usesRedis) {
    await herald.flushFailed();
    await resetOrdersStream(redisUrl);
  }
  const worker = usesRedis ? await startWorker(ORDERS_CONFIG) : undefined;
  const billing = usesRedis ? await startWorker(BILLING_CONFIG) : undefined;
  // Without `authorize` the dashboard answers loopback requests only, which is where this serves.
  const dashboard = serve ? createDashboard({ herald, basePath: '/herald' }) : undefined;
  const server = createOrdersServer(herald, { orders, dashboard });
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(
    `herald playground: orders API on ${base}, queued listeners on "${herald.defaultConnection}"${usesRedis ? ' (a herald queue:work process)' : ' (in-process memory queue)'}${orders === undefined ? '' : ', orders saved in PostgreSQL'}\n`,
  );

  for (const step of orders === undefined ? SCRIPT : [...SCRIPT, ROLLED_BACK_STEP]) {
    const init: RequestInit = { method: step.method };
    if (step.body !== undefined) {
      init.body = JSON.stringify(step.body);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await fetch(`${base}${step.path}`, init);
    const reply = response.status === 204 ? '' : ` ${await response.text()}`;
    console.log(
      `${step.method} ${step.path} ${step.body === undefined ? '' : `${JSON.stringify(step.body)} `}→ ${response.status}${reply}`,
    );
    console.log(`   (${step.why})`);
  }

  await waitForQueuedWork(herald, usesRedis);
  printAccount(herald, ActivityLog.read(), herald.defaultConnection);
  if (orders !== undefined) await printOrders(orders, ActivityLog.read());
  const failed = await herald.failedJobs();
  console.log('\nFailed jobs (herald queue:failed):');
  for (const job of failed)
    console.log(`  ${job.listener} on ${job.event}: ${job.error} after ${job.attempts} attempts`);
  if (usesRedis) await printBilling(ActivityLog.read(), billing?.pid);
  else console.log(`\n${BILLING_NEEDS_REDIS}`);

  if (serve) {
    console.log(`\nServing on ${base} (Ctrl-C stops).`);
    console.log(`Dashboard on ${base}/herald (failed jobs, retry, live counters).`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
  dashboard?.close();
  server.close();
  // A browser's keep-alive connections to the dashboard would hold the process open.
  server.closeAllConnections();
  await Promise.all([stopWorker(worker), stopWorker(billing)]);
  await orders?.close();
  await herald.close();
}

await main();
