import { describe, expect, it } from 'vitest';
import { createHerald, Event, Listener } from '../../src/index.js';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import { waitFor } from '../support/wait-for.js';
import { failOrders, useDashboards } from './support/dashboard-server.js';

@Event('dash.blob')
class BlobStored {
  constructor(
    readonly blob: string,
    readonly apiToken: string,
  ) {}
}

@Listener(BlobStored, { queue: 'dash-blobs', tries: 1 })
class RejectBlob {
  handle(): void {
    throw new Error('no room');
  }
}

describe('dashboard job page', () => {
  const { app, serve } = useDashboards();

  it('a payload and an error with <script> render as text; redact paths and default secrets are masked', async () => {
    const herald = await app();
    await failOrders(herald, ['fail:<script>alert(1)</script> <img src=x onerror=alert(2)>'], 1);
    const [job] = await herald.failedJobs();
    const server = await serve({ herald, redact: ['card.number'] });
    const page = await (
      await server.get(`/jobs/${encodeURIComponent(job?.id ?? '')}?connection=redis`)
    ).text();
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toMatch(/data-testid="job-error">[^<]*&lt;script&gt;/);
    const payload = /data-testid="job-payload">([^<]*)<\/pre>/.exec(page)?.[1] ?? '';
    expect(payload).toContain('&quot;holder&quot;: &quot;Ada&quot;');
    expect(payload).toContain('&quot;number&quot;: &quot;[redacted]&quot;');
    expect(payload).toContain('&quot;password&quot;: &quot;[redacted]&quot;');
    expect(page).not.toContain('4111');
    expect(page).not.toContain('hunter2');
    expect(page).toMatch(
      /data-testid="job-listener"><th>Listener<\/th><td><a href="\/listeners\/ChargeCard">/,
    );
  });

  it('a 10 MB payload: the page is bounded and says it is cut; the download has it all, still masked', async () => {
    const prefix = uniqueQueueName('dash-big');
    const herald = await createHerald({
      listeners: [RejectBlob],
      queue: {
        default: 'redis',
        connections: {
          redis: { driver: 'bullmq', url: testRedisUrl(), prefix, maxPayloadBytes: 16 * 1024 * 1024 },
        },
      },
    });
    try {
      const worker = await herald.work();
      await herald.dispatch(new BlobStored('x'.repeat(10 * 1024 * 1024), 'secret-token-value'));
      await waitFor('the blob job to fail', async () => (await herald.countFailed()) === 1, {
        timeoutMs: 15_000,
      });
      await worker.close();
      const server = await serve({ herald });
      const inbox = await server.get('/failed');
      expect(inbox.status).toBe(200);
      // The list reads no payloads: the page stays small whatever the jobs carry.
      expect((await inbox.text()).length).toBeLessThan(100_000);
      const [job] = await herald.failedJobs({ limit: 1, withData: false });
      expect(job?.data).toBeUndefined();
      expect(job?.event).toBe('dash.blob');
      const answer = await server.get(`/jobs/${encodeURIComponent(job?.id ?? '')}`);
      expect(answer.status).toBe(200);
      const page = await answer.text();
      expect(page.length).toBeLessThan(200_000);
      expect(page).toContain('data-testid="job-truncated"');
      const link = /<a href="([^"]+)" data-testid="job-download">/.exec(page)?.[1] ?? '';
      const download = await server.get(link.replace(/&amp;/g, '&'));
      expect(download.status).toBe(200);
      expect(download.headers.get('content-disposition')).toMatch(
        /^attachment; filename="job-dash-blobs_\d+\.json"$/,
      );
      const full = JSON.parse(await download.text()) as { blob: string; apiToken: string };
      expect(full.blob).toHaveLength(10 * 1024 * 1024);
      expect(full.apiToken).toBe('[redacted]');
    } finally {
      await herald.close();
    }
  });

  it('an unknown job id answers 404', async () => {
    const server = await serve({ herald: await app() });
    const answer = await server.get('/jobs/dash-orders%3A999');
    expect(answer.status).toBe(404);
    expect(await answer.text()).toContain('No failed job has the id &quot;dash-orders:999&quot;');
  });
});
