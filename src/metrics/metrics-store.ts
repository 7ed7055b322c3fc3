import type { ListenerCounts } from './listener-counts.js';
import type { MinuteCounts } from './metrics-batch.js';

/** A worker as its last metrics flush described it (for `herald.stats()` and the dashboard). */
export interface WorkerHeartbeat {
  /** `<host>:<pid>:<random>`, one per `work()` call. */
  readonly id: string;
  readonly connection: string;
  readonly host: string;
  readonly pid: number;
  readonly queues: readonly string[];
  readonly concurrency: number;
  /** Epoch ms of the flush that wrote it. */
  readonly lastSeen: number;
}

/** Where a connection's metrics live: Redis for `bullmq`/`streams`, this process for the rest. */
export interface MetricsStore {
  /** Adds a batch of counts (and refreshes a worker's heartbeat); one round trip on Redis. */
  write(batch: MinuteCounts, heartbeat?: WorkerHeartbeat): Promise<void>;
  /** Counts per listener of the attempts that ended in `[since, until]`, at the store's resolution. */
  read(since: number, until: number): Promise<Map<string, ListenerCounts>>;
  /** Workers seen within the last minute. */
  workers(): Promise<WorkerHeartbeat[]>;
}

/** Heartbeats older than this are not listed: the worker is gone (or stuck for a minute). */
export const HEARTBEAT_TTL_MS = 60_000;
