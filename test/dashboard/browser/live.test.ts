// The dashboard in a real browser (Debian's Chromium through playwright-core): what an operator
// sees and does, against the shop app on bullmq with a real worker.
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../support/wait-for.js';
import { OrderPlaced, OrderShipped, paymentOutage, runs } from './support/shop.js';
import { useShopDashboard } from './support/shop-dashboard.js';

describe('dashboard in a browser: overview, live failures, retry', () => {
  const shop = useShopDashboard();

  it("the overview lists the app's queued listeners with their queues, and the live stream connects", async () => {
    await shop.herald.dispatch(new OrderShipped('o-shipped'));
    await waitFor('the shipped order to be worked', () => runs.get('NotifyWarehouse:o-shipped') === 1);
    const { page } = shop;
    await page.goto(shop.url);
    await expect.poll(() => page.getByTestId('page-title').textContent()).toBe('Overview');
    const rows = page.getByTestId('listener-row');
    const listeners = await rows.evaluateAll((each) => each.map((row) => row.getAttribute('data-listener')));
    expect(listeners.sort()).toEqual([
      'CapturePayment',
      'NotifyWarehouse',
      'SendConfirmation',
      'ShopAudit.onShipped',
    ]);
    await expect
      .poll(() => page.locator('[data-testid="listener-row"][data-listener="NotifyWarehouse"]').textContent())
      .toContain('redis/warehouse');
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('open');
  });

  it('a job that fails while the failed inbox is open appears in it within 2 s, without a reload', async () => {
    const { page } = shop;
    await page.goto(`${shop.url}/failed`);
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('open');
    // Still set at the end means the page was never reloaded.
    await page.evaluate('window.__sameDocument = true');
    expect(await page.locator('[data-testid="failed-row"]', { hasText: 'o-live' }).count()).toBe(0);

    const job = await shop.failOrder('o-live', 'insufficient funds');
    const row = page.locator(`[data-testid="failed-row"][data-job-id="${job.id}"]`);
    await row.waitFor({ state: 'visible', timeout: 2000 });
    expect(await row.textContent()).toContain('card declined for o-live: insufficient funds');
    expect(await row.getByTestId('retry-button').count()).toBe(1);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(await page.getByTestId('failed-empty').count()).toBe(0);
  });

  it('retry all of a group from the page (confirm accepted): the job leaves the list and the listener runs again', async () => {
    const { page } = shop;
    const job = await shop.failOrder('o-retry', 'expired card');
    expect(runs.get('CapturePayment:o-retry')).toBe(1);
    paymentOutage.delete('o-retry');
    paymentOutage.delete('o-live');
    await page.goto(`${shop.url}/failed`);
    const group = page.locator('[data-testid="failed-group"]', { hasText: 'card declined for o-retry' });
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await Promise.all([
      page.waitForURL(/\/herald\/failed\?flash=/),
      group.getByTestId('retry-group-button').click(),
    ]);
    expect(dialogs).toEqual(['Retry 1 failed jobs of CapturePayment?']);
    expect(await page.getByTestId('flash').textContent()).toContain(
      'Retrying 1 failed job of CapturePayment',
    );
    expect(await page.locator(`[data-testid="failed-row"][data-job-id="${job.id}"]`).count()).toBe(0);

    await waitFor('the retried payment to run again', () => runs.get('CapturePayment:o-retry') === 2);
    await waitFor('the retried job to leave the failed jobs', async () => {
      const failed = await shop.herald.failedJobs({ limit: 100, withData: false });
      return !failed.some((each) => each.id === job.id);
    });
    await page.reload();
    expect(await page.locator(`[data-testid="failed-row"][data-job-id="${job.id}"]`).count()).toBe(0);
  });

  it('a dismissed confirm sends nothing: the job stays failed', async () => {
    const { page } = shop;
    const job = await shop.failOrder('o-kept');
    await page.goto(`${shop.url}/failed`);
    const posted: string[] = [];
    await page.route('**/actions/**', (route) => {
      posted.push(route.request().url());
      return route.abort();
    });
    page.once('dialog', (dialog) => void dialog.dismiss());
    const group = page.locator('[data-testid="failed-group"]', { hasText: 'card declined for o-kept' });
    await group.getByTestId('retry-group-button').click();
    // A submitted form would have sent its POST before this navigation's GET.
    await Promise.all([page.waitForURL(`${shop.url}/`), page.getByTestId('nav-overview').click()]);
    await page.unroute('**/actions/**');
    expect(posted).toEqual([]);
    expect(runs.get('CapturePayment:o-kept')).toBe(1);
    expect((await shop.herald.failedJobs({ limit: 100, withData: false })).map((each) => each.id)).toContain(
      job.id,
    );
  });

  it('the event page lists every listener of the event, sync and queued', async () => {
    const { page } = shop;
    await shop.herald.dispatch(
      new OrderPlaced('o-event', 'e@example.com', 'ok', { number: '1', holder: 'B' }),
    );
    await page.goto(`${shop.url}/events/shop.orders.placed`);
    const text = (await page.getByTestId('event-listener-table').textContent()) ?? '';
    for (const listener of ['ReserveStock', 'SendConfirmation', 'CapturePayment'])
      expect(text).toContain(listener);
  });
});
