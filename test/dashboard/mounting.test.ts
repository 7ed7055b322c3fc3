import { describe, expect, it } from 'vitest';
import { csrfOf, failOrders, testIdValues, useDashboards } from './support/dashboard-server.js';

describe('dashboard mounting', () => {
  const { app, serve } = useDashboards();

  it('plain http with basePath: pages, links and actions live under it; other paths are 404', async () => {
    const herald = await app();
    await failOrders(herald, ['fail:x'], 1);
    const server = await serve({ herald, basePath: '/herald' });
    const overview = await server.get('/herald');
    expect(overview.status).toBe(200);
    const page = await overview.text();
    expect(page).toContain('<html lang="en" data-base="/herald"');
    expect(page).toContain('<a href="/herald/failed" data-testid="nav-failed">');
    expect((await server.get('/herald/')).status).toBe(200);
    expect((await server.get('/herald/events')).status).toBe(200);
    expect((await server.get('/other')).status).toBe(404);
    expect((await server.get('/heraldx')).status).toBe(404);
    const inbox = await (await server.get('/herald/failed')).text();
    expect(inbox).toContain('action="/herald/actions/retry"');
    const [id] = testIdValues(inbox, 'failed-row', 'job-id');
    const retried = await server.post('/herald/actions/retry', {
      id: id ?? '',
      connection: 'redis',
      back: '/failed',
      _csrf: csrfOf(inbox),
    });
    expect(retried.status).toBe(303);
    expect(retried.headers.get('location')).toMatch(/^\/herald\/failed\?flash=/);
  });
  // Express and Fastify mounting: test/dashboard/frameworks.test.ts (the real frameworks).
});
