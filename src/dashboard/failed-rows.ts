import type { Herald } from '../app.js';
import type { FailedJob } from '../queue/failed/failed-job.js';
import { actionForm } from './action-form.js';
import type { FailedConnection } from './dashboard-data.js';
import { formatTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { hrefOf, type PageContext } from './page-context.js';

/** Longest error text in a list row (the job page shows it whole). */
const ERROR_IN_ROW = 300;

/** The newest failed jobs over every connection that keeps them, newest first. */
export async function recentFailures(
  herald: Herald,
  connections: readonly FailedConnection[],
  limit: number,
): Promise<FailedJob[]> {
  const pages = await Promise.all(
    connections
      .filter((each) => each.count > 0)
      .map(({ connection }) => herald.failedJobs({ connection, limit })),
  );
  return pages
    .flat()
    .sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime())
    .slice(0, limit);
}

/** A failed job's page. */
export function jobHref(
  context: Pick<PageContext, 'mount'>,
  job: Pick<FailedJob, 'id' | 'connection'>,
): string {
  return hrefOf(context, `/jobs/${encodeURIComponent(job.id)}`, { connection: job.connection });
}

function shortError(error: string): string {
  return error.length > ERROR_IN_ROW ? `${error.slice(0, ERROR_IN_ROW)}…` : error;
}

/** A failed job as the live stream sends it (the page script builds the row from it). */
export function liveRowOf(context: Pick<PageContext, 'mount'>, job: FailedJob) {
  return {
    id: job.id,
    connection: job.connection,
    listener: job.listener,
    error: shortError(job.error),
    failedAt: formatTime(job.failedAt),
    href: jobHref(context, job),
  };
}

/**
 * The failed-jobs table: its body is `failed-live-list`, where the page script prepends new
 * failures (with Retry/Forget when `data-actions="on"`).
 */
export function failedTable(
  context: PageContext,
  jobs: readonly FailedJob[],
  live: boolean,
  connection?: string,
): SafeHtml {
  const actions = !context.options.readOnly;
  const rows = jobs.map(
    (job) => html`<tr data-testid="failed-row" data-job-id="${job.id}">
<td>${formatTime(job.failedAt)}</td><td>${job.listener}</td><td class="error">${shortError(job.error)}</td>
<td><a href="${jobHref(context, job)}" data-testid="failed-row-link">${job.id}</a></td>
<td>${actionForm(context, 'retry', { id: job.id, connection: job.connection }, 'Retry', 'retry-button')}${actionForm(
      context,
      'forget',
      { id: job.id, connection: job.connection },
      'Forget',
      'forget-button',
    )}</td></tr>`,
  );
  const empty = html`<tr data-testid="failed-empty"><td colspan="5" class="muted">No failed jobs.</td></tr>`;
  return html`<table><thead><tr><th>Failed at</th><th>Listener</th><th>Error</th><th>Job</th><th></th></tr></thead>
<tbody${live ? html` data-testid="failed-live-list"` : html` data-testid="failed-list"`}${
    connection === undefined ? '' : html` data-connection="${connection}"`
  } data-actions="${actions ? 'on' : 'off'}">${jobs.length === 0 ? empty : rows}</tbody></table>`;
}
