import type { ListenerBacklog } from '../queue/backlog.js';
import { quantileOf } from './buckets.js';
import type { ListenerCounts } from './listener-counts.js';
import type { WorkerHeartbeat } from './metrics-store.js';

/** Options of `herald.stats()`. */
export interface StatsOptions {
  /** Start of the window: a Date, or milliseconds before now; default 15 minutes. */
  readonly since?: Date | number;
  /** Only this connection; default every connection with queued listeners. */
  readonly connection?: string;
}

/** One queued listener's numbers over the window, and its jobs right now. */
export interface ListenerStats {
  readonly listener: string;
  readonly connection: string;
  /** Its queue (queue drivers) or the streams it reads, comma separated (streams). */
  readonly queue: string;
  /** Attempts that completed in the window. */
  readonly processed: number;
  /** Attempts that failed for good in the window. */
  readonly failed: number;
  /** Attempts that ended in a retry (thrown with tries left, or `ctx.release`). */
  readonly released: number;
  /** failed / (processed + failed); 0 when nothing finished. */
  readonly failureRate: number;
  /** Runtime percentiles in ms (null when no attempt ended); accurate to one histogram bucket. */
  readonly runtime: { readonly p50: number | null; readonly p95: number | null; readonly p99: number | null };
  /** Wait (dispatch → start of the attempt) percentiles in ms. */
  readonly wait: { readonly p50: number | null; readonly p95: number | null };
  /** Jobs now; see {@link ListenerBacklog} (on bullmq, the counts of its queue). */
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  /** Failed jobs (or dead letters) still kept, whenever they failed. */
  readonly failedTotal: number;
  /** Milliseconds since the oldest waiting job was dispatched; null when none waits. */
  readonly oldestWaitingMs: number | null;
  /**
   * `'queue'` when waiting/active/delayed/failedTotal are its queue's, shared with the other
   * listeners of that queue (bullmq counts per queue); `'listener'` when they are its own.
   */
  readonly backlogOf: 'queue' | 'listener';
}

/** What `herald.stats()` returns. */
export interface HeraldStats {
  /** The window the counts cover (minutes up to 2 h, whole hours beyond). */
  readonly since: Date;
  readonly until: Date;
  readonly listeners: readonly ListenerStats[];
  /** Workers whose heartbeat is under a minute old (Redis connections). */
  readonly workers: readonly WorkerHeartbeat[];
}

/** Stats of one listener from its window counts and its backlog. */
export function listenerStatsOf(
  where: { listener: string; connection: string; queue: string },
  counts: ListenerCounts | undefined,
  backlog: ListenerBacklog | undefined,
): ListenerStats {
  const processed = counts?.processed ?? 0;
  const failed = counts?.failed ?? 0;
  const runtime = counts?.runtime ?? [];
  const wait = counts?.wait ?? [];
  return {
    ...where,
    processed,
    failed,
    released: counts?.released ?? 0,
    failureRate: processed + failed === 0 ? 0 : failed / (processed + failed),
    runtime: {
      p50: quantileOf(runtime, 0.5),
      p95: quantileOf(runtime, 0.95),
      p99: quantileOf(runtime, 0.99),
    },
    wait: { p50: quantileOf(wait, 0.5), p95: quantileOf(wait, 0.95) },
    waiting: backlog?.waiting ?? 0,
    active: backlog?.active ?? 0,
    delayed: backlog?.delayed ?? 0,
    failedTotal: backlog?.failed ?? 0,
    oldestWaitingMs: backlog?.oldestWaitingMs ?? null,
    backlogOf: backlog?.shared === true ? 'queue' : 'listener',
  };
}
