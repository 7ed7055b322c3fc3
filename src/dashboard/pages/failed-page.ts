import { actionForm } from '../action-form.js';
import { failedConnections } from '../dashboard-data.js';
import { GROUP_SCAN_LIMIT, groupFailed, RETRY_GROUP_CAP, scanFailed } from '../failed-groups.js';
import { failedTable, jobHref } from '../failed-rows.js';
import { formatCount, formatTime } from '../format.js';
import { html } from '../html.js';
import { hrefOf, type Page, type PageContext } from '../page-context.js';

/** Failed jobs per page of the list. */
export const FAILED_PAGE_SIZE = 25;

function pageNumber(text: string | null): number {
  const page = Number(text ?? '1');
  return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}

/**
 * `/failed?connection=&listener=&page=`: failed jobs grouped by listener and error (retry a
 * whole group), then the list newest first, one page at a time.
 */
export async function failedPage(context: PageContext): Promise<Page> {
  const { herald, query } = context;
  const connections = await failedConnections(herald);
  if (connections.length === 0) {
    return {
      title: 'Failed jobs',
      section: 'failed',
      body: html`<p class="muted" data-testid="failed-none">No connection of this app keeps failed jobs (sync runs jobs inline; streams keep dead letters: see Streams).</p>`,
    };
  }
  const asked = query.get('connection');
  const current = connections.find((each) => each.connection === asked) ?? connections[0];
  const connection = current?.connection ?? herald.defaultConnection;
  const listener = query.get('listener') ?? undefined;
  const page = pageNumber(query.get('page'));
  const scanned = await scanFailed(herald, connection);
  const groups = groupFailed(
    listener === undefined ? scanned : scanned.filter((job) => job.listener === listener),
  );
  const offset = (page - 1) * FAILED_PAGE_SIZE;
  const jobs =
    listener === undefined
      ? await herald.failedJobs({ connection, offset, limit: FAILED_PAGE_SIZE, withData: false })
      : scanned.filter((job) => job.listener === listener).slice(offset, offset + FAILED_PAGE_SIZE);
  const total =
    listener === undefined
      ? (current?.count ?? 0)
      : scanned.filter((job) => job.listener === listener).length;
  const tabs = connections.map(
    (each) =>
      html`<a href="${hrefOf(context, '/failed', { connection: each.connection })}" data-testid="connection-link" data-connection="${each.connection}"${
        each.connection === connection ? html` class="active"` : ''
      }>${each.connection} (${formatCount(each.count)})</a> `,
  );
  const groupRows = groups.map(
    (
      group,
    ) => html`<div class="group" data-testid="failed-group" data-group="${group.key}" data-listener="${group.listener}">
<span class="count" data-testid="failed-group-count">${formatCount(group.count)}</span> × <strong>${group.listener}</strong>
<span class="error" data-testid="failed-group-error">${group.error}</span>
<span class="muted">newest ${formatTime(group.newest.failedAt)}, <a href="${jobHref(context, group.newest)}">${group.newest.id}</a></span>
${actionForm(
  context,
  'retry-group',
  { group: group.key, connection },
  `Retry ${formatCount(Math.min(group.count, RETRY_GROUP_CAP))}`,
  'retry-group-button',
  { confirm: `Retry ${Math.min(group.count, RETRY_GROUP_CAP)} failed jobs of ${group.listener}?` },
)}</div>`,
  );
  const base = { connection, listener };
  const pager = html`<nav class="pager" data-testid="pager">${
    page > 1
      ? html`<a href="${hrefOf(context, '/failed', { ...base, page: page - 1 })}" data-testid="pager-prev">← newer</a>`
      : ''
  }<span data-testid="pager-page">page ${page}</span>${
    offset + jobs.length < total
      ? html`<a href="${hrefOf(context, '/failed', { ...base, page: page + 1 })}" data-testid="pager-next">older →</a>`
      : ''
  }</nav>`;
  const scope =
    listener === undefined
      ? ''
      : html` of <strong>${listener}</strong> (<a href="${hrefOf(context, '/failed', { connection })}">all</a>)`;
  return {
    title: 'Failed jobs',
    section: 'failed',
    body: html`<p>${tabs}</p>
<p><span data-testid="failed-total">${formatCount(total)}</span> failed job${total === 1 ? '' : 's'} on ${connection}${scope}.</p>
<h2>By listener and error <span class="muted">(newest ${formatCount(GROUP_SCAN_LIMIT)}; retry takes up to ${formatCount(RETRY_GROUP_CAP)} at a time)</span></h2>
<section data-testid="failed-groups">${groups.length === 0 ? html`<p class="muted">No failed jobs.</p>` : groupRows}</section>
<h2>Newest first</h2>
${failedTable(context, jobs, page === 1 && listener === undefined, connection)}
${pager}`,
  };
}
