import { formatMs, formatTime } from '../format.js';
import { html } from '../html.js';
import type { Page, PageContext } from '../page-context.js';

/** `/workers`: workers whose metrics heartbeat (Redis connections) is under a minute old. */
export async function workersPage(context: PageContext): Promise<Page> {
  const { workers } = await context.herald.stats({ since: 60_000 });
  const now = Date.now();
  const rows = [...workers]
    .sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid)
    .map(
      (worker) => html`<tr data-testid="worker-row" data-worker-id="${worker.id}">
<td>${worker.host}</td><td class="num">${worker.pid}</td><td>${worker.connection}</td><td>${worker.queues.join(', ')}</td>
<td class="num">${worker.concurrency}</td><td>${formatTime(worker.lastSeen)} <span class="muted">(${formatMs(now - worker.lastSeen)} ago)</span></td></tr>`,
    );
  return {
    title: 'Workers',
    section: 'workers',
    body: html`<p class="muted">Workers on Redis connections report every few seconds while they work; one silent for a minute drops off. Memory and sync connections run jobs inside the app's own process and list no worker here.</p>
<table data-testid="worker-table"><thead><tr><th>Host</th><th class="num">PID</th><th>Connection</th><th>Queues</th>
<th class="num">Concurrency</th><th>Last seen</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr data-testid="workers-empty"><td colspan="6" class="muted">No worker seen in the last minute.</td></tr>` : rows}</tbody></table>`,
  };
}
