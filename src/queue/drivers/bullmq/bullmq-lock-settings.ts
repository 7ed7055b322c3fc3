import type { BullMqConnectionConfig } from '../../connection-config.js';

/** How long a worker's lock on a job lasts (ms) unless the connection says otherwise. */
export const DEFAULT_LOCK_DURATION = 30_000;

/**
 * BullMQ's stall limit when the connection sets none: high enough never to decide. herald
 * bounds crashed attempts itself, by `tries` counted in started attempts (attempt-limits.ts), so
 * a job killed twice still reaches `failed()`; BullMQ's limit failed it without one.
 */
const UNBOUNDED_STALLS = 1_000_000_000;

/** The stalled checker's default period, as a share of `lockDuration`. */
const STALLED_CHECKS_PER_LOCK = 10;

/** The lock and stalled-check settings a connection's workers run with. */
export interface LockSettings {
  readonly lockDuration: number;
  readonly stalledInterval: number;
  readonly maxStalledCount: number;
}

/**
 * A crashed worker's job comes back once its lock has expired *and* the stalled checker has
 * passed twice (one pass marks, the next moves), so it takes up to lockDuration +
 * stalledInterval. BullMQ's default interval (30 s) doubled the documented time; a tenth of
 * lockDuration keeps it within lockDuration + 10 % (test/fault/crash-recovery-time.test.ts).
 */
export function lockSettingsOf(config: BullMqConnectionConfig): LockSettings {
  const lockDuration = config.lockDuration ?? DEFAULT_LOCK_DURATION;
  return {
    lockDuration,
    stalledInterval:
      config.stalledInterval ?? Math.max(100, Math.round(lockDuration / STALLED_CHECKS_PER_LOCK)),
    maxStalledCount: config.maxStalledCount ?? UNBOUNDED_STALLS,
  };
}
