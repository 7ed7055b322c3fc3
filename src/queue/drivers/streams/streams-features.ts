import type { DriverFeatures } from '../../driver.js';

/**
 * A log is not a queue: no per-entry delay, priority or deduplication. Retries do wait their
 * backoff (a schedule in Redis), but a listener's `delay` is not honoured, hence `delays: false`.
 */
export const STREAMS_FEATURES: DriverFeatures = {
  delays: false,
  priority: false,
  unique: false,
  shared: true,
};
