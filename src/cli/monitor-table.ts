import { InvalidArgumentError } from 'commander';
import type { HeraldStats, ListenerStats } from '../metrics/herald-stats.js';
import { shortDuration, table } from './stream-table.js';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** The longest window metrics are kept for (hours, 14 days). */
const MAX_SINCE_MS = 14 * 86_400_000;

/** A commander parser for `--since`: `90s`, `15m`, `6h`, `2d` (at most 14d, what is kept). */
export function sinceDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(value.trim());
  const ms = match === null ? Number.NaN : Number(match[1]) * (UNITS[match[2] as string] as number);
  if (!(ms >= 1000) || ms > MAX_SINCE_MS) {
    throw new InvalidArgumentError(
      `expected a duration from 1s to 14d such as 90s, 15m, 6h or 2d, got "${value}".`,
    );
  }
  return ms;
}

/** A duration in ms for the table: `-` when unknown, `0.4ms`, `12ms`, `1.5s`, then short units. */
function ms(value: number | null): string {
  if (value === null) return '-';
  if (value < 10) return `${value.toFixed(1)}ms`;
  if (value < 1000) return `${Math.round(value)}ms`;
  if (value < 60_000) return `${(value / 1000).toFixed(1)}s`;
  return shortDuration(Math.round(value));
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/**
 * The `queue:monitor` table: one row per listener and a total row. Backlog counts a listener
 * shares with its queue (bullmq) are added once per queue in the total.
 */
export function monitorRows(stats: HeraldStats): string[] {
  const minutes = Math.max(1, (stats.until.getTime() - stats.since.getTime()) / 60_000);
  const rows = [
    [
      'LISTENER',
      'QUEUE',
      'PROC/MIN',
      'FAIL%',
      'P50',
      'P95',
      'WAIT P95',
      'WAITING',
      'ACTIVE',
      'DELAYED',
      'FAILED',
      'OLDEST',
    ],
  ];
  const total = {
    processed: 0,
    failed: 0,
    waiting: 0,
    active: 0,
    delayed: 0,
    failedTotal: 0,
    oldest: null as number | null,
  };
  const queuesCounted = new Set<string>();
  for (const each of stats.listeners) {
    rows.push([
      each.listener,
      `${each.connection}/${each.queue}`,
      (each.processed / minutes).toFixed(1),
      percent(each.failureRate),
      ms(each.runtime.p50),
      ms(each.runtime.p95),
      ms(each.wait.p95),
      String(each.waiting),
      String(each.active),
      String(each.delayed),
      String(each.failedTotal),
      each.oldestWaitingMs === null ? '-' : shortDuration(each.oldestWaitingMs),
    ]);
    total.processed += each.processed;
    total.failed += each.failed;
    if (each.oldestWaitingMs !== null) total.oldest = Math.max(total.oldest ?? 0, each.oldestWaitingMs);
    const queueKey = `${each.connection}/${each.queue}`;
    if (each.backlogOf === 'queue' && queuesCounted.has(queueKey)) continue;
    queuesCounted.add(queueKey);
    addBacklog(total, each);
  }
  const finished = total.processed + total.failed;
  rows.push([
    'TOTAL',
    '',
    (total.processed / minutes).toFixed(1),
    percent(finished === 0 ? 0 : total.failed / finished),
    '',
    '',
    '',
    String(total.waiting),
    String(total.active),
    String(total.delayed),
    String(total.failedTotal),
    total.oldest === null ? '-' : shortDuration(total.oldest),
  ]);
  return table(rows);
}

function addBacklog(
  total: { waiting: number; active: number; delayed: number; failedTotal: number },
  each: ListenerStats,
): void {
  total.waiting += each.waiting;
  total.active += each.active;
  total.delayed += each.delayed;
  total.failedTotal += each.failedTotal;
}

/** Listeners whose oldest waiting job has waited longer than `maxWaitMs`. */
export function overdue(stats: HeraldStats, maxWaitMs: number): ListenerStats[] {
  return stats.listeners.filter((each) => each.oldestWaitingMs !== null && each.oldestWaitingMs > maxWaitMs);
}
