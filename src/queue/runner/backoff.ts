import type { BackoffOption } from '../../listeners/listener-options.js';
import { MAX_DURATION_MS } from '../../listeners/normalize-options.js';

/**
 * The wait in ms before retry number `retry` (1 = the first retry) under a backoff option.
 * `random` is injectable so jitter is testable.
 */
export function backoffDelay(
  backoff: BackoffOption | undefined,
  retry: number,
  random: () => number = Math.random,
): number {
  if (backoff === undefined) return 0;
  if (typeof backoff === 'number') return backoff;
  if (Array.isArray(backoff)) {
    const list = backoff as readonly number[];
    return list[Math.min(retry, list.length) - 1] ?? 0;
  }
  const { type, delay, jitter } = backoff as Exclude<BackoffOption, number | readonly number[]>;
  const base = type === 'fixed' ? delay : delay * 2 ** (retry - 1);
  const share = jitter === true ? 0.5 : typeof jitter === 'number' ? jitter : 0;
  // Jitter takes up to `share` of the delay away, never adds: the configured delay stays a ceiling.
  // An exponential delay outgrows any clock after enough retries; past the longest duration an
  // option may hold (normalize-options.ts) it stays there instead of becoming Infinity.
  return Math.min(Math.round(base * (1 - share * random())), MAX_DURATION_MS);
}
