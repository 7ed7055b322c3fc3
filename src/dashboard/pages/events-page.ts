import type { Herald } from '../../app.js';
import type { ListenerInfo } from '../../events/event-dispatcher.js';
import { eventMetadataOf } from '../../metadata/event-metadata.js';
import type { HeraldStats } from '../../metrics/herald-stats.js';
import { formatRate } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { hrefOf, type Page, type PageContext } from '../page-context.js';

/** An event class with its wire name, stream and listeners. */
export interface EventEntry {
  readonly wireName: string;
  readonly className: string;
  readonly stream: string | undefined;
  readonly listeners: readonly ListenerInfo[];
}

/** Every registered event class, by wire name. */
export function eventEntries(herald: Herald): EventEntry[] {
  return herald
    .eventClasses()
    .map((eventClass) => {
      const metadata = eventMetadataOf(eventClass);
      return {
        wireName: metadata?.name ?? eventClass.name,
        className: eventClass.name,
        stream:
          metadata?.streaming?.stream ?? (metadata?.streaming === undefined ? undefined : metadata.name),
        listeners: herald.getListeners(eventClass),
      };
    })
    .sort((a, b) => a.wireName.localeCompare(b.wireName));
}

/**
 * Jobs per minute of an event's busiest queued listener over the stats window: each dispatch
 * makes one job per queued listener, so this is the event's dispatch rate as far as workers saw
 * it (sync-only events are not counted anywhere).
 */
export function eventRate(entry: EventEntry, stats: HeraldStats): number | undefined {
  const minutes = Math.max(1, (stats.until.getTime() - stats.since.getTime()) / 60_000);
  const counts = entry.listeners
    .filter((listener) => listener.queued)
    .map((listener) => stats.listeners.find((each) => each.listener === listener.name))
    .filter((each) => each !== undefined)
    .map((each) => (each.processed + each.failed) / minutes);
  return counts.length === 0 ? undefined : Math.max(...counts);
}

/** A listener's name, linked to its page when it is queued. */
export function listenerLink(context: PageContext, listener: ListenerInfo): SafeHtml {
  return listener.queued
    ? html`<a href="${hrefOf(context, `/listeners/${encodeURIComponent(listener.name)}`)}">${listener.name}</a>`
    : html`${listener.name}`;
}

/** `/events`: every event class with its listeners and rate. */
export async function eventsPage(context: PageContext): Promise<Page> {
  const stats = await context.herald.stats();
  const rows = eventEntries(context.herald).map((entry) => {
    const rate = eventRate(entry, stats);
    return html`<tr data-testid="event-row" data-event="${entry.wireName}">
<td><a href="${hrefOf(context, `/events/${encodeURIComponent(entry.wireName)}`)}" data-testid="event-link">${entry.wireName}</a>
${entry.className === entry.wireName ? '' : html`<span class="muted">(${entry.className})</span>`}</td>
<td>${entry.listeners.map((listener, i) => html`${i > 0 ? ', ' : ''}${listenerLink(context, listener)}${listener.queued ? '' : html` <span class="muted">sync</span>`}`)}</td>
<td class="num">${rate === undefined ? '-' : formatRate(rate)}</td><td>${entry.stream ?? ''}</td></tr>`;
  });
  return {
    title: 'Events',
    section: 'events',
    body: html`<p class="muted">Jobs/min: attempts of the busiest queued listener over the last 15 minutes (one job per dispatch).</p>
<table data-testid="event-table"><thead><tr><th>Event</th><th>Listeners</th><th class="num">Jobs/min</th><th>Stream</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="4" class="muted">No events registered.</td></tr>` : rows}</tbody></table>`,
  };
}
