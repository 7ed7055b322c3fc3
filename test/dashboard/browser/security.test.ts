// The dashboard's security rules as a browser enforces them: read-only pages, escaped payloads,
// and the Content-Security-Policy actually blocking a script that has no nonce.
import { describe, expect, it } from 'vitest';
import { useShopDashboard } from './support/shop-dashboard.js';

/** Markup that sets `window.__pwned` if the browser ever runs it. */
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

describe('dashboard in a browser: read-only, escaping, CSP', () => {
  const shop = useShopDashboard();

  it('read-only: no action buttons on any page, and a POST forged from the page answers 405', async () => {
    const failed = await shop.failOrder('o-readonly');
    const readOnly = await shop.serve({ readOnly: true });
    const { page } = shop;
    for (const path of [
      '/',
      '/failed',
      `/jobs/${encodeURIComponent(failed.id)}?connection=redis`,
      '/streams',
    ]) {
      await page.goto(`${readOnly}${path}`);
      await page.getByTestId('page-title').waitFor();
      expect(await page.locator('main form').count(), path).toBe(0);
      expect(await page.locator('main button').count(), path).toBe(0);
    }
    await page.goto(`${readOnly}/failed`);
    expect(await page.locator(`[data-testid="failed-row"][data-job-id="${failed.id}"]`).count()).toBe(1);
    // Browser-side code as text: the tests compile without the DOM library.
    const forged = await page.evaluate(`fetch(document.documentElement.dataset.base + '/actions/retry', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id: ${JSON.stringify(failed.id)}, connection: 'redis', back: '/failed' }).toString(),
    }).then((response) => ({ status: response.status }))`);
    expect(forged).toEqual({ status: 405 });
    expect((await shop.herald.failedJobs({ limit: 100, withData: false })).map((each) => each.id)).toContain(
      failed.id,
    );
  });

  it('a payload and an error holding <script> show as text, on the job page and in a live row, and never run', async () => {
    const { page } = shop;
    await page.goto(`${shop.url}/failed`);
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('open');
    const job = await shop.failOrder('o-xss', HOSTILE);
    // The live row is built by the page script from the server-sent event.
    const row = page.locator(`[data-testid="failed-row"][data-job-id="${job.id}"]`);
    await row.waitFor({ state: 'visible', timeout: 5000 });
    expect(await row.textContent()).toContain(HOSTILE);
    expect(await row.locator('script, img').count()).toBe(0);

    await page.goto(`${shop.url}/jobs/${encodeURIComponent(job.id)}?connection=redis`);
    expect(await page.getByTestId('job-payload').textContent()).toContain(
      JSON.stringify(HOSTILE).slice(1, -1),
    );
    expect(await page.getByTestId('job-error').textContent()).toContain(HOSTILE);
    expect(await page.locator('main script, main img').count()).toBe(0);
    await page.reload();
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
  });

  it('the Content-Security-Policy blocks a script without the nonce; the page script (with it) runs', async () => {
    const { page } = shop;
    const response = await page.goto(`${shop.url}/events`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'nonce-[^']+'/);
    // The page's own nonce'd script ran: it opened the live stream.
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('open');
    const before = shop.console.length;
    const violation = await page.evaluate(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true });
      const script = document.createElement('script');
      script.textContent = 'window.__inline = true;';
      document.body.append(script);
    })`);
    expect(violation).toBe('script-src-elem');
    expect(await page.evaluate('typeof window.__inline')).toBe('undefined');
    await expect
      .poll(() => shop.console.slice(before).join('\n'))
      .toMatch(/Executing inline script violates .*Content Security Policy/);
  });
});
