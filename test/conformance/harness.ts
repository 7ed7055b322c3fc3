import type { ConnectionConfig, Herald, HeraldConfig, JobPayload } from '../../src/index.js';
import type { AnyClass } from '../../src/metadata/class-types.js';

export type DriverName = 'sync' | 'memory' | 'bullmq' | 'streams';

/**
 * Where a driver differs from the others by design (documented), and only there. Everything else
 * in the conformance suite runs unchanged on every driver.
 */
export interface DriverFeatures {
  /**
   * sync: jobs run inside `dispatch`, so a job is never pending (no priority order, no
   * deduplication window) and a job's final failure rejects `dispatch` with `listener_failed`.
   */
  readonly runsInline: boolean;
  /** sync ignores `delay`, backoff and `release(ms)` waits: attempts run back to back. */
  readonly waitsDelays: boolean;
  /** sync: `tries` still bounds `retryUntil` (back-to-back attempts would spin to the deadline). */
  readonly triesBoundRetryUntil: boolean;
  /**
   * streams: one log entry serves every listener of the stream, so what a listener's methods
   * return per job at dispatch (`backoff()`, `retryUntil()`) cannot travel with it, and a job
   * reports its stream as `ctx.queue` (a log has no queues).
   */
  readonly isLog: boolean;
}

export const INLINE_FEATURES: DriverFeatures = {
  runsInline: true,
  waitsDelays: false,
  triesBoundRetryUntil: true,
  isLog: false,
};

export const QUEUED_FEATURES: DriverFeatures = {
  runsInline: false,
  waitsDelays: true,
  triesBoundRetryUntil: false,
  isLog: false,
};

export const LOG_FEATURES: DriverFeatures = { ...QUEUED_FEATURES, isLog: true };

export interface BootOptions {
  readonly listeners: readonly AnyClass[];
  /** Jobs run at once: the memory connection's `concurrency`, the bullmq worker's. */
  readonly concurrency?: number;
  /** Queues chosen at dispatch (`viaQueue()`) that a worker must also take jobs from. */
  readonly extraQueues?: readonly string[];
  /** The connection's `queue` (its default queue); unset: the driver's own default. */
  readonly defaultQueue?: string;
}

/**
 * What the conformance suite needs from a driver: boot an app on it, dispatch, and wait until
 * the jobs settled. One harness per test; `close()` releases everything it opened.
 */
export interface QueueHarness {
  readonly driver: DriverName;
  readonly features: DriverFeatures;
  /** Boots the app that dispatches (in-process drivers run its jobs too). Call once per test. */
  boot(options: BootOptions): Promise<Herald>;
  /** Dispatches on the booted app; resolves to the error `dispatch` rejected with, or undefined. */
  dispatch(event: object): Promise<unknown>;
  /**
   * Makes sure jobs are being taken (bullmq: starts the worker app now; memory and sync run jobs
   * on their own). `settle()` calls it; call it first to have a worker running at dispatch.
   */
  startWorker(): Promise<void>;
  /**
   * Waits until no job dispatched so far is waiting, delayed or active, and `until()` (if given)
   * holds. Throws when that does not happen in time.
   */
  settle(until?: () => boolean): Promise<void>;
  /**
   * The data of the jobs pushed since boot: bullmq reads what Redis stored; memory and sync
   * report what `push` was handed (a push a unique id then dropped included).
   */
  storedJobs(): Promise<JobPayload[]>;
  close(): Promise<void>;
}

/** Connection name of the driver under test; the default connection of every conformance app. */
export const CONNECTION = 'conf';

/** A bullmq connection nothing listens on: a job pushed there makes `dispatch` reject fast. */
const BROKEN: ConnectionConfig = { driver: 'bullmq', url: 'redis://127.0.0.1:1', unavailableTimeout: 300 };

export function conformanceConfig(
  connection: ConnectionConfig,
  listeners: readonly AnyClass[],
): HeraldConfig {
  return {
    listeners,
    queue: { default: CONNECTION, connections: { [CONNECTION]: connection, broken: BROKEN } },
  };
}

/** Polls `check` every few ms until it holds; throws `message()` after `timeoutMs`. */
export async function pollUntil(
  check: () => boolean | Promise<boolean>,
  message: () => string,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(message());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
