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

  it("authorize() that throws answers a generic 500 with the security headers; the error goes to the app's logger", async () => {
    const logged: { fields: Record<string, unknown>; message: string }[] = [];
    const record = (fields: Record<string, unknown>, message: string) =>
      void logged.push({ fields, message });
    const server = await serve({
      herald: await app({ info: record, warn: record, error: record }),
      authorize: () => {
        throw new Error('session store down at redis://admin:s3cret@sessions');
      },
    });
    const answer = await server.get('/');
    expect(answer.status).toBe(500);
    const body = await answer.text();
    expect(body).not.toContain('data-testid="counters"');
    expect(body).not.toContain('s3cret');
    expect(body).not.toContain('session store down');
    expect(body).toContain('the error is in the server log');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(logged).toHaveLength(1);
    expect(logged[0]?.message).toContain('session store down');
    expect(logged[0]?.fields.code).toBe('HERALD_DASHBOARD_ERROR');
  });

  it('a 403 keeps the security headers', async () => {
    const server = await serve({ herald: await app(), authorize: () => false });
    const refused = await server.get('/failed');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-security-policy')).toMatch(/script-src 'nonce-[^']+'/);
    expect(refused.headers.get('x-frame-options')).toBe('DENY');
    expect(refused.headers.get('referrer-policy')).toBe('same-origin');
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
      const server = await serve({ herald: await app() }, external);
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
