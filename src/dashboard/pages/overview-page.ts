import { barChart } from '../charts.js';
import { type CounterKey, displayCounters } from '../counter-display.js';
import { readOverview } from '../dashboard-data.js';
import { failedTable, recentFailures } from '../failed-rows.js';
import { formatCount, formatMs, formatPercent, formatRate } from '../format.js';
import { html } from '../html.js';
import { hrefOf, type Page, type PageContext } from '../page-context.js';

const CARDS: readonly { key: CounterKey; label: string; bad?: boolean }[] = [
  { key: 'throughput', label: 'Throughput (15 min)' },
  { key: 'processed', label: 'Processed (15 min)' },
  { key: 'failed', label: 'Failed (15 min)', bad: true },
  { key: 'failureRate', label: 'Failure rate' },
  { key: 'waiting', label: 'Waiting' },
  { key: 'active', label: 'Active' },
  { key: 'delayed', label: 'Delayed' },
  { key: 'failedTotal', label: 'Failed jobs kept', bad: true },
  { key: 'workers', label: 'Workers' },
  { key: 'oldestWait', label: 'Oldest wait' },
];

/** `/`: the headline numbers (live), throughput per listener, and the newest failures (live). */
export async function overviewPage(context: PageContext): Promise<Page> {
  const { stats, counters, failed } = await readOverview(context.herald);
  const shown = displayCounters(counters);
  const cards = CARDS.map(
    ({ key, label, bad }) => html`<div class="card${bad === true ? ' bad' : ''}" data-testid="counter-${key}">
<div class="label">${label}</div><div class="value" data-live="${key}">${shown[key]}</div></div>`,
  );
  const minutes = counters.minutes;
  const listeners = [...stats.listeners].sort((a, b) => b.processed - a.processed);
  const throughput = barChart(
    'chart-throughput',
    'Jobs per minute by listener (last 15 min)',
    listeners.map((each) => ({
      label: each.listener,
      value: each.processed / minutes,
      text: `${formatRate(each.processed / minutes)}/min`,
    })),
  );
  const failures = barChart(
    'chart-failures',
    'Failed attempts by listener (last 15 min)',
    listeners
      .filter((each) => each.failed > 0)
      .map((each) => ({
        label: each.listener,
        value: each.failed,
        text: formatCount(each.failed),
        tone: 'bad',
      })),
  );
  const rows = listeners.map(
    (each) => html`<tr data-testid="listener-row" data-listener="${each.listener}">
<td><a href="${hrefOf(context, `/listeners/${encodeURIComponent(each.listener)}`)}">${each.listener}</a></td>
<td>${each.connection}/${each.queue}</td><td class="num">${formatRate(each.processed / minutes)}</td>
<td class="num">${formatPercent(each.failureRate)}</td><td class="num">${formatMs(each.runtime.p95)}</td>
<td class="num">${formatMs(each.wait.p95)}</td><td class="num">${formatCount(each.waiting)}</td>
<td class="num">${formatCount(each.active)}</td><td class="num">${formatCount(each.failedTotal)}</td>
<td class="num">${formatMs(each.oldestWaitingMs)}</td></tr>`,
  );
  const recent = await recentFailures(context.herald, failed, 10);
  return {
    title: 'Overview',
    section: 'overview',
    body: html`<section class="cards" data-testid="counters">${cards}</section>
${throughput}${failures}
<h2>Queued listeners</h2>
<table data-testid="listener-table"><thead><tr><th>Listener</th><th>Queue</th><th class="num">Jobs/min</th><th class="num">Failure</th>
<th class="num">Runtime p95</th><th class="num">Wait p95</th><th class="num">Waiting</th><th class="num">Active</th>
<th class="num">Failed</th><th class="num">Oldest wait</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="10" class="muted">No queued listeners.</td></tr>` : rows}</tbody></table>
<h2>Latest failures <a href="${hrefOf(context, '/failed')}" class="muted">all</a></h2>
${failedTable(context, recent, true)}`,
  };
}
