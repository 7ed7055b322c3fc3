import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import {
  createDashboard,
  type DashboardHandler,
  type DashboardOptions,
} from '../../../src/dashboard/index.js';
import { createHerald, type Herald, type HeraldLogger } from '../../../src/index.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { AuditOrder, ChargeCard, OrderPlaced, ShipOrder } from './dashboard-listeners.js';

/** A real HTTP server on port 0 serving a dashboard, and requests to it. */
export interface DashboardServer {
  readonly url: string;
  readonly handler: DashboardHandler;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** A form POST, by default from this origin with no token. */
  post(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
}

/**
 * Registers cleanup and returns helpers: `app()` boots a herald on a private bullmq prefix (the
 * dashboard listeners), `serve()` starts a dashboard on a real server.
 */
export function useDashboards() {
  const servers: Server[] = [];
  const handlers: DashboardHandler[] = [];
  const apps: Herald[] = [];
  afterEach(async () => {
    for (const handler of handlers.splice(0)) handler.close();
    await Promise.all(
      servers.splice(0).map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    await Promise.allSettled(apps.splice(0).map((app) => app.close()));
  });

  async function app(logger?: HeraldLogger): Promise<Herald> {
    const herald = await createHerald({
      ...(logger === undefined ? {} : { logger }),
      listeners: [ChargeCard, ShipOrder, AuditOrder],
      queue: {
        default: 'redis',
        connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix: uniqueQueueName('dash') } },
      },
    });
    apps.push(herald);
    return herald;
  }

  async function serve(options: DashboardOptions, host = '127.0.0.1'): Promise<DashboardServer> {
    const handler = createDashboard(options);
    handlers.push(handler);
    const server = createServer((request: IncomingMessage, response: ServerResponse) =>
      handler(request, response),
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
    const { port } = server.address() as AddressInfo;
    const url = `http://${host}:${port}`;
    return {
      url,
      handler,
      get: (path, headers = {}) => fetch(`${url}${path}`, { headers, redirect: 'manual' }),
      post: (path, fields, headers = {}) =>
        fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url, ...headers },
          body: new URLSearchParams(fields).toString(),
          redirect: 'manual',
        }),
    };
  }

  return { app, serve };
}

/** The CSRF token of a dashboard page (its meta tag). */
export function csrfOf(page: string): string {
  const match = /<meta name="csrf-token" content="([^"]*)">/.exec(page);
  if (match?.[1] === undefined || match[1] === '') throw new Error('the page has no CSRF token');
  return match[1];
}

/** Values of `data-<attribute>` on elements with `data-testid="<testId>"`, in page order. */
export function testIdValues(page: string, testId: string, attribute: string): string[] {
  const values: string[] = [];
  const pattern = new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`, 'g');
  for (const tag of page.match(pattern) ?? []) {
    const value = new RegExp(`data-${attribute}="([^"]*)"`).exec(tag)?.[1];
    if (value !== undefined) values.push(value);
  }
  return values;
}

/**
 * Dispatches one OrderPlaced per note and works them until `failures` failed jobs are kept:
 * "fail:<error>" fails ChargeCard with that error, "ship!" fails ShipOrder.
 */
export async function failOrders(herald: Herald, notes: readonly string[], failures: number): Promise<void> {
  const worker = await herald.work({ concurrency: 4 });
  try {
    for (const [i, note] of notes.entries())
      await herald.dispatch(
        new OrderPlaced(`o-${i}`, note, { number: '4111 1111 1111 1111', holder: 'Ada' }),
      );
    await waitFor('the failures to be kept', async () => (await herald.countFailed()) >= failures, {
      timeoutMs: 15_000,
    });
  } finally {
    await worker.close();
  }
}
