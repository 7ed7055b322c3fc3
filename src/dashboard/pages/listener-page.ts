import type { ListenerStats } from '../../metrics/herald-stats.js';
import { type Bar, barChart } from '../charts.js';
import { formatCount, formatMs, formatPercent, formatRate } from '../format.js';
import { html } from '../html.js';
import { hrefOf, type Page, type PageContext } from '../page-context.js';
import { notFoundPage } from './not-found-page.js';

/** The windows the listener page compares, newest first. */
const WINDOWS: readonly { label: string; ms: number }[] = [
  { label: '5 min', ms: 5 * 60_000 },
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 h', ms: 60 * 60_000 },
  { label: '24 h', ms: 24 * 60 * 60_000 },
];

function bars(
  windows: readonly { label: string; stats: ListenerStats }[],
  pick: (s: ListenerStats) => number | null,
) {
  return windows.map(
    ({ label, stats }): Bar => ({ label, value: pick(stats) ?? 0, text: formatMs(pick(stats)) }),
  );
}

/**
 * `/listeners/<name>`: a queued listener's throughput, failure rate, runtime and wait percentiles
 * over 5 min, 15 min, 1 h and 24 h (herald.stats() per window), and its jobs now.
 */
export async function listenerPage(context: PageContext, name: string): Promise<Page> {
  const all = await Promise.all(WINDOWS.map(({ ms }) => context.herald.stats({ since: ms })));
  const windows = WINDOWS.flatMap(({ label, ms }, i) => {
    const stats = all[i]?.listeners.find((each) => each.listener === name);
    return stats === undefined ? [] : [{ label, minutes: ms / 60_000, stats }];
  });
  const now = windows[1]?.stats;
  if (now === undefined) return notFoundPage(`No queued listener is named "${name}".`);
  const stat = (key: string, label: string, value: string) =>
    html`<div class="card" data-testid="listener-stat-${key}"><div class="label">${label}</div><div class="value">${value}</div></div>`;
  const rows = windows.map(
    ({ label, minutes, stats }) => html`<tr data-testid="listener-window-row" data-window="${label}">
<td>${label}</td><td class="num">${formatCount(stats.processed)}</td><td class="num">${formatRate(stats.processed / minutes)}</td>
<td class="num">${formatCount(stats.failed)}</td><td class="num">${formatPercent(stats.failureRate)}</td>
<td class="num">${formatMs(stats.runtime.p50)}</td><td class="num">${formatMs(stats.runtime.p95)}</td>
<td class="num">${formatMs(stats.runtime.p99)}</td><td class="num">${formatMs(stats.wait.p50)}</td>
<td class="num">${formatMs(stats.wait.p95)}</td></tr>`,
  );
  const shared = now.backlogOf === 'queue' ? ` (counts of queue ${now.queue}, shared by its listeners)` : '';
  return {
    title: `Listener ${name}`,
    section: 'events',
    body: html`<p data-testid="listener-meta">Runs on <code>${now.connection}/${now.queue}</code>.</p>
<section class="cards">${stat('waiting', 'Waiting', formatCount(now.waiting))}${stat('active', 'Active', formatCount(now.active))}
${stat('delayed', 'Delayed', formatCount(now.delayed))}${stat('failed', 'Failed jobs kept', formatCount(now.failedTotal))}
${stat('oldest-wait', 'Oldest wait', formatMs(now.oldestWaitingMs))}</section>
<p class="muted">${shared}</p>
<p><a href="${hrefOf(context, '/failed', { listener: name, connection: now.connection })}" data-testid="listener-failed-link">Failed jobs of ${name}</a></p>
<h2>Over time</h2>
<table data-testid="listener-windows"><thead><tr><th>Window</th><th class="num">Processed</th><th class="num">Jobs/min</th>
<th class="num">Failed</th><th class="num">Failure</th><th class="num">Runtime p50</th><th class="num">p95</th><th class="num">p99</th>
<th class="num">Wait p50</th><th class="num">Wait p95</th></tr></thead><tbody>${rows}</tbody></table>
${barChart(
  'chart-runtime',
  'Runtime p95 by window',
  bars(windows, (s) => s.runtime.p95),
)}
${barChart(
  'chart-wait',
  'Wait p95 by window',
  bars(windows, (s) => s.wait.p95),
)}`,
  };
}
