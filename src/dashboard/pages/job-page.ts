import type { Herald } from '../../app.js';
import type { FailedJob } from '../../queue/failed/failed-job.js';
import { payloadView } from '../../serialization/payload-view.js';
import { actionForm } from '../action-form.js';
import { failedConnections } from '../dashboard-data.js';
import { formatBytes, formatCount, formatTime } from '../format.js';
import { html } from '../html.js';
import { hrefOf, type Page, type PageContext } from '../page-context.js';
import { notFoundPage } from './not-found-page.js';

/** Most characters of the pretty-printed payload a job page shows; the download has it all. */
export const PAYLOAD_SHOWN_CHARS = 64 * 1024;

/** Payloads are shown whole (cut as text instead), nested at most this deep. */
const WHOLE = { maxString: Number.POSITIVE_INFINITY, maxEntries: Number.POSITIVE_INFINITY, maxDepth: 64 };

/** A failed job by id, on the asked connection or else any that keeps failed jobs. */
export async function findFailedJob(
  herald: Herald,
  id: string,
  connection: string | null,
): Promise<FailedJob | undefined> {
  const names =
    connection === null ? (await failedConnections(herald)).map((each) => each.connection) : [connection];
  for (const name of names) {
    const job = await herald.failedJob(id, { connection: name });
    if (job !== undefined) return job;
  }
  return undefined;
}

/** The job's payload, masked (`redact` and the default secrets) and pretty-printed in full. */
export function payloadText(job: FailedJob, redact: readonly string[]): string {
  return JSON.stringify(payloadView(job.data, { redact, limits: WHOLE }), null, 2) ?? 'undefined';
}

/** `/jobs/<id>?connection=`: a failed job's error, attempts and payload (masked, cut at 64 KB). */
export async function jobPage(context: PageContext, id: string): Promise<Page> {
  const job = await findFailedJob(context.herald, id, context.query.get('connection'));
  if (job === undefined)
    return notFoundPage(`No failed job has the id "${id}" (retried or forgotten already?).`);
  const text = payloadText(job, context.options.redact);
  const cut = text.length > PAYLOAD_SHOWN_CHARS;
  const download = hrefOf(context, `/jobs/${encodeURIComponent(job.id)}/payload`, {
    connection: job.connection,
  });
  const fields = { id: job.id, connection: job.connection };
  const meta: [string, string, ReturnType<typeof html> | string][] = [
    ['connection', 'Connection', `${job.connection}/${job.queue}`],
    [
      'listener',
      'Listener',
      html`<a href="${hrefOf(context, `/listeners/${encodeURIComponent(job.listener)}`)}">${job.listener}</a>`,
    ],
    [
      'event',
      'Event',
      html`<a href="${hrefOf(context, `/events/${encodeURIComponent(job.event)}`)}">${job.event}</a>`,
    ],
    ['attempts', 'Attempts', formatCount(job.attempts)],
    ['failed-at', 'Failed at', formatTime(job.failedAt)],
  ];
  return {
    title: `Failed job ${job.id}`,
    section: 'failed',
    body: html`<table data-testid="job-meta">${meta.map(
      ([key, label, value]) => html`<tr data-testid="job-${key}"><th>${label}</th><td>${value}</td></tr>`,
    )}</table>
<p>${actionForm(context, 'retry', fields, 'Retry', 'retry-button', { back: `/failed?connection=${encodeURIComponent(job.connection)}` })}${actionForm(
      context,
      'forget',
      fields,
      'Forget',
      'forget-button',
      {
        confirm: `Delete failed job ${job.id}?`,
        back: `/failed?connection=${encodeURIComponent(job.connection)}`,
      },
    )}</p>
<h2>Error</h2><pre class="payload" data-testid="job-error">${job.error}</pre>
<h2>Payload <span class="muted">(${formatBytes(Buffer.byteLength(text))}; masked keys read [redacted])</span></h2>
${cut ? html`<p data-testid="job-truncated">Showing the first ${formatBytes(PAYLOAD_SHOWN_CHARS)}: <a href="${download}" data-testid="job-download">download the whole payload</a>.</p>` : html`<p><a href="${download}" data-testid="job-download">Download</a></p>`}
<pre class="payload" data-testid="job-payload">${cut ? `${text.slice(0, PAYLOAD_SHOWN_CHARS)}\n… (${formatCount(text.length - PAYLOAD_SHOWN_CHARS)} more characters)` : text}</pre>`,
  };
}
