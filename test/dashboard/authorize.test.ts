import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createDashboard } from '../../src/dashboard/index.js';
import { HeraldError } from '../../src/index.js';
import { useDashboards } from './support/dashboard-server.js';

/** An address of this machine that is not loopback, if it has one. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((each) => each !== undefined && each.family === 'IPv4' && !each.internal)?.address;

describe('dashboard authorize', () => {
  const { app, serve } = useDashboards();

  it('a request authorize() refuses answers 403; an async true lets it in', async () => {
    const herald = await app();
    const server = await serve({ herald, authorize: async (req) => req.headers['x-admin'] === 'yes' });
    expect((await server.get('/')).status).toBe(403);
    expect((await server.get('/failed', { 'x-admin': 'no' })).status).toBe(403);
    expect((await server.get('/live', { 'x-admin': 'no' })).status).toBe(403);
    const allowed = await server.get('/', { 'x-admin': 'yes' });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('data-testid="counters"');
  });

  it('authorize() that throws answers 500 without the page', async () => {
    const server = await serve({
      herald: await app(),
      authorize: () => {
        throw new Error('session store down');
      },
    });
    const answer = await server.get('/');
    expect(answer.status).toBe(500);
    expect(await answer.text()).not.toContain('data-testid="counters"');
  });

  it('without authorize, in production, createDashboard throws config_invalid naming the option', async () => {
    const herald = await app();
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => createDashboard({ herald })).toThrow(/`authorize` is required in production/);
      try {
        createDashboard({ herald });
      } catch (error) {
        expect(HeraldError.is(error, 'config_invalid')).toBe(true);
      }
      expect(() => createDashboard({ herald, authorize: () => true })).not.toThrow();
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it('without authorize, a request through a proxy (X-Forwarded-For) is refused even on loopback', async () => {
    const server = await serve({ herald: await app() });
    expect((await server.get('/')).status).toBe(200);
    const proxied = await server.get('/', { 'x-forwarded-for': '203.0.113.9' });
    expect(proxied.status).toBe(403);
    expect(await proxied.text()).toContain('Pass createDashboard({ authorize })');
  });

  it.skipIf(external === undefined)(
    'without authorize, a request on a non-loopback address is refused',
    async () => {
      const server = await serve({ herald: await app() }, { kind: 'plain' }, external);
      expect((await server.get('/')).status).toBe(403);
    },
  );

  it('bad options are config_invalid naming the option', async () => {
    const herald = await app();
    const bad = [
      [{ herald, basePath: 'herald/' }, /basePath/],
      [{ herald, readOnly: 'yes' }, /readOnly/],
      [{ herald, redact: 'email' }, /redact/],
      [{ herald, authorize: true }, /authorize/],
      [{ herald: {} }, /herald/],
      [{ herald, live: { pollMs: 0 } }, /live\.pollMs/],
    ] as const;
    for (const [options, message] of bad) {
      expect(() => createDashboard(options as never)).toThrow(message);
    }
  });
});
