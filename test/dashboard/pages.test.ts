import { describe, expect, it } from 'vitest';
import { createHerald, Event, Listener } from '../../src/index.js';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import { waitFor } from '../support/wait-for.js';
import { failOrders, testIdValues, useDashboards } from './support/dashboard-server.js';

@Event('dash.reading', { stream: 'dash-readings' })
class ReadingTaken {
  constructor(readonly value: number) {}
}

@Listener(ReadingTaken, { connection: 'log', tries: 1, startFrom: 'start' })
class StoreReading {
  handle(event: ReadingTaken): void {
    if (event.value < 0) throw new Error('negative reading');
  }
}

describe('dashboard pages', () => {
  const { app, serve } = useDashboards();

  it('overview, events, event, listener and workers show what herald knows, with their test ids', async () => {
    const herald = await app();
    await failOrders(herald, ['ok', 'ok', 'fail:nope'], 1);
    const worker = await herald.work();
    const server = await serve({ herald });
    try {
      await waitFor('the worker heartbeat', async () => (await herald.stats()).workers.length > 0, {
        timeoutMs: 15_000,
      });
      const overview = await (await server.get('/')).text();
      expect(testIdValues(overview, 'listener-row', 'listener').sort()).toEqual(['ChargeCard', 'ShipOrder']);
      expect(overview).toMatch(/data-live="failedTotal">1</);
      // The worker failOrders() ran has closed, but its last heartbeat counts for a minute.
      expect(overview).toMatch(/data-live="workers">[12]</);
      expect(testIdValues(overview, 'chart-throughput-bar', 'label').sort()).toEqual([
        'ChargeCard',
        'ShipOrder',
      ]);
      expect(testIdValues(overview, 'failed-row', 'job-id')).toHaveLength(1);

      const events = await (await server.get('/events')).text();
      expect(testIdValues(events, 'event-row', 'event')).toEqual(['dash.order.placed']);
      expect(events).toContain('AuditOrder <span class="muted">sync</span>');

      const event = await (await server.get('/events/dash.order.placed')).text();
      expect(testIdValues(event, 'event-listener-row', 'listener')).toEqual([
        'ChargeCard',
        'ShipOrder',
        'AuditOrder',
      ]);

      const listener = await (await server.get('/listeners/ChargeCard')).text();
      expect(testIdValues(listener, 'listener-window-row', 'window')).toEqual([
        '5 min',
        '15 min',
        '1 h',
        '24 h',
      ]);
      expect(listener).toMatch(
        /data-testid="listener-stat-failed"><div class="label">Failed jobs kept<\/div><div class="value">1</,
      );
      expect(listener).toContain('data-testid="chart-runtime"');
      expect((await server.get('/listeners/Nobody')).status).toBe(404);
      expect((await server.get('/events/nothing.here')).status).toBe(404);

      const workers = await (await server.get('/workers')).text();
      expect(testIdValues(workers, 'worker-row', 'worker-id').length).toBeGreaterThanOrEqual(1);
      expect(workers).toContain(
        `<td class="num">${process.pid}</td><td>redis</td><td>default, dash-orders</td>`,
      );
    } finally {
      await worker.close();
    }
  });

  it('streams: groups with lag and dead letters; replay from a time and retry a dead letter by POST', async () => {
    const herald = await createHerald({
      listeners: [StoreReading],
      queue: {
        default: 'log',
        connections: { log: { driver: 'streams', url: testRedisUrl(), prefix: uniqueQueueName('dash-log') } },
      },
    });
    try {
      const worker = await herald.work();
      await herald.dispatch(new ReadingTaken(1));
      await herald.dispatch(new ReadingTaken(-1));
      await waitFor('the dead letter', async () => (await herald.deadLetters(StoreReading)).length === 1, {
        timeoutMs: 15_000,
      });
      await worker.close();
      const server = await serve({ herald });
      const page = await (await server.get('/streams')).text();
      expect(testIdValues(page, 'stream-group-row', 'group')).toEqual(['StoreReading']);
      expect(testIdValues(page, 'dead-letter-row', 'entry-id')).toHaveLength(1);
      expect(page).toContain('negative reading');
      const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const bad = await server.post(
        '/actions/replay',
        { listener: 'StoreReading', from: 'yesterday-ish', _csrf: token },
        { accept: 'application/json' },
      );
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toContain('give a time such as');
      const replay = await server.post(
        '/actions/replay',
        { listener: 'StoreReading', from: new Date(Date.now() - 60_000).toISOString(), _csrf: token },
        { accept: 'application/json' },
      );
      expect(replay.status).toBe(200);
      expect(((await replay.json()) as { message: string }).message).toMatch(
        /^Replaying StoreReading from .* \(\d+ partitions?\)\.$/,
      );
      const [entry] = testIdValues(page, 'dead-letter-row', 'entry-id');
      const retried = await server.post(
        '/actions/retry-dead',
        { listener: 'StoreReading', id: entry ?? '', _csrf: token },
        { accept: 'application/json' },
      );
      expect(((await retried.json()) as { message: string }).message).toBe(
        'Retrying 1 dead letter of StoreReading.',
      );
      expect(await herald.deadLetters(StoreReading)).toHaveLength(0);
    } finally {
      await herald.close();
    }
  });

  it('streams on an app without a log connection says so', async () => {
    const server = await serve({ herald: await app() });
    const page = await (await server.get('/streams')).text();
    expect(page).toContain('data-testid="streams-none"');
  });
});
