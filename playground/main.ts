/**
 * The playground: boots the orders API on herald, sends a scripted set of requests, and prints
 * an account of what every listener did. `npm run playground` (add `-- --serve` to keep the
 * server up). With REDIS_URL set, queued listeners run in a `herald queue:work` process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createHerald, type Herald, loadConfig } from 'herald';
import { createOrdersServer } from './src/server.js';
import { type Activity, ActivityLog } from './src/services/activity-log.js';
import { Outbox } from './src/services/outbox.js';

const here = import.meta.dirname;
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

/** Queued outcomes the account waits for before printing (the same on memory and Redis). */
const EXPECTED_QUEUED = [
  'SendOrderConfirmation',
  'SyncToCrm: synced',
  'NotifyWarehouse: failed()',
  'UserActivitySubscriber.onLogout',
];

function settled(activities: readonly Activity[]): boolean {
  const seen = (who: string, what?: string) =>
    activities.some((a) => a.who === who && (what === undefined || a.what.includes(what)));
  return (
    seen('SendOrderConfirmation') &&
    seen('SyncToCrm', 'synced') &&
    seen('NotifyWarehouse', 'failed()') &&
    seen('UserActivitySubscriber.onLogout')
  );
}

async function startWorker(): Promise<ChildProcess> {
  const bin = join(here, '..', 'dist', 'cli', 'bin.js');
  const worker = spawn(
    process.execPath,
    [bin, 'queue:work', '--config', join(here, 'herald.config.ts'), '--concurrency', '5'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: process.env,
    },
  );
  await new Promise<void>((resolve, reject) => {
    let stderr = '';
    worker.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('herald: working')) resolve();
    });
    worker.once('exit', (code) => reject(new Error(`herald queue:work exited early (${code}): ${stderr}`)));
  });
  return worker;
}

async function waitForQueuedWork(herald: Herald, usesRedis: boolean): Promise<void> {
  if (!usesRedis) {
    await herald.drain();
    return;
  }
  const deadline = Date.now() + 20_000;
  while (!settled(ActivityLog.read())) {
    if (Date.now() > deadline)
      throw new Error(`queued work did not finish in time; expected ${EXPECTED_QUEUED.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function printAccount(herald: Herald, activities: readonly Activity[], connection: string): void {
  console.log('\nWhat the listeners did, in order:');
  for (const activity of activities) {
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
  const { config } = await loadConfig({ configPath: join(here, 'herald.config.ts') });
  const herald = await createHerald(config);
  const usesRedis = herald.defaultConnection === 'redis';
  if (usesRedis) await herald.flushFailed();
  const worker = usesRedis ? await startWorker() : undefined;
  const server = createOrdersServer(herald);
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(
    `herald playground: orders API on ${base}, queued listeners on "${herald.defaultConnection}"${usesRedis ? ' (a herald queue:work process)' : ' (in-process memory queue)'}\n`,
  );

  for (const step of SCRIPT) {
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
  const failed = await herald.failedJobs();
  console.log('\nFailed jobs (herald queue:failed):');
  for (const job of failed)
    console.log(`  ${job.listener} on ${job.event}: ${job.error} after ${job.attempts} attempts`);

  if (serve) {
    console.log(`\nServing on ${base} (Ctrl-C stops).`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  }
  server.close();
  if (worker !== undefined) {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
  }
  await herald.close();
}

await main();
