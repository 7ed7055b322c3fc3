import { HeraldError } from '../../errors.js';
import type { DeadLetter, StreamPartitionState } from '../../queue/stream-admin.js';
import { actionForm } from '../action-form.js';
import { formatCount, formatMs, formatTime } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { backOf, type Page, type PageContext } from '../page-context.js';

/** Dead letters listed per listener (the count shows them all). */
const DEAD_SHOWN = 50;

/** The replay form of a listener: a start (time, entry id or `start`) and the button. */
function replayForm(context: PageContext, listener: string): SafeHtml {
  if (context.options.readOnly) return html``;
  return html`<form class="inline" method="post" action="${context.mount}/actions/replay" data-testid="replay-form" data-listener="${listener}"
data-confirm="${`Replay ${listener} from the time given? It handles those entries again.`}">
<input type="hidden" name="_csrf" value="${context.csrf}"><input type="hidden" name="back" value="${backOf(context)}">
<input type="hidden" name="listener" value="${listener}">
<label>Replay from <input name="from" required placeholder="2026-01-31T12:00:00Z, an entry id, or start" size="34" data-testid="replay-from"></label>
<button type="submit" data-testid="replay-button">Replay</button></form>`;
}

function deadLetterRows(context: PageContext, listener: string, dead: readonly DeadLetter[]): SafeHtml {
  const rows = dead.slice(-DEAD_SHOWN).map(
    (letter) => html`<tr data-testid="dead-letter-row" data-entry-id="${letter.entryId}">
<td>${formatTime(letter.failedAt)}</td><td>${letter.stream}</td><td>${letter.entryId}</td><td>${letter.event}</td>
<td class="num">${letter.attempts}</td><td class="error">${letter.error}</td>
<td>${actionForm(context, 'retry-dead', { listener, id: letter.entryId }, 'Retry', 'retry-dead-button')}</td></tr>`,
  );
  return html`<h2>Dead letters of ${listener} <span class="muted">(${formatCount(dead.length)}${
    dead.length > DEAD_SHOWN ? `, newest ${DEAD_SHOWN} shown` : ''
  })</span> ${actionForm(
    context,
    'retry-dead',
    { listener, id: 'all' },
    'Retry all',
    'retry-dead-all-button',
    {
      confirm: `Retry every dead letter of ${listener}?`,
    },
  )}</h2>
<table data-testid="dead-letters" data-listener="${listener}"><thead><tr><th>Failed at</th><th>Stream</th><th>Entry</th><th>Event</th>
<th class="num">Attempts</th><th>Error</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** `/streams?connection=`: partitions with each group's lag, pending and dead letters; replay; retry dead. */
export async function streamsPage(context: PageContext): Promise<Page> {
  const connection = context.query.get('connection') ?? undefined;
  let partitions: StreamPartitionState[];
  try {
    partitions = await context.herald.streams(connection === undefined ? {} : { connection });
  } catch (error) {
    if (!HeraldError.is(error, 'invalid_argument') && !HeraldError.is(error, 'unknown_connection'))
      throw error;
    return {
      title: 'Streams',
      section: 'streams',
      body: html`<p class="muted" data-testid="streams-none">${error instanceof Error ? error.message : String(error)}</p>`,
    };
  }
  const listeners = new Set<string>();
  const rows = partitions.flatMap((partition) =>
    partition.groups.map((group) => {
      listeners.add(group.group);
      return html`<tr data-testid="stream-group-row" data-stream="${partition.stream}" data-partition="${String(partition.partition)}" data-group="${group.group}">
<td>${partition.stream}</td><td class="num">${partition.partition}</td><td class="num">${formatCount(partition.length)}</td>
<td>${group.group}</td><td class="num">${group.lag === null ? '?' : formatCount(group.lag)}</td>
<td class="num">${formatCount(group.pending)}</td><td class="num">${formatMs(group.oldestPendingMs)}</td>
<td class="num">${formatCount(group.dead)}</td></tr>`;
    }),
  );
  const withDead = [
    ...new Set(partitions.flatMap((p) => p.groups.filter((g) => g.dead > 0).map((g) => g.group))),
  ];
  const dead = await Promise.all(withDead.map((listener) => context.herald.deadLetters(listener)));
  return {
    title: 'Streams',
    section: 'streams',
    body: html`<table data-testid="stream-table"><thead><tr><th>Stream</th><th class="num">Partition</th><th class="num">Length</th>
<th>Group (listener)</th><th class="num">Lag</th><th class="num">Pending</th><th class="num">Oldest pending</th><th class="num">Dead</th></tr></thead>
<tbody>${rows.length === 0 ? html`<tr><td colspan="8" class="muted">No streams yet.</td></tr>` : rows}</tbody></table>
<h2>Replay</h2><p class="muted">Hands a listener the entries from a time (ISO, e.g. 2026-01-31T12:00:00Z), an entry id, or the start of its streams again; other listeners are untouched.</p>
${context.options.readOnly ? html`<p class="muted">Read-only.</p>` : [...listeners].map((listener) => replayForm(context, listener))}
${withDead.map((listener, i) => deadLetterRows(context, listener, dead[i] ?? []))}`,
  };
}
