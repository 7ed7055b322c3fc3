import type { Herald } from '../app.js';
import { HeraldError } from '../errors.js';
import type { HeraldStats, ListenerStats } from '../metrics/herald-stats.js';

/** Connections some listener queues on, the default first. */
export function queuedConnections(herald: Herald): string[] {
  const names = new Set<string>([herald.defaultConnection]);
  for (const eventClass of herald.eventClasses()) {
    for (const listener of herald.getListeners(eventClass)) {
      if (listener.queued) names.add(listener.connection ?? herald.defaultConnection);
    }
  }
  return [...names];
}

/** A connection that keeps failed jobs, with how many it keeps. */
export interface FailedConnection {
  readonly connection: string;
  readonly count: number;
}

/** The connections that keep failed jobs (bullmq, memory) and their counts; sync and streams keep none. */
export async function failedConnections(herald: Herald): Promise<FailedConnection[]> {
  const found: FailedConnection[] = [];
  for (const connection of queuedConnections(herald)) {
    try {
      found.push({ connection, count: await herald.countFailed({ connection }) });
    } catch (error) {
      if (!HeraldError.is(error, 'unsupported')) throw error;
    }
  }
  return found;
}

/** The headline numbers of the overview, raw and as displayed (the live stream sends both). */
export interface OverviewCounters {
  readonly minutes: number;
  readonly processed: number;
  readonly failed: number;
  readonly throughput: number;
  readonly failureRate: number;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failedTotal: number;
  readonly workers: number;
  readonly oldestWaitMs: number | null;
}

/**
 * Sums listeners' numbers. On bullmq a listener's backlog is its queue's, shared with the other
 * listeners of that queue (`backlogOf: 'queue'`), so each queue's backlog counts once.
 */
export function countersOf(stats: HeraldStats, failedTotal: number): OverviewCounters {
  const minutes = Math.max(1, (stats.until.getTime() - stats.since.getTime()) / 60_000);
  let processed = 0;
  let failed = 0;
  let waiting = 0;
  let active = 0;
  let delayed = 0;
  let oldest: number | null = null;
  const seen = new Set<string>();
  for (const each of stats.listeners) {
    processed += each.processed;
    failed += each.failed;
    const key =
      each.backlogOf === 'queue' ? `${each.connection}\u0000${each.queue}` : `\u0001${each.listener}`;
    if (seen.has(key)) continue;
    seen.add(key);
    waiting += each.waiting;
    active += each.active;
    delayed += each.delayed;
    if (each.oldestWaitingMs !== null) oldest = Math.max(oldest ?? 0, each.oldestWaitingMs);
  }
  return {
    minutes,
    processed,
    failed,
    throughput: processed / minutes,
    failureRate: processed + failed === 0 ? 0 : failed / (processed + failed),
    waiting,
    active,
    delayed,
    failedTotal,
    workers: stats.workers.length,
    oldestWaitMs: oldest,
  };
}

/** The stats of one listener by wire name, if it is a queued listener. */
export function statsOf(stats: HeraldStats, listener: string): ListenerStats | undefined {
  return stats.listeners.find((each) => each.listener === listener);
}

/** Reads the overview's numbers: `herald.stats()` over the window and the failed-job counts. */
export async function readOverview(
  herald: Herald,
  since = 15 * 60_000,
): Promise<{ stats: HeraldStats; counters: OverviewCounters; failed: FailedConnection[] }> {
  const [stats, failed] = await Promise.all([herald.stats({ since }), failedConnections(herald)]);
  const failedTotal = failed.reduce((sum, each) => sum + each.count, 0);
  return { stats, counters: countersOf(stats, failedTotal), failed };
}
