import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/index.js';
import { csrfOf, failOrders, testIdValues, useDashboards } from './support/dashboard-server.js';

describe('dashboard failed inbox (bullmq)', () => {
  const { app, serve } = useDashboards();

  it('herald.failedJobs() pages newest first without reading the whole set; failedJob() and countFailed()', async () => {
    const herald = await app();
    await failOrders(herald, ['fail:a', 'fail:b', 'fail:c', 'fail:d', 'fail:e'], 5);
    const all = await herald.failedJobs();
    expect(all).toHaveLength(5);
    expect(await herald.countFailed()).toBe(5);
    const first = await herald.failedJobs({ limit: 2 });
    const second = await herald.failedJobs({ offset: 2, limit: 2 });
    const last = await herald.failedJobs({ offset: 4, limit: 2 });
    expect([...first, ...second, ...last].map((job) => job.id)).toEqual(all.map((job) => job.id));
    const summaries = await herald.failedJobs({ limit: 5, withData: false });
    expect(summaries.map(({ data: _data, ...rest }) => rest)).toEqual(
      all.map(({ data: _data, ...rest }) => rest),
    );
    expect(summaries.every((job) => job.data === undefined)).toBe(true);
    const one = await herald.failedJob(all[0]?.id ?? '');
    expect(one).toMatchObject({ id: all[0]?.id, listener: 'ChargeCard', event: 'dash.order.placed' });
    expect(await herald.failedJob('dash-orders:999999')).toBeUndefined();
    expect(await herald.failedJob('no-such-queue:1')).toBeUndefined();
    const bad = await herald.failedJobs({ limit: 0 }).catch((error: unknown) => error);
    expect(HeraldError.is(bad, 'invalid_argument')).toBe(true);
    expect(String(bad)).toContain('failedJobs({ limit }): expected an integer from 1 to 1000, got 0');
    await expect(herald.failedJobs({ offset: -1, limit: 1 })).rejects.toThrow(/offset/);
  });

  it('groups by listener and error with counts; "retry all" of a group retries that group only and says how many', async () => {
    const herald = await app();
    const notes = [
      'fail:card declined',
      'fail:card declined',
      'fail:card declined',
      'fail:bank timeout',
      'ship!',
    ];
    // "ship!" fails ShipOrder; every other order fails only ChargeCard.
    await failOrders(herald, notes, 5);
    const server = await serve({ herald });
    const inbox = await (await server.get('/failed')).text();
    const groups = testIdValues(inbox, 'failed-group', 'listener');
    // Biggest group first; the two groups of one job follow in either order (newest first).
    expect(groups[0]).toBe('ChargeCard');
    expect([...groups].sort()).toEqual(['ChargeCard', 'ChargeCard', 'ShipOrder']);
    expect(inbox).toMatch(
      /data-testid="failed-group-count">3<\/span> × <strong>ChargeCard<\/strong>\s*<span class="error" data-testid="failed-group-error">card declined</,
    );
    expect(inbox).toContain('<span data-testid="failed-total">5</span>');
    expect(testIdValues(inbox, 'failed-row', 'job-id')).toHaveLength(5);
    const group = testIdValues(inbox, 'failed-group', 'group')[0] ?? '';
    const retried = await server.post('/actions/retry-group', {
      group,
      connection: 'redis',
      back: '/failed?connection=redis',
      _csrf: csrfOf(inbox),
    });
    expect(retried.status).toBe(303);
    const location = retried.headers.get('location') ?? '';
    expect(new URL(location, server.url).searchParams.get('flash')).toBe(
      'Retrying 3 failed jobs of ChargeCard.',
    );
    const left = await herald.failedJobs();
    expect(left.map((job) => job.error).sort()).toEqual(['bank timeout', 'carrier down']);
    const after = await (await server.get(location)).text();
    expect(after).toContain('data-testid="flash" role="status">Retrying 3 failed jobs of ChargeCard.</p>');
  });

  it('"retry all" of a group takes at most 500 jobs a press and says how many are left', async () => {
    const herald = await app();
    await failOrders(
      herald,
      Array.from({ length: 503 }, () => 'fail:card declined'),
      503,
    );
    const server = await serve({ herald });
    const inbox = await (await server.get('/failed')).text();
    expect(inbox).toContain('Retry 500');
    const press = async () => {
      const page = await (await server.get('/failed')).text();
      const retried = await server.post('/actions/retry-group', {
        group: testIdValues(page, 'failed-group', 'group')[0] ?? '',
        connection: 'redis',
        back: '/failed',
        _csrf: csrfOf(page),
      });
      expect(retried.status).toBe(303);
      return new URL(retried.headers.get('location') ?? '', server.url).searchParams.get('flash');
    };
    expect(await press()).toBe('Retrying 500 failed jobs of ChargeCard (3 more in the group: retry again).');
    expect(await herald.countFailed()).toBe(3);
    expect(await press()).toBe('Retrying 3 failed jobs of ChargeCard.');
    expect(await herald.countFailed()).toBe(0);
  }, 60_000);

  it('the list pages 25 at a time with next/previous links', async () => {
    const herald = await app();
    await failOrders(
      herald,
      Array.from({ length: 27 }, (_, i) => `fail:e${i}`),
      27,
    );
    const server = await serve({ herald });
    const first = await (await server.get('/failed')).text();
    expect(testIdValues(first, 'failed-row', 'job-id')).toHaveLength(25);
    expect(first).toContain('data-testid="pager-next"');
    expect(first).not.toContain('data-testid="pager-prev"');
    const second = await (await server.get('/failed?connection=redis&page=2')).text();
    const ids = [
      ...testIdValues(first, 'failed-row', 'job-id'),
      ...testIdValues(second, 'failed-row', 'job-id'),
    ];
    expect(new Set(ids).size).toBe(27);
    expect(second).toContain('data-testid="pager-prev"');
    expect(second).not.toContain('data-testid="pager-next"');
    expect(second).toContain('data-testid="failed-list"');
  });

  it('a listener filter shows that listener only', async () => {
    const herald = await app();
    await failOrders(herald, ['fail:x', 'ship!'], 2);
    const server = await serve({ herald });
    const page = await (await server.get('/failed?connection=redis&listener=ShipOrder')).text();
    expect(testIdValues(page, 'failed-group', 'listener')).toEqual(['ShipOrder']);
    expect(page).toContain('<span data-testid="failed-total">1</span>');
  });
});
