/**
 * The billing part of the playground's account: billing (playground/billing) is a second app, in
 * its own process, that reads the orders app's `orders` stream on Redis through its own event
 * class and its listener's own consumer group.
 */
import { relative } from 'node:path';
import { Redis } from 'ioredis';
import type { Activity } from './src/services/activity-log.js';
import { BILLING_CONFIG, runHerald } from './workers.js';

const billingConfig = relative(process.cwd(), BILLING_CONFIG);

/** Printed instead of billing's account when there is no Redis: a stream lives on Redis only. */
export const BILLING_NEEDS_REDIS =
  'Billing (playground/billing) is a second service that reads the orders stream on Redis, in its own process: see it with REDIS_URL=redis://127.0.0.1:6379 npm run playground';

/**
 * Deletes the playground's `orders` stream and its groups, retries and dead letters (keys
 * `herald-playground:orders:*`, nothing else), so every run's account starts from an empty log,
 * as the orders side starts with `flushFailed()`.
 */
export async function resetOrdersStream(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'herald-playground:orders:*', 'COUNT', 100);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Whether billing has invoiced the good order and given up on the poison one (failed() ran). */
export function billingSettled(activities: readonly Activity[]): boolean {
  const billing = activities.filter((a) => a.who === 'IssueInvoice');
  return (
    billing.some((a) => a.what.includes('invoiced alice@example.com')) &&
    billing.some((a) => a.what.startsWith('failed()'))
  );
}

/** Billing's lines, marked as its process, and its dead letters as `herald stream:dead` lists them. */
export async function printBilling(
  activities: readonly Activity[],
  billingPid: number | undefined,
): Promise<void> {
  console.log('\nBilling, a second service reading the "orders" stream (group IssueInvoice):');
  for (const activity of activities.filter((a) => a.who === 'IssueInvoice')) {
    const where = activity.pid === billingPid ? ' (billing process)' : ` (pid ${activity.pid})`;
    console.log(`  ${activity.who.padEnd(32)} ${activity.what}${where}`);
  }
  console.log(`\nBilling's dead letters (herald stream:dead IssueInvoice --config ${billingConfig}):`);
  const listed = await runHerald(['stream:dead', 'IssueInvoice', '--config', BILLING_CONFIG]);
  for (const line of listed.trimEnd().split('\n')) console.log(`  ${line}`);
}
