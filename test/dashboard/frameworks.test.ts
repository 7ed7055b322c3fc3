// createDashboard mounted in the real frameworks the README shows: Express 5, Fastify 5, Hono 4.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import express from 'express';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createDashboard, type DashboardHandler } from '../../src/dashboard/index.js';
import type { Herald } from '../../src/index.js';
import { csrfOf, failOrders, testIdValues, useDashboards } from './support/dashboard-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function dashboardOf(...args: Parameters<typeof createDashboard>): DashboardHandler {
  const handler = createDashboard(...args);
  closers.push(async () => handler.close());
  return handler;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** GETs a page and POSTs its first failed job's retry form (with the page's CSRF token). */
async function retryFirstFailed(herald: Herald, origin: string, mount: string) {
  const inbox = await (await fetch(`${origin}${mount}/failed`)).text();
  expect(inbox).toContain(`action="${mount}/actions/retry"`);
  const [id = ''] = testIdValues(inbox, 'failed-row', 'job-id');
  const post = (fields: Record<string, string>) =>
    fetch(`${origin}${mount}/actions/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ id, connection: 'redis', back: '/failed', ...fields }).toString(),
      redirect: 'manual',
    });
  const forged = await post({});
  expect(forged.status).toBe(403);
  const retried = await post({ _csrf: csrfOf(inbox) });
  expect(retried.status).toBe(303);
  expect(retried.headers.get('location')).toMatch(new RegExp(`^${mount}/failed\\?flash=Retrying`));
  expect(await herald.failedJob(id)).toBeUndefined();
}

describe('dashboard in real frameworks', () => {
  const { app } = useDashboards();

  it("Express 5: app.use('/ops/herald', dashboard) beside the app's routes and body parsers; links, pages and a CSRF action", async () => {
    const herald = await app();
    await failOrders(herald, ['fail:declined'], 1);
    const web = express();
    // Parsers before the dashboard consume the body; the dashboard then reads req.body.
    web.use(express.urlencoded({ extended: false }));
    web.use(express.json());
    web.get('/', (_request, response) => void response.send('app home'));
    web.use('/ops/herald', dashboardOf({ herald }));
    const origin = await listen(createServer(web));

    expect(await (await fetch(`${origin}/`)).text()).toBe('app home');
    const overview = await fetch(`${origin}/ops/herald`);
    expect(overview.status).toBe(200);
    expect(overview.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await overview.text()).toContain('<a href="/ops/herald/events" data-testid="nav-events">');
    const events = await (await fetch(`${origin}/ops/herald/events`)).text();
    expect(testIdValues(events, 'event-row', 'event')).toEqual(['dash.order.placed']);
    expect((await fetch(`${origin}/ops/herald/events/dash.order.placed`)).status).toBe(200);
    expect((await fetch(`${origin}/ops/herald/nowhere`)).status).toBe(404);
    await retryFirstFailed(herald, origin, '/ops/herald');
  });

  it('Express 5 without body parsers: the dashboard reads the form itself', async () => {
    const herald = await app();
    await failOrders(herald, ['fail:declined'], 1);
    const web = express();
    web.use('/herald', dashboardOf({ herald }));
    await retryFirstFailed(herald, await listen(createServer(web)), '/herald');
  });

  it('Fastify 5: raw handler with reply.hijack() in a plugin that leaves bodies unparsed; pages and a CSRF action', async () => {
    const herald = await app();
    await failOrders(herald, ['fail:declined'], 1);
    const dashboard = dashboardOf({ herald, basePath: '/herald' });
    const fastify = Fastify();
    closers.push(() => fastify.close());
    fastify.get('/', async () => 'app home');
    await fastify.register(async (scope) => {
      // Fastify answers 415 to a form POST it has no parser for, and a parser would consume the
      // body: let every body through unread for the dashboard to read from request.raw.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _body, done) => done(null));
      const serve = (request: FastifyRequest, reply: FastifyReply) => {
        reply.hijack();
        dashboard(request.raw, reply.raw);
      };
      scope.all('/herald', serve);
      scope.all('/herald/*', serve);
    });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;

    expect(await (await fetch(`${origin}/`)).text()).toBe('app home');
    const overview = await fetch(`${origin}/herald`);
    expect(overview.status).toBe(200);
    expect(overview.headers.get('x-frame-options')).toBe('DENY');
    expect(await overview.text()).toContain('<a href="/herald/failed" data-testid="nav-failed">');
    expect((await fetch(`${origin}/herald/workers`)).status).toBe(200);
    await retryFirstFailed(herald, origin, '/herald');
  });

  it('Hono 4 on @hono/node-server: the raw request and response from c.env, RESPONSE_ALREADY_SENT; pages and a CSRF action', async () => {
    const herald = await app();
    await failOrders(herald, ['fail:declined'], 1);
    const dashboard = dashboardOf({ herald, basePath: '/herald' });
    const web = new Hono<{ Bindings: HttpBindings }>();
    web.get('/', (c) => c.text('app home'));
    // Hono leaves the body unread unless a route reads it, so the dashboard reads the form itself.
    const mounted = (c: { env: HttpBindings }) => {
      dashboard(c.env.incoming, c.env.outgoing);
      return RESPONSE_ALREADY_SENT;
    };
    web.all('/herald', mounted);
    web.all('/herald/*', mounted);
    const origin = await listen(createAdaptorServer({ fetch: web.fetch }) as Server);

    expect(await (await fetch(`${origin}/`)).text()).toBe('app home');
    const overview = await fetch(`${origin}/herald`);
    expect(overview.status).toBe(200);
    expect(overview.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await overview.text()).toContain('<a href="/herald/events" data-testid="nav-events">');
    expect((await fetch(`${origin}/herald/nowhere`)).status).toBe(404);
    await retryFirstFailed(herald, origin, '/herald');
  });

  it('Fastify without the plugin answers 415 to a form POST: why the README mounts it in one', async () => {
    const dashboard = dashboardOf({ herald: await app(), basePath: '/herald' });
    const fastify = Fastify();
    closers.push(() => fastify.close());
    fastify.all('/herald/*', (request, reply) => {
      reply.hijack();
      dashboard(request.raw, reply.raw);
    });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
    const posted = await fetch(`${origin}/herald/actions/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: 'id=1',
    });
    expect(posted.status).toBe(415);
  });
});
