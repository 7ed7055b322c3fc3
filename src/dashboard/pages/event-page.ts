import { formatCount, formatMs, formatPercent } from '../format.js';
import { html } from '../html.js';
import type { Page, PageContext } from '../page-context.js';
import { eventEntries, eventRate, listenerLink } from './events-page.js';
import { notFoundPage } from './not-found-page.js';

/** `/events/<wire name>`: one event's listeners in run order with their numbers. */
export async function eventPage(context: PageContext, wireName: string): Promise<Page> {
  const entry = eventEntries(context.herald).find((each) => each.wireName === wireName);
  if (entry === undefined) return notFoundPage(`No event is registered as "${wireName}".`);
  const stats = await context.herald.stats();
  const rate = eventRate(entry, stats);
  const rows = entry.listeners.map((listener) => {
    const own = stats.listeners.find((each) => each.listener === listener.name);
    return html`<tr data-testid="event-listener-row" data-listener="${listener.name}">
<td class="num">${listener.order}</td><td>${listenerLink(context, listener)}</td>
<td>${listener.queued ? `${listener.connection ?? context.herald.defaultConnection}/${listener.queue ?? 'default'}` : 'sync'}</td>
<td class="num">${own === undefined ? '-' : formatCount(own.processed)}</td>
<td class="num">${own === undefined ? '-' : formatPercent(own.failureRate)}</td>
<td class="num">${formatMs(own?.runtime.p95)}</td><td class="num">${own === undefined ? '-' : formatCount(own.waiting)}</td></tr>`;
  });
  return {
    title: `Event ${entry.wireName}`,
    section: 'events',
    body: html`<p data-testid="event-meta">Class <code>${entry.className}</code>${
      entry.stream === undefined ? '' : html`, stream <code>${entry.stream}</code>`
    }. Jobs/min (busiest queued listener, 15 min): <span data-testid="event-rate">${rate === undefined ? '-' : rate.toFixed(1)}</span></p>
<table data-testid="event-listener-table"><thead><tr><th class="num">Order</th><th>Listener</th><th>Runs on</th>
<th class="num">Processed</th><th class="num">Failure</th><th class="num">Runtime p95</th><th class="num">Waiting</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="7" class="muted">No listeners.</td></tr>` : rows}</tbody></table>`,
  };
}
