import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { OrderPlaced } from './support/dashboard-listeners.js';
import { useDashboards } from './support/dashboard-server.js';

/** Reads an event stream into a growing text until aborted. */
function listen(url: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  let text = '';
  let status = 0;
  let type = '';
  let ended = false;
  const done = fetch(url, { headers, signal: abort.signal })
    .then(async (response) => {
      status = response.status;
      type = response.headers.get('content-type') ?? '';
      const decoder = new TextDecoder();
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
      ended = true;
    })
    .catch(() => {});
  return {
    text: () => text,
    status: () => status,
    type: () => type,
    /** The server ended the stream (not our abort). */
    ended: () => ended,
    close: async () => {
      abort.abort();
      await done;
    },
  };
}

describe('dashboard live updates (server-sent events)', () => {
  const { app, serve } = useDashboards();

  it('/live sends heartbeats, the counters, and a failed event with each new failure as it happens', async () => {
    const herald = await app();
    const server = await serve({ herald, live: { pollMs: 100, heartbeatMs: 150 } });
    const stream = listen(`${server.url}/live`);
    try {
      await waitFor('the first counters', () => stream.text().includes('event: counters'));
      expect(stream.status()).toBe(200);
      expect(stream.type()).toMatch(/^text\/event-stream/);
      expect(stream.text()).toContain(': connected');
      await waitFor('a heartbeat comment', () => stream.text().includes(': heartbeat\n\n'));
      const counters = /event: counters\ndata: (.*)\n/.exec(stream.text())?.[1] ?? '{}';
      expect(JSON.parse(counters)).toMatchObject({
        values: { failedTotal: 0 },
        display: { failedTotal: '0' },
      });

      const worker = await herald.work();
      await herald.dispatch(new OrderPlaced('o-9', 'fail:<b>live</b>', { number: '1', holder: 'A' }));
      await waitFor('a failed event', () => stream.text().includes('event: failed'), { timeoutMs: 15_000 });
      await worker.close();
      const failed = /event: failed\ndata: (.*)\n/.exec(stream.text())?.[1] ?? '{}';
      const { rows } = JSON.parse(failed) as {
        rows: { id: string; listener: string; error: string; href: string }[];
      };
      expect(rows).toEqual([
        expect.objectContaining({ listener: 'ChargeCard', error: '<b>live</b>', connection: 'redis' }),
      ]);
      expect(rows[0]?.href).toBe(`/jobs/${encodeURIComponent(rows[0]?.id ?? '')}?connection=redis`);
      await waitFor('counters with the failure', () => stream.text().includes('"failedTotal":1'));
    } finally {
      await stream.close();
    }
  });

  it('the overview page has the live hooks: data-live counters, the failed list and the status', async () => {
    const server = await serve({ herald: await app() });
    const page = await (await server.get('/')).text();
    for (const key of ['throughput', 'failed', 'waiting', 'workers', 'oldestWait', 'failedTotal']) {
      expect(page).toMatch(
        new RegExp(
          `data-testid="counter-${key}"[^>]*>\\s*<div class="label">[^<]*</div><div class="value" data-live="${key}">`,
        ),
      );
    }
    expect(page).toContain('data-testid="failed-live-list"');
    expect(page).toContain('data-testid="live-status"');
    expect(page).toContain("new EventSource(base + '/live')");
  });

  it('the stream ends when the dashboard closes', async () => {
    const server = await serve({ herald: await app(), live: { pollMs: 100, heartbeatMs: 1000 } });
    const stream = listen(`${server.url}/live`);
    await waitFor('the stream to open', () => stream.text().includes(': connected'));
    expect(stream.ended()).toBe(false);
    server.handler.close();
    await waitFor('the server to end the stream', () => stream.ended());
    await stream.close();
  });
});
