import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import {
  createDashboard,
  type DashboardHandler,
  type DashboardOptions,
} from '../../../../src/dashboard/index.js';
import { createHerald, type FailedJob, type Herald, type HeraldWorker } from '../../../../src/index.js';
import { launchBrowser } from '../../../support/browser.js';
import { testRedisUrl, uniqueQueueName } from '../../../support/redis-url.js';
import { waitFor } from '../../../support/wait-for.js';
import { OrderPlaced, paymentOutage, SHOP_LISTENERS } from './shop.js';

/** The shop app, its in-process worker, one browser page and the dashboards it serves. */
export interface ShopDashboard {
  readonly herald: Herald;
  readonly page: Page;
  /** The dashboard (default options) at `<origin>/herald`. */
  readonly url: string;
  /** Console messages of `page`, as `<type>: <text>`. */
  readonly console: string[];
  /** Serves another dashboard of the same app (e.g. read-only); resolves with its `/herald` URL. */
  serve(options: Omit<DashboardOptions, 'herald' | 'basePath'>): Promise<string>;
  /** Dispatches an order whose payment fails; resolves with its failed CapturePayment job. */
  failOrder(orderId: string, note?: string): Promise<FailedJob>;
}

/**
 * For a browser test file: before all, boots the shop on a bullmq connection with a private
 * prefix on the test Redis, starts a real worker in-process (`herald.work()`), serves the
 * dashboard at `/herald` on a real server and opens one Chromium page; after all, closes them.
 * One browser per file keeps the suite fast; tests reuse the page.
 */
export function useShopDashboard(): ShopDashboard {
  const servers: Server[] = [];
  const handlers: DashboardHandler[] = [];
  const messages: string[] = [];
  let herald: Herald | undefined;
  let worker: HeraldWorker | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let url: string | undefined;

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is set up in beforeAll`);
    return value;
  };

  async function serve(options: Omit<DashboardOptions, 'herald' | 'basePath'>): Promise<string> {
    const handler = createDashboard({ ...options, herald: need(herald, 'herald'), basePath: '/herald' });
    handlers.push(handler);
    const server = createServer((request, response) => handler(request, response));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/herald`;
  }

  beforeAll(async () => {
    herald = await createHerald({
      listeners: SHOP_LISTENERS,
      queue: {
        default: 'redis',
        connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix: uniqueQueueName('shop') } },
      },
    });
    worker = await herald.work({ concurrency: 4 });
    url = await serve({});
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => messages.push(`${message.type()}: ${message.text()}`));
  });

  afterAll(async () => {
    await browser?.close();
    for (const handler of handlers) handler.close();
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    await worker?.close();
    await herald?.close();
  });

  async function failOrder(orderId: string, note = 'no funds'): Promise<FailedJob> {
    const app = need(herald, 'herald');
    paymentOutage.add(orderId);
    await app.dispatch(
      new OrderPlaced(orderId, `${orderId}@example.com`, note, {
        number: '4111 1111 1111 1111',
        holder: 'Ada',
      }),
    );
    let found: FailedJob | undefined;
    await waitFor(
      `CapturePayment of ${orderId} to fail`,
      async () => {
        const failed = await app.failedJobs({ limit: 100, withData: false });
        found = failed.find((job) => job.error.includes(`card declined for ${orderId}:`));
        return found !== undefined;
      },
      { timeoutMs: 15_000 },
    );
    return need(found, 'the failed job');
  }

  return {
    get herald() {
      return need(herald, 'herald');
    },
    get page() {
      return need(page, 'the page');
    },
    get url() {
      return need(url, 'the dashboard');
    },
    console: messages,
    serve,
    failOrder,
  };
}
