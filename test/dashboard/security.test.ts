import { describe, expect, it } from 'vitest';
import { csrfOf, failOrders, useDashboards } from './support/dashboard-server.js';

/** HTTP-level rules every response and action follows (real server on port 0, real Redis). */
describe('dashboard security', () => {
  const { app, serve } = useDashboards();

  it('every page carries the strict CSP with a fresh nonce that its script and style use, nosniff and a referrer policy', async () => {
    const server = await serve({ herald: await app() });
    const first = await server.get('/');
    const second = await server.get('/failed');
    expect(first.status).toBe(200);
    const csp = first.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1] ?? '';
    expect(csp).toBe(
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    );
    const page = await first.text();
    expect(page).toContain(`<script nonce="${nonce}">`);
    expect(page).toContain(`<style nonce="${nonce}">`);
    expect(page).not.toMatch(/ style="/);
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('referrer-policy')).toBe('same-origin');
    const missing = await server.get('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
  });

  it('an action by GET answers 405; a page by POST answers 405', async () => {
    const server = await serve({ herald: await app() });
    const get = await server.get('/actions/retry');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await server.post('/failed', {})).status).toBe(405);
  });

  it('a retry needs a same-origin Origin (or Referer) and a CSRF token this dashboard issued: 403 otherwise', async () => {
    const herald = await app();
    await failOrders(herald, ['fail:boom'], 1);
    const [job] = await herald.failedJobs();
    const server = await serve({ herald });
    const token = csrfOf(await (await server.get('/failed')).text());
    const fields = { id: job?.id ?? '', connection: 'redis', back: '/failed' };

    const noOrigin = await fetch(`${server.url}/actions/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, _csrf: token }).toString(),
      redirect: 'manual',
    });
    expect(noOrigin.status).toBe(403);
    expect(
      (await server.post('/actions/retry', { ...fields, _csrf: token }, { origin: 'http://evil.test' }))
        .status,
    ).toBe(403);
    expect((await server.post('/actions/retry', fields)).status).toBe(403);
    expect(
      (await server.post('/actions/retry', { ...fields, _csrf: `${token.split('.')[0]}.forged` })).status,
    ).toBe(403);
    expect(await herald.countFailed()).toBe(1);

    const viaReferer = await server.post(
      '/actions/retry',
      { ...fields, _csrf: token },
      { origin: '', referer: `${server.url}/failed` },
    );
    expect(viaReferer.status).toBe(303);
    expect(viaReferer.headers.get('location')).toMatch(/^\/failed\?flash=Retrying\+dash-orders%3A/);
    expect(await herald.countFailed()).toBe(0);
  });

  it('a token from another dashboard (another process secret) is refused', async () => {
    const herald = await app();
    const other = await serve({ herald });
    const server = await serve({ herald });
    const foreign = csrfOf(await (await other.get('/')).text());
    expect((await server.post('/actions/forget', { id: 'x:1', _csrf: foreign })).status).toBe(403);
  });

  it('readOnly: pages show no action buttons and every action answers 405, even a valid one', async () => {
    const herald = await app();
    await failOrders(herald, ['fail:boom'], 1);
    const [job] = await herald.failedJobs();
    const server = await serve({ herald, readOnly: true });
    const inbox = await (await server.get('/failed')).text();
    expect(inbox).toContain('data-testid="failed-row"');
    expect(inbox).not.toMatch(/data-testid="(retry|forget|retry-group)-button"/);
    expect(inbox).not.toMatch(/<form[^>]*\/actions\//);
    const jobPage = await (await server.get(`/jobs/${encodeURIComponent(job?.id ?? '')}`)).text();
    expect(jobPage).not.toContain('<form');
    for (const action of ['retry', 'forget', 'retry-group', 'retry-dead', 'replay']) {
      expect((await server.post(`/actions/${action}`, { id: job?.id ?? '' })).status).toBe(405);
      expect((await server.get(`/actions/${action}`)).status).toBe(405);
    }
    expect(await herald.countFailed()).toBe(1);
  });

  it('an action answers JSON to a JSON client, with the token in x-csrf-token', async () => {
    const herald = await app();
    await failOrders(herald, ['fail:boom'], 1);
    const [job] = await herald.failedJobs();
    const server = await serve({ herald });
    const token = csrfOf(await (await server.get('/')).text());
    const forgot = await server.post(
      '/actions/forget',
      { id: job?.id ?? '', connection: 'redis' },
      { accept: 'application/json', 'x-csrf-token': token },
    );
    expect(forgot.status).toBe(200);
    expect(await forgot.json()).toEqual({ ok: true, message: `Deleted failed job ${job?.id}.` });
    const again = await server.post(
      '/actions/forget',
      { id: job?.id ?? '', connection: 'redis' },
      { accept: 'application/json', 'x-csrf-token': token },
    );
    expect(again.status).toBe(404);
  });
});
