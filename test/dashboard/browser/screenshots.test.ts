// A screenshot of every dashboard page, for a reviewer to look at: written to
// test-results/dashboard/ (not committed). docs/dashboard/ holds the committed ones
// (scripts/dashboard-screenshots.ts).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/temp-project.js';
import { waitFor } from '../../support/wait-for.js';
import { OrderPlaced, OrderShipped, runs } from './support/shop.js';
import { useShopDashboard } from './support/shop-dashboard.js';

const OUT = join(REPO_ROOT, 'test-results', 'dashboard');

describe('dashboard in a browser: a screenshot of each page', () => {
  const shop = useShopDashboard();

  it('overview, events, event, listener, failed, job, streams and workers render and are saved as PNGs', async () => {
    const { herald, page } = shop;
    for (let i = 0; i < 6; i++)
      await herald.dispatch(
        new OrderPlaced(`o-shot-${i}`, `c${i}@example.com`, 'gift wrap', { number: '4111', holder: 'Ada' }),
      );
    await herald.dispatch(new OrderShipped('o-shot-0'));
    const failed = await shop.failOrder('o-shot-failed', 'card expired');
    await waitFor('the orders to be worked', () => runs.get('SendConfirmation:o-shot-5') === 1);
    // Workers flush their counts about once a second: wait for them so the charts have data.
    await waitFor('the metrics of the worked jobs', async () => {
      const { listeners } = await herald.stats();
      const processed = (name: string) => listeners.find((each) => each.listener === name)?.processed ?? 0;
      return processed('SendConfirmation') >= 6 && processed('CapturePayment') >= 6;
    });
    mkdirSync(OUT, { recursive: true });
    const pages: readonly (readonly [string, string, string])[] = [
      ['overview', '/', 'Overview'],
      ['events', '/events', 'Events'],
      ['event', '/events/shop.orders.placed', 'shop.orders.placed'],
      ['listener', '/listeners/CapturePayment', 'CapturePayment'],
      ['failed', '/failed', 'Failed jobs'],
      ['job', `/jobs/${encodeURIComponent(failed.id)}?connection=redis`, failed.id],
      ['streams', '/streams', 'Streams'],
      ['workers', '/workers', 'Workers'],
    ];
    for (const [name, path, title] of pages) {
      const response = await page.goto(`${shop.url}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(await page.getByTestId('page-title').textContent(), path).toContain(title);
      const file = join(OUT, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(readFileSync(file).subarray(1, 4).toString(), file).toBe('PNG');
    }
    // The in-process worker reports a heartbeat: the workers page lists it.
    expect(await page.getByTestId('worker-row').count()).toBeGreaterThan(0);
  });
});
